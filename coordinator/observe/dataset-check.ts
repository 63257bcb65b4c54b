import type pg from 'pg';
import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { aliasSetDigest, digestCount } from '../../shared/workload/reference-set-digest.ts';
import { heldDigests } from './integrity.ts';

/**
 * `refswarm check`: which documents do not hold their dataset reference set, compared as the
 * integrity check compares them (docs/architecture.md#integrity-check), digests computed
 * server-side, a few thousand documents per query.
 */

const DOCUMENTS_PER_QUERY = 5000;

export interface DatasetMismatch {
  readonly documentId: number;
  /** Reference rows it holds. */
  readonly rows: number;
  /** Rows of its dataset set. */
  readonly datasetRows: number;
}

/** `documentIds` ascending; so is the result. */
export async function documentsOffDataset(
  client: pg.Client,
  index: DatasetIndex,
  documentIds: readonly number[],
  referenceSets: ReferenceSetOptions,
  schema: SchemaLayout,
  signal?: AbortSignal,
): Promise<DatasetMismatch[]> {
  const mismatches: DatasetMismatch[] = [];
  for (let start = 0; start < documentIds.length && !signal?.aborted; start += DOCUMENTS_PER_QUERY) {
    const held = await heldDigests(client, index, documentIds.slice(start, start + DOCUMENTS_PER_QUERY), schema);
    for (const [documentId, found] of [...held].sort(([a], [b]) => a - b)) {
      const dataset = aliasSetDigest(index, index.datasetReferences(documentId, referenceSets));
      if (found !== dataset) mismatches.push({ documentId, rows: digestCount(found), datasetRows: digestCount(dataset) });
    }
  }
  return mismatches;
}

/** One line per mismatch, e.g. "document 17: 12 references, its dataset set has 20". */
export function mismatchLine({ documentId, rows, datasetRows }: DatasetMismatch): string {
  return rows === datasetRows
    ? `document ${documentId}: ${rows} references, not those of its dataset set`
    : `document ${documentId}: ${rows} references, its dataset set has ${datasetRows}`;
}
