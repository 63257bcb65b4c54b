import { referencedAliasId, strideSeed, type DatasetIndex } from '../shared/dataset.ts';

/**
 * Reference rows that repeat a (parent, referential id) pair already present in the dataset. The
 * merge strategy's unique constraint can only exist when this is 0.
 *
 * A document with fewer references than there are documents points at consecutive aliases, which
 * are distinct, except that the self-reference is bumped to the next alias: a duplicate when that
 * one is in the run anyway. The default dataset has a few of these; documents with at least as many
 * references as there are documents (small datasets) wrap around and are counted row by row.
 */
export function duplicatePairCount(index: DatasetIndex): number {
  const { documents } = index.shape;
  let duplicates = 0;
  for (let i = 1; i <= documents; i++) {
    const count = index.referenceCounts[i];
    if (count >= documents) {
      duplicates += wrappedDuplicates(i, count, documents);
      continue;
    }
    const start = strideSeed(i) % documents;
    const selfOffset = (i - 1 - start + documents) % documents;
    const bumpedOffset = ((i % documents) - start + documents) % documents;
    if (selfOffset < count && bumpedOffset < count) duplicates++;
  }
  return duplicates;
}

function wrappedDuplicates(documentId: number, count: number, documents: number): number {
  const seen = new Uint8Array(documents + 1);
  let duplicates = 0;
  for (let k = 0; k < count; k++) {
    const alias = referencedAliasId(documentId, k, documents);
    if (seen[alias]) duplicates++;
    else seen[alias] = 1;
  }
  return duplicates;
}
