import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';

/**
 * Restore's pure half: documents → strategy calls that put back each document's dataset reference
 * set (docs/architecture.md#dataset: the generator knows it). One call holds whole documents, at
 * most about `maxRows` reference rows (a heavy document alone may exceed it). Documents without any
 * dataset reference cannot travel in the strategy's arrays (a parent is named only by its rows), so
 * they are listed apart for a plain delete.
 */

export interface RestoreBatch {
  /** The strategy's four parallel arrays, one element per reference row. */
  readonly parentDocumentIds: readonly number[];
  readonly parentDocumentPartitionKeys: readonly number[];
  readonly referentialIds: readonly string[];
  readonly referentialPartitionKeys: readonly number[];
  /** Documents in this batch that have references. */
  readonly documents: number;
  /** Documents whose dataset set is empty: their rows are deleted. */
  readonly emptyDocumentIds: readonly number[];
  readonly emptyDocumentPartitionKeys: readonly number[];
}

export const DEFAULT_RESTORE_BATCH_ROWS = 20_000;

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

/** `referenceSets.distinctPairs`: the dataset was loaded with --distinct-pairs, so its sets are the distinct ones. */
export function* restoreBatches(
  index: DatasetIndex,
  documentIds: readonly number[],
  maxRows = DEFAULT_RESTORE_BATCH_ROWS,
  referenceSets: ReferenceSetOptions = {},
): Generator<RestoreBatch> {
  let batch = emptyBatch();
  for (const id of documentIds) {
    const targets = index.datasetReferences(id, referenceSets);
    const count = targets.length;
    const partitionKey = index.documentPartitionKeys[id];
    if (count === 0) {
      batch.emptyDocumentIds.push(id);
      batch.emptyDocumentPartitionKeys.push(partitionKey);
      continue;
    }
    if (batch.documents > 0 && batch.parentDocumentIds.length + count > maxRows) {
      yield batch;
      batch = emptyBatch();
    }
    for (const aliasId of targets) {
      batch.parentDocumentIds.push(id);
      batch.parentDocumentPartitionKeys.push(partitionKey);
      batch.referentialIds.push(index.referentialId(aliasId));
      batch.referentialPartitionKeys.push(index.referentialPartitionKeys[aliasId]);
    }
    batch.documents++;
  }
  if (batch.documents > 0 || batch.emptyDocumentIds.length > 0) yield batch;
}

interface MutableBatch {
  parentDocumentIds: number[];
  parentDocumentPartitionKeys: number[];
  referentialIds: string[];
  referentialPartitionKeys: number[];
  documents: number;
  emptyDocumentIds: number[];
  emptyDocumentPartitionKeys: number[];
}

function emptyBatch(): MutableBatch {
  return {
    parentDocumentIds: [],
    parentDocumentPartitionKeys: [],
    referentialIds: [],
    referentialPartitionKeys: [],
    documents: 0,
    emptyDocumentIds: [],
    emptyDocumentPartitionKeys: [],
  };
}
