import test from 'ava';
import { datasetIndex } from '../../../shared/dataset.ts';
import { normalizeDocumentIds, restoreBatches } from '../../../coordinator/restore/restore-batches.ts';
import { parseDocumentList } from '../../../coordinator/restore/restore-targets.ts';
import { UsageError } from '../../../shared/errors.ts';

// R smaller than the weights ask for: the last documents get no references at all.
const index = datasetIndex({ documents: 50, references: 600, avgRefsPerDoc: 20, partitions: 4 });

test('the fixture dataset has documents without references', (t) => {
  t.is(index.referenceCounts[50], 0);
  t.true(index.referenceCounts[1] > 0);
});

test('batches carry each document whole, with its dataset references, within the row bound', (t) => {
  const ids = [1, 2, 3, 4, 5, 6];
  const batches = [...restoreBatches(index, ids, 60)];
  t.true(batches.length > 1);
  const seen = new Map<number, string[]>();
  for (const batch of batches) {
    t.is(batch.parentDocumentIds.length, batch.referentialIds.length);
    t.is(batch.parentDocumentIds.length, batch.parentDocumentPartitionKeys.length);
    t.is(batch.parentDocumentIds.length, batch.referentialPartitionKeys.length);
    t.true(batch.parentDocumentIds.length <= 60 || batch.documents === 1);
    batch.parentDocumentIds.forEach((id, i) => {
      if (!seen.has(id)) seen.set(id, []);
      seen.get(id)!.push(batch.referentialIds[i]);
      t.is(batch.parentDocumentPartitionKeys[i], index.documentPartitionKeys[id]);
    });
  }
  for (const id of ids) {
    t.deepEqual(seen.get(id), index.datasetReferences(id).map((a) => index.referentialId(a)));
  }
  // Document 1 is heavy (10A = 200 weight): it travels alone even above the bound.
  t.true(batches.some((b) => b.documents === 1 && b.parentDocumentIds.length > 60));
});

test('documents with an empty dataset set are listed apart for a delete', (t) => {
  const batches = [...restoreBatches(index, [49, 50], 1000)];
  const empty = batches.flatMap((b) => b.emptyDocumentIds);
  t.true(empty.includes(50));
  t.false(batches.flatMap((b) => b.parentDocumentIds).includes(50));
});

test('normalizeDocumentIds sorts, deduplicates and refuses ids outside the dataset', (t) => {
  t.deepEqual(normalizeDocumentIds([5, 1, 5, 3], 10), [1, 3, 5]);
  t.throws(() => normalizeDocumentIds([0], 10), { instanceOf: RangeError });
  t.throws(() => normalizeDocumentIds([11], 10), { message: /document 11 is not in the dataset \(1..10\)/ });
});

test('--documents lists and ranges', (t) => {
  t.deepEqual(parseDocumentList('1,2,3'), [1, 2, 3]);
  t.deepEqual(parseDocumentList('5-8, 10'), [5, 6, 7, 8, 10]);
  for (const bad of ['', 'a', '0', '3-1', '1,,x', '-4']) {
    t.throws(() => parseDocumentList(bad), { instanceOf: UsageError, message: /for --documents/ }, bad);
  }
});

test('with distinctPairs the batches carry each document’s distinct set (a --distinct-pairs load)', (t) => {
  const ids = [1, 2, 3];
  const batches = [...restoreBatches(index, ids, 1000, { distinctPairs: true })];
  for (const id of ids) {
    const sent = batches.flatMap((b) => b.referentialIds.filter((_, i) => b.parentDocumentIds[i] === id));
    t.deepEqual(sent, index.datasetReferences(id, { distinctPairs: true }).map((a) => index.referentialId(a)));
    t.is(new Set(sent).size, sent.length);
  }
  t.true(index.datasetReferences(1, { distinctPairs: true }).length < index.referenceCounts[1], 'document 1 has duplicates');
});
