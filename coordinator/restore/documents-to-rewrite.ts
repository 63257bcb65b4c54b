import type pg from 'pg';
import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';
import { aliasSetDigest, type ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';
import { heldDigest, type ReferenceSetSumsRow } from '../../shared/workload/reference-set-sums.ts';
import { documentsByPartition } from './restore-batches.ts';

/**
 * Which of the given documents do not hold their dataset reference set: restore rewrites only these.
 * What a document holds is digested server-side, as the integrity check does
 * (docs/architecture.md#integrity-check): one small row per document crosses the wire, not its
 * references. One query per partition (sql/restore/held-reference-sums.sql; on --schema alias-id
 * held-reference-sums-alias-id.sql, through Alias), so each reads one partition through its parent index.
 */

const HELD_SUMS_SQL: Readonly<Record<SchemaLayout, string>> = {
  'referential-id': 'restore/held-reference-sums',
  'alias-id': 'restore/held-reference-sums-alias-id',
};

const DOCUMENTS_PER_QUERY = 5000;

/** `documentIds` sorted ascending; so is the result. */
export async function documentsToRewrite(
  client: pg.Client,
  index: DatasetIndex,
  documentIds: readonly number[],
  referenceSets: ReferenceSetOptions = {},
  schema: SchemaLayout = 'referential-id',
): Promise<number[]> {
  const byPartition = documentsByPartition(index, documentIds);
  const held = new Map<number, ReferenceSetDigest>();
  for (const [partitionKey, ids] of byPartition) {
    for (let start = 0; start < ids.length; start += DOCUMENTS_PER_QUERY) {
      const { rows } = await client.query<ReferenceSetSumsRow>(loadSql(HELD_SUMS_SQL[schema]), [partitionKey, ids.slice(start, start + DOCUMENTS_PER_QUERY)]);
      for (const row of rows) held.set(...heldDigest(row));
    }
  }
  const empty = aliasSetDigest(index, []);
  return documentIds.filter((id) => (held.get(id) ?? empty) !== aliasSetDigest(index, index.datasetReferences(id, referenceSets)));
}
