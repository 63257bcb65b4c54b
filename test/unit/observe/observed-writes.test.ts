import test from 'ava';
import { classifyReadBacks } from '../../../coordinator/observe/observed-writes.ts';
import { judgeHeldSet } from '../../../coordinator/observe/reference-set-judgement.ts';
import { ReadBackCollector } from '../../../coordinator/run/read-back-collector.ts';
import { datasetIndex } from '../../../shared/dataset.ts';
import { aliasSetDigest } from '../../../shared/workload/reference-set-digest.ts';

const index = datasetIndex({ documents: 40, references: 120, avgRefsPerDoc: 3, partitions: 4 });
const digest = (...ids: number[]) => aliasSetDigest(index, ids);
const DATASET = digest(2, 3, 4);
const A = digest(5, 6);
const B = digest(7, 8, 9);
const C = digest(10);
const datasetDigest = () => DATASET;
const readBack = (seen: { documentId: number; digest: string; operation: number }[], writesChecked = 10) => ({
  writesChecked,
  readBacks: writesChecked,
  micros: 50 * writesChecked,
  seen,
  cut: 0,
});

test('judgeHeldSet names the two sets a union mixes, whichever order they were committed in', (t) => {
  t.deepEqual(judgeHeldSet(digest(5, 6, 7, 8, 9), { committed: new Set([C, B, A]), dataset: DATASET })?.mixed.toSorted(), [A, B].toSorted());
  t.deepEqual(judgeHeldSet(digest(2, 3, 4, 10), { committed: new Set([A, C]), dataset: DATASET }), {
    diagnosis: 'union of the dataset set and a committed set',
    mixed: [DATASET, C],
  });
  t.deepEqual(judgeHeldSet(digest(5, 6, 10, 7), { committed: new Set([A, B, C]), dataset: DATASET }), { diagnosis: 'matches no committed set', mixed: [] });
});

test('a set another operation wrote is no anomaly; a union is, named after the sessions and operations that wrote it', (t) => {
  const collector = new ReadBackCollector();
  collector.add(0, undefined, { 1: [A] }, { 1: [3] });
  collector.add(1, undefined, { 1: [B] }, { 1: [7] });
  collector.add(2, readBack([
    { documentId: 1, digest: B, operation: 4 },
    { documentId: 1, digest: digest(5, 6, 7, 8, 9), operation: 5 },
  ]), { 1: [C] }, { 1: [4] });
  // The same union seen again by another session is the same anomaly.
  collector.add(3, readBack([{ documentId: 1, digest: digest(5, 6, 7, 8, 9), operation: 9 }]), undefined, undefined);
  // The done event repeats a session's sets: its writer is listed once.
  collector.add(0, undefined, { 1: [A] }, { 1: [3] });
  const observed = classifyReadBacks(collector.result(), datasetDigest);
  t.like(observed, { writesChecked: 20, anomalies: 1, per1000: 50, otherSets: 1, readBacks: 20, readBackMicrosTotal: 1000, readBackMicrosMean: 50 });
  t.deepEqual(observed.byDiagnosis, { 'union of two committed sets': 1 });
  t.deepEqual(observed.examples, [
    {
      documentId: 1,
      diagnosis: 'union of two committed sets',
      rows: 5,
      seenBy: { sessionId: 2, operation: 5 },
      mixed: [
        { set: 'committed', rows: 2, writtenBy: [{ sessionId: 0, operation: 3 }] },
        { set: 'committed', rows: 3, writtenBy: [{ sessionId: 1, operation: 7 }] },
      ],
    },
  ]);
});

test('the dataset set in a union is named as such; anomalies on documents a lost session wrote are unknown, not counted', (t) => {
  const collector = new ReadBackCollector();
  collector.add(0, readBack([
    { documentId: 1, digest: digest(2, 3, 4, 5, 6), operation: 1 },
    { documentId: 2, digest: digest(5), operation: 2 },
  ]), { 1: [A], 2: [A] }, { 1: [1], 2: [2] });
  const observed = classifyReadBacks(collector.result(), datasetDigest, new Set([2]));
  t.is(observed.anomalies, 1);
  t.is(observed.unknown, 1);
  t.deepEqual(observed.examples[0].mixed, [
    { set: 'dataset', rows: 3, writtenBy: [] },
    { set: 'committed', rows: 2, writtenBy: [{ sessionId: 0, operation: 1 }] },
  ]);
});

test('no read-back: zero writes checked, zero per 1000', (t) => {
  t.like(classifyReadBacks(new ReadBackCollector().result(), datasetDigest), { writesChecked: 0, anomalies: 0, per1000: 0, readBackMicrosMean: 0 });
});

test("three writes racing: the reading session's own set plus two others is named, all three writes with it", (t) => {
  const collector = new ReadBackCollector();
  collector.add(0, undefined, { 1: [A] }, { 1: [3] });
  collector.add(1, undefined, { 1: [B] }, { 1: [7] });
  collector.add(2, readBack([{ documentId: 1, digest: digest(5, 6, 7, 8, 9, 10), operation: 4 }]), { 1: [C] }, { 1: [4] });
  // Read back by a session whose own set is not in it: no search beyond two sets.
  collector.add(3, readBack([{ documentId: 1, digest: digest(5, 6, 7, 8, 9, 11), operation: 2 }]), { 1: [digest(12)] }, { 1: [2] });
  const observed = classifyReadBacks(collector.result(), datasetDigest);
  t.deepEqual(observed.byDiagnosis, { 'union of three committed sets': 1, 'matches no committed set': 1 });
  t.deepEqual(observed.examples[0].mixed.map((m) => m.writtenBy), [
    [{ sessionId: 2, operation: 4 }],
    [{ sessionId: 0, operation: 3 }],
    [{ sessionId: 1, operation: 7 }],
  ]);
});
