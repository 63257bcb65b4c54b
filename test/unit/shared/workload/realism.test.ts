import test from 'ava';
import { datasetIndex, type DatasetShape } from '../../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, defaultBatchSize, type ScenarioName, type ScenarioOptions } from '../../../../shared/run-config.ts';
import { createOperationStream } from '../../../../shared/workload/operation-stream.ts';
import type { DocumentRewrite, Operation } from '../../../../shared/workload/operation.ts';
import { fixtureRewrite } from '../../../../shared/workload/scenarios/scenario-fixture.ts';
import { strategyArguments } from '../../../../shared/workload/strategy-arguments.ts';
import { UNKNOWN_REFERENTIAL_ID } from '../../../../shared/workload/unknown-reference.ts';

/** --change, --target-skew, --unknown-ratio and the fixture scenario (docs/architecture.md#scenarios). */

const DATASET: DatasetShape = { documents: 1000, references: 20_000, avgRefsPerDoc: 20, partitions: 8 };
const index = datasetIndex(DATASET);

function scenario(name: ScenarioName, overrides: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { ...DEFAULT_SCENARIO_OPTIONS, scenario: name, batchSize: defaultBatchSize(name), ...overrides };
}

function take(options: ScenarioOptions, n: number, seed = 12345, sessionId = 0) {
  const stream = createOperationStream({ seed, sessionId, sessionCount: 4, scenario: options, dataset: DATASET });
  const operations = Array.from({ length: n }, () => stream.next());
  return { operations, digest: stream.digest() };
}

function documentsOf(operations: readonly Operation[]): DocumentRewrite[] {
  return operations.flatMap((op) => (op.kind === 'rewrite' ? op.documents : []));
}

const datasetSet = (documentId: number) => index.datasetReferences(documentId, { distinctPairs: true });

test('regression: default options keep the digests streams had before the realism options', (t) => {
  // Computed on main before --change/--target-skew/--unknown-ratio existed (seed 7, session 3 of 8, 200 operations, D=2000).
  const dataset: DatasetShape = { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 };
  const digest = (name: ScenarioName) => {
    const stream = createOperationStream({ seed: 7, sessionId: 3, sessionCount: 8, scenario: scenario(name), dataset });
    for (let i = 0; i < 200; i++) stream.next();
    return stream.digest();
  };
  t.is(digest('single'), '9eec5a9306a5d25e507830e2c7161467de77b05569bb54db9b3d19913a4e0552');
  t.is(digest('batch'), '3251fc529c893ded88055720d2c5bffc4c340bc1ac4f5f9993d454564e3e7193');
  t.is(digest('mixed'), 'a82e065a4994d657ab7cb3e3df5a89f76e14204ef4b7a5205ccb1815e41f716c');
});

test('--change 0 resubmits the document\'s dataset set unchanged; all (the default) draws a fresh one', (t) => {
  for (const d of documentsOf(take(scenario('single', { change: 0 }), 50).operations)) t.deepEqual(d.aliasIds, datasetSet(d.documentId));
  for (const d of documentsOf(take(scenario('single'), 50).operations)) {
    const overlap = d.aliasIds.filter((a) => datasetSet(d.documentId).includes(a)).length;
    t.true(overlap < d.aliasIds.length / 2, `document ${d.documentId}: ${overlap} of ${d.aliasIds.length} from its dataset set`);
  }
});

test('--change K replaces exactly K references of the dataset set, in place, with distinct other documents', (t) => {
  for (const change of [1, 5]) {
    for (const d of documentsOf(take(scenario('batch', { change, batchSize: 10 }), 20).operations)) {
      const base = datasetSet(d.documentId);
      t.is(d.aliasIds.length, base.length);
      t.is(d.aliasIds.filter((a, k) => a !== base[k]).length, Math.min(change, base.length));
      t.is(new Set(d.aliasIds).size, d.aliasIds.length, 'distinct');
      t.false(d.aliasIds.includes(d.documentId), 'never itself');
    }
  }
});

test('--target-skew zipf:S: the first documents collect the references', (t) => {
  const referenced = new Map<number, number>();
  for (const d of documentsOf(take(scenario('single', { zipfExponent: 1.2, refsMin: 5, refsMax: 10 }), 2000).operations)) {
    t.is(new Set(d.aliasIds).size, d.aliasIds.length);
    t.false(d.aliasIds.includes(d.documentId));
    for (const a of d.aliasIds) referenced.set(a, (referenced.get(a) ?? 0) + 1);
  }
  const count = (id: number) => referenced.get(id) ?? 0;
  t.true(count(1) > 10 * count(500), `document 1 referenced ${count(1)} times, document 500 ${count(500)}`);
  t.true(count(2) > count(50));
});

test('--unknown-ratio R: about R of the rewrites carry one unknown id on their first document; the digest covers it', (t) => {
  const { operations } = take(scenario('single', { unknownRatio: 0.25 }), 4000);
  const carrying = documentsOf(operations).filter((d) => d.unknownReference);
  t.true(Math.abs(carrying.length / 4000 - 0.25) < 0.03, `${carrying.length} of 4000`);
  const batch = documentsOf(take(scenario('batch', { unknownRatio: 1, batchSize: 5 }), 1).operations);
  t.deepEqual(batch.map((d) => d.unknownReference === true), [true, false, false, false, false]);
  t.true(strategyArguments(index, batch).referentialIds.includes(UNKNOWN_REFERENTIAL_ID));
  t.false(index.referentialId(1) === UNKNOWN_REFERENTIAL_ID);

  // Both draw one extra number per rewrite, so their operations match but for the marks.
  const all = take(scenario('single', { unknownRatio: 1 }), 20);
  const none = take(scenario('single', { unknownRatio: 1e-12 }), 20);
  t.deepEqual(documentsOf(all.operations).map((d) => d.aliasIds), documentsOf(none.operations).map((d) => d.aliasIds));
  t.not(all.digest, none.digest);
});

test('the realism draws are deterministic per seed and session and in the digest', (t) => {
  const options = scenario('hot', { change: 3, zipfExponent: 1.1, unknownRatio: 0.1 });
  t.is(take(options, 100).digest, take(options, 100).digest);
  t.not(take(options, 100).digest, take(options, 100, 12345, 1).digest);
  t.not(take(options, 100).digest, take(scenario('hot', { change: 4, zipfExponent: 1.1, unknownRatio: 0.1 }), 100).digest);
});

test('fixture: the fixture\'s documents and their first N references by referential partition key, every operation', (t) => {
  const standard = fixtureRewrite('single_doc_standard', DATASET);
  t.is(standard.length, 1);
  t.is(standard[0].documentId, 2);
  t.is(standard[0].aliasIds.length, Math.min(50, datasetSet(2).length));
  const keys = standard[0].aliasIds.map((a) => index.referentialPartitionKeys[a]);
  t.deepEqual(keys, [...keys].sort((a, b) => a - b));
  const batch = fixtureRewrite('batch_100_mixed', DATASET);
  t.deepEqual(batch.map((d) => d.documentId), Array.from({ length: 100 }, (_, i) => i + 1));
  t.true(batch.every((d) => d.aliasIds.length <= 20));
  const { operations } = take(scenario('fixture', { fixture: 'single_doc_standard' }), 3);
  for (const op of operations) t.deepEqual(op, { kind: 'rewrite', documents: standard });
});

test('fixture --fixture-alternate: the fixture set, then a second set outside it, alternately; with --change K the second differs in K', (t) => {
  const [fixture] = fixtureRewrite('single_doc_standard', DATASET);
  const ops = documentsOf(take(scenario('fixture', { fixture: 'single_doc_standard', fixtureAlternate: true }), 4).operations);
  t.deepEqual(ops[0], fixture);
  t.deepEqual(ops[2], fixture);
  t.deepEqual(ops[1], ops[3], 'the second set is drawn once per session');
  t.is(ops[1].aliasIds.length, fixture.aliasIds.length);
  t.false(ops[1].aliasIds.some((a) => fixture.aliasIds.includes(a) || a === fixture.documentId));
  const changed = documentsOf(take(scenario('fixture', { fixture: 'single_doc_standard', fixtureAlternate: true, change: 5 }), 2).operations)[1];
  t.is(changed.aliasIds.filter((a, k) => a !== fixture.aliasIds[k]).length, 5);
});
