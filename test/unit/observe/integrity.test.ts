import test from 'ava';
import { judgeDocument } from '../../../coordinator/observe/integrity.ts';
import { datasetIndex } from '../../../shared/dataset.ts';
import { aliasSetDigest } from '../../../shared/workload/reference-set-digest.ts';

const index = datasetIndex({ documents: 40, references: 120, avgRefsPerDoc: 3, partitions: 4 });
const digest = (...ids: number[]) => aliasSetDigest(index, ids);
const DATASET = digest(2, 3, 4);
const A = digest(5, 6);
const B = digest(7, 8, 9);

test('a committed set is accepted, so is any of several', (t) => {
  t.is(judgeDocument(A, { committed: new Set([A]), dataset: DATASET }), undefined);
  t.is(judgeDocument(B, { committed: new Set([A, B]), dataset: DATASET }), undefined);
});

test('nothing committed: only the dataset set is accepted', (t) => {
  t.is(judgeDocument(DATASET, { committed: new Set(), dataset: DATASET }), undefined);
  t.is(judgeDocument(A, { committed: new Set(), dataset: DATASET }), 'matches no committed set');
});

test('the DELETE-then-INSERT race: the union of two committed sets', (t) => {
  t.is(judgeDocument(digest(5, 6, 7, 8, 9), { committed: new Set([A, B]), dataset: DATASET }), 'union of two committed sets');
});

test('the union of the dataset set and a committed set', (t) => {
  t.is(judgeDocument(digest(2, 3, 4, 5, 6), { committed: new Set([A]), dataset: DATASET }), 'union of the dataset set and a committed set');
});

test('duplicate rows, missing rows, empty, lost writes', (t) => {
  const expected = { committed: new Set([A]), dataset: DATASET };
  t.is(judgeDocument(digest(5, 6, 6), expected), 'matches no committed set');
  t.is(judgeDocument(digest(5), expected), 'matches no committed set');
  t.is(judgeDocument(digest(), expected), 'no references');
  t.is(judgeDocument(DATASET, expected), 'dataset set kept, committed sets lost');
});
