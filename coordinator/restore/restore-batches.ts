import { repeatedReferenceNumbers, type DatasetIndex, type ReferenceSetOptions } from '../../shared/dataset.ts';

/**
 * Restore's plan: the documents to rewrite, grouped into transactions of whole documents, at most
 * about `maxRows` dataset reference rows each (a heavy document alone may exceed it); the default
 * makes one transaction of an ordinary restore. Within a transaction the documents are grouped by
 * partition, each group one DELETE that reads one Reference partition. Partitions in ascending key
 * order, documents in Id order.
 */

export interface PartitionDocuments {
  readonly partitionKey: number;
  /** Those whose dataset set is empty included: their rows are only deleted. */
  readonly documentIds: readonly number[];
}

export interface RestoreBatch {
  readonly partitions: readonly PartitionDocuments[];
  /** Reference rows the batch inserts: the documents' dataset sets. */
  readonly rows: number;
  readonly documents: number;
}

/** Set-wise statements are cheap per row; the bound only keeps one transaction (and its staging table) finite. */
export const DEFAULT_RESTORE_BATCH_ROWS = 1_000_000;

/** Sorted, distinct, in range: anything else is the caller's bug or a bad list, reported by the command. */
export function normalizeDocumentIds(ids: Iterable<number>, documents: number): number[] {
  const set = new Set<number>();
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 1 || id > documents) {
      throw new RangeError(`document ${id} is not in the dataset (1..${documents})`);
    }
    set.add(id);
  }
  return [...set].sort((a, b) => a - b);
}

/** Rows in document i's dataset set: every generated row, or its distinct pairs (a `load --distinct-pairs` dataset). */
export function datasetSetSize(index: DatasetIndex, documentId: number, referenceSets: ReferenceSetOptions = {}): number {
  const count = index.referenceCounts[documentId];
  return referenceSets.distinctPairs ? count - repeatedReferenceNumbers(documentId, count, index.shape.documents).length : count;
}

/** The documents by partition key, each list in the order `documentIds` gives them; keys in order of first appearance. */
export function documentsByPartition(index: DatasetIndex, documentIds: readonly number[]): Map<number, number[]> {
  const byPartition = new Map<number, number[]>();
  for (const id of documentIds) {
    const key = index.documentPartitionKeys[id];
    const list = byPartition.get(key);
    if (list) list.push(id);
    else byPartition.set(key, [id]);
  }
  return byPartition;
}

/** `documentIds` sorted ascending (normalizeDocumentIds). */
export function restoreBatches(
  index: DatasetIndex,
  documentIds: readonly number[],
  maxRows = DEFAULT_RESTORE_BATCH_ROWS,
  referenceSets: ReferenceSetOptions = {},
): RestoreBatch[] {
  const byPartition = documentsByPartition(index, documentIds);
  const batches: RestoreBatch[] = [];
  let partitions: { partitionKey: number; documentIds: number[] }[] = [];
  let rows = 0;
  let documents = 0;
  for (const partitionKey of [...byPartition.keys()].sort((a, b) => a - b)) {
    for (const id of byPartition.get(partitionKey)!) {
      const count = datasetSetSize(index, id, referenceSets);
      if (documents > 0 && rows + count > maxRows) {
        batches.push({ partitions, rows, documents });
        partitions = [];
        rows = 0;
        documents = 0;
      }
      const last = partitions.at(-1);
      if (last?.partitionKey === partitionKey) last.documentIds.push(id);
      else partitions.push({ partitionKey, documentIds: [id] });
      rows += count;
      documents++;
    }
  }
  if (documents > 0) batches.push({ partitions, rows, documents });
  return batches;
}
