import type pg from 'pg';
import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';
import { aliasSetDigest, digestFromSums, type ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';

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

interface SumsRow extends Record<string, unknown> {
  document_id: string;
  row_count: string;
  word0: string;
  word1: string;
  word2: string;
  word3: string;
}

/** `documentIds` sorted ascending; so is the result. */
export async function documentsToRewrite(
  client: pg.Client,
  index: DatasetIndex,
  documentIds: readonly number[],
  referenceSets: ReferenceSetOptions = {},
  schema: SchemaLayout = 'referential-id',
): Promise<number[]> {
  const byPartition = new Map<number, number[]>();
  for (const id of documentIds) {
    const key = index.documentPartitionKeys[id];
    const list = byPartition.get(key);
    if (list) list.push(id);
    else byPartition.set(key, [id]);
  }
  const held = new Map<number, ReferenceSetDigest>();
  for (const [partitionKey, ids] of byPartition) {
    for (let start = 0; start < ids.length; start += DOCUMENTS_PER_QUERY) {
      const { rows } = await client.query<SumsRow>(loadSql(HELD_SUMS_SQL[schema]), [partitionKey, ids.slice(start, start + DOCUMENTS_PER_QUERY)]);
      for (const row of rows) {
        held.set(Number(row.document_id), digestFromSums(Number(row.row_count), [Number(row.word0), Number(row.word1), Number(row.word2), Number(row.word3)]));
      }
    }
  }
  const empty = aliasSetDigest(index, []);
  return documentIds.filter((id) => (held.get(id) ?? empty) !== aliasSetDigest(index, index.datasetReferences(id, referenceSets)));
}
