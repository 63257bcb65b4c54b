import { repeatedReferenceNumbers, type DatasetIndex } from '../../shared/dataset.ts';

/**
 * Reference rows that repeat a (parent, referential id) pair already present in the dataset. The
 * merge strategy's unique constraint can only exist when this is 0, or when the load skips them
 * (`load --distinct-pairs`). The default dataset has a few: see repeatedReferenceNumbers.
 */
export function duplicatePairCount(index: DatasetIndex): number {
  const { documents } = index.shape;
  let duplicates = 0;
  for (let i = 1; i <= documents; i++) {
    duplicates += repeatedReferenceNumbers(i, index.referenceCounts[i], documents).length;
  }
  return duplicates;
}
