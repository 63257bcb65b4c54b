import test from 'ava';
import { datasetIndex } from '../../../shared/dataset.ts';
import { stagingChunks } from '../../../coordinator/restore/staging-rows.ts';
import { decodeBinaryCopy, int16Of, int64Of, uuidOf } from '../load/binary-copy-decoder.ts';

// R smaller than the weights ask for: the last documents get no references at all.
const index = datasetIndex({ documents: 50, references: 600, avgRefsPerDoc: 20, partitions: 4 });

function staged(ids: readonly number[], distinctPairs = false) {
  return decodeBinaryCopy(Buffer.concat([...stagingChunks(index, ids, { distinctPairs })])).map((row) => ({
    datasetRowId: int64Of(row[0]),
    parent: int64Of(row[1]),
    parentKey: int16Of(row[2]),
    referentialId: uuidOf(row[3]),
    referentialKey: int16Of(row[4]),
  }));
}

test('the staging rows are the documents’ dataset references, with the Ids a load gives them', (t) => {
  const ids = [1, 7, 50];
  const rows = staged(ids);
  t.is(rows.length, index.referenceCounts[1] + index.referenceCounts[7]);
  for (const id of [1, 7]) {
    const own = rows.filter((r) => r.parent === id);
    t.deepEqual(own.map((r) => r.referentialId), index.datasetReferences(id).map((a) => index.referentialId(a)));
    t.deepEqual(own.map((r) => r.referentialKey), index.datasetReferences(id).map((a) => index.referentialPartitionKeys[a]));
    t.true(own.every((r) => r.parentKey === index.documentPartitionKeys[id]));
    t.deepEqual(own.map((r) => r.datasetRowId), own.map((_, k) => index.firstReferenceRow[id] + 1 + k));
  }
});

test('with distinctPairs the repeated rows are left out and their Ids stay unused, as in a --distinct-pairs load', (t) => {
  const rows = staged([1], true);
  const distinct = index.datasetReferences(1, { distinctPairs: true });
  t.true(distinct.length < index.referenceCounts[1]);
  t.deepEqual(rows.map((r) => r.referentialId), distinct.map((a) => index.referentialId(a)));
  t.is(new Set(rows.map((r) => r.referentialId)).size, rows.length);
  t.true(rows.at(-1)!.datasetRowId - rows[0].datasetRowId + 1 > rows.length, 'gaps where the repeated rows were');
});

test('no documents, or only empty sets: a valid stream of no rows', (t) => {
  t.deepEqual(staged([]), []);
  t.deepEqual(staged([50]), []);
});
