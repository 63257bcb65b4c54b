import test from 'ava';
import { datasetIndex } from '../../../shared/dataset.ts';
import { datasetSetSize, documentsByPartition, normalizeDocumentIds, restoreBatches } from '../../../coordinator/restore/restore-batches.ts';
import { parseDocumentList } from '../../../coordinator/restore/restore-targets.ts';
import { UsageError } from '../../../shared/errors.ts';

// R smaller than the weights ask for: the last documents get no references at all.
const index = datasetIndex({ documents: 50, references: 600, avgRefsPerDoc: 20, partitions: 4 });

test('the fixture dataset has documents without references', (t) => {
  t.is(index.referenceCounts[50], 0);
  t.true(index.referenceCounts[1] > 0);
});

test('documents by partition: every document once, under its own key, in the given order', (t) => {
  const ids = [9, 2, 7, 1, 4, 3];
  const byPartition = documentsByPartition(index, ids);
  t.deepEqual([...byPartition.values()].flat().sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  for (const [key, documentIds] of byPartition) {
    for (const id of documentIds) t.is(index.documentPartitionKeys[id], key);
    t.deepEqual(documentIds, ids.filter((id) => index.documentPartitionKeys[id] === key));
  }
  t.deepEqual([...byPartition.keys()], [...new Set(ids.map((id) => index.documentPartitionKeys[id]))]);
});

test('batches carry whole documents grouped by partition, within the row bound', (t) => {
  const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const batches = restoreBatches(index, ids, 60);
  t.true(batches.length > 1);
  const seen: number[] = [];
  for (const batch of batches) {
    const documents = batch.partitions.flatMap((p) => p.documentIds);
    t.is(batch.documents, documents.length);
    t.is(batch.rows, documents.reduce((sum, id) => sum + index.referenceCounts[id], 0));
    t.true(batch.rows <= 60 || batch.documents === 1);
    const keys = batch.partitions.map((p) => p.partitionKey);
    t.deepEqual(keys, [...new Set(keys)].sort((a, b) => a - b), 'one group per partition, ascending');
    for (const { partitionKey, documentIds } of batch.partitions) {
      for (const id of documentIds) t.is(index.documentPartitionKeys[id], partitionKey);
      t.deepEqual(documentIds, [...documentIds].sort((a, b) => a - b));
    }
    seen.push(...documents);
  }
  t.deepEqual(seen.sort((a, b) => a - b), ids);
  // Document 1 is heavy (10A = 200 weight): it travels alone even above the bound.
  t.true(batches.some((b) => b.documents === 1 && b.rows > 60));
});

test('by default one batch holds every document', (t) => {
  const ids = Array.from({ length: 50 }, (_, i) => i + 1);
  const batches = restoreBatches(index, ids);
  t.is(batches.length, 1);
  t.is(batches[0].documents, 50);
  t.is(batches[0].rows, 600);
});

test('documents with an empty dataset set travel too: their rows are deleted, none inserted', (t) => {
  const [batch] = restoreBatches(index, [49, 50], 1000);
  t.true(batch.partitions.flatMap((p) => p.documentIds).includes(50));
  t.is(batch.rows, index.referenceCounts[49]);
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

test('with distinctPairs a batch counts each document’s distinct set (a --distinct-pairs load)', (t) => {
  const ids = [1, 2, 3];
  const [batch] = restoreBatches(index, ids, 1000, { distinctPairs: true });
  t.is(batch.rows, ids.reduce((sum, id) => sum + index.datasetReferences(id, { distinctPairs: true }).length, 0));
  t.true(index.datasetReferences(1, { distinctPairs: true }).length < index.referenceCounts[1], 'document 1 has duplicates');
  for (const id of ids) t.is(datasetSetSize(index, id, { distinctPairs: true }), index.datasetReferences(id, { distinctPairs: true }).length);
});
