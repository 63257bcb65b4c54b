import test from 'ava';
import { datasetIndex, type DatasetShape } from '../../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, defaultBatchSize, type ScenarioName, type ScenarioOptions } from '../../../../shared/run-config.ts';
import { createOperationStream } from '../../../../shared/workload/operation-stream.ts';
import type { DocumentRewrite, Operation } from '../../../../shared/workload/operation.ts';
import { scenarioProblems } from '../../../../shared/workload/scenario-problems.ts';

const DATASET: DatasetShape = { documents: 1000, references: 20_000, avgRefsPerDoc: 20, partitions: 8 };

function scenario(name: ScenarioName, overrides: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { ...DEFAULT_SCENARIO_OPTIONS, scenario: name, batchSize: defaultBatchSize(name), ...overrides };
}

function take(options: ScenarioOptions, n: number, sessionId = 0, sessionCount = 4, seed = 12345, dataset = DATASET): Operation[] {
  const stream = createOperationStream({ seed, sessionId, sessionCount, scenario: options, dataset });
  return Array.from({ length: n }, () => stream.next());
}

function rewrites(operations: readonly Operation[]): DocumentRewrite[][] {
  return operations.map((op) => {
    if (op.kind !== 'rewrite') throw new Error(`expected a rewrite, got ${op.kind}`);
    return [...op.documents];
  });
}

function assertValidRewrite(t: import('ava').ExecutionContext, d: DocumentRewrite, min: number, max: number, documents = DATASET.documents) {
  t.true(d.documentId >= 1 && d.documentId <= documents, `document ${d.documentId}`);
  t.true(d.aliasIds.length >= min && d.aliasIds.length <= max, `${d.aliasIds.length} references`);
  t.is(new Set(d.aliasIds).size, d.aliasIds.length, 'aliases are distinct');
  t.false(d.aliasIds.includes(d.documentId), 'never references itself');
  for (const a of d.aliasIds) t.true(a >= 1 && a <= documents);
}

const WRITE_SCENARIOS: ScenarioName[] = ['single', 'disjoint', 'hot', 'batch', 'cross-partition', 'mixed'];

for (const name of [...WRITE_SCENARIOS, 'noop', 'idle'] as ScenarioName[]) {
  test(`${name}: the same seed and session give the same operations and digest`, (t) => {
    const a = createOperationStream({ seed: 7, sessionId: 2, sessionCount: 4, scenario: scenario(name), dataset: DATASET });
    const b = createOperationStream({ seed: 7, sessionId: 2, sessionCount: 4, scenario: scenario(name), dataset: DATASET });
    const opsA = Array.from({ length: 50 }, () => a.next());
    const opsB = Array.from({ length: 50 }, () => b.next());
    t.deepEqual(opsA, opsB);
    t.is(a.digest(), b.digest());
    t.regex(a.digest(), /^[0-9a-f]{64}$/);
  });
}

for (const name of WRITE_SCENARIOS) {
  test(`${name}: another seed or session gives other operations and another digest`, (t) => {
    const digest = (seed: number, sessionId: number) => {
      const stream = createOperationStream({ seed, sessionId, sessionCount: 4, scenario: scenario(name), dataset: DATASET });
      for (let i = 0; i < 20; i++) stream.next();
      return stream.digest();
    };
    t.not(digest(1, 0), digest(2, 0));
    t.not(digest(1, 0), digest(1, 1));
  });
}

test('the digest covers every operation handed out, and only those', (t) => {
  const stream = createOperationStream({ seed: 1, sessionId: 0, sessionCount: 1, scenario: scenario('single'), dataset: DATASET });
  const empty = stream.digest();
  stream.next();
  const one = stream.digest();
  t.not(empty, one);
  t.is(stream.digest(), one, 'digest() does not consume');
});

test('single: one document, refs-min..refs-max distinct references, never itself', (t) => {
  for (const [d] of rewrites(take(scenario('single', { refsMin: 3, refsMax: 9 }), 2000))) assertValidRewrite(t, d, 3, 9);
});

test('batch on a tiny dataset caps the references at the other documents', (t) => {
  const tiny: DatasetShape = { documents: 5, references: 10, avgRefsPerDoc: 2, partitions: 2 };
  for (const batch of rewrites(take(scenario('batch', { batchSize: 2 }), 200, 0, 1, 1, tiny))) {
    for (const d of batch) {
      t.is(d.aliasIds.length, 4);
      assertValidRewrite(t, d, 4, 4, 5);
    }
  }
});

test('single refuses --refs-max above the other documents rather than capping it, as the coordinator does', (t) => {
  const tiny: DatasetShape = { documents: 5, references: 10, avgRefsPerDoc: 2, partitions: 2 };
  t.throws(() => take(scenario('single'), 1, 0, 1, 1, tiny), { message: /--refs-max 100 is above the 4 other documents/ });
});

test('disjoint: no document is ever shared between sessions, and each stays in its residue class', (t) => {
  const sessions = 7;
  const owner = new Map<number, number>();
  for (let s = 0; s < sessions; s++) {
    for (const [d] of rewrites(take(scenario('disjoint'), 500, s, sessions))) {
      t.is(d.documentId % sessions, s);
      const previous = owner.get(d.documentId);
      t.true(previous === undefined || previous === s, `document ${d.documentId} used by sessions ${previous} and ${s}`);
      owner.set(d.documentId, s);
      assertValidRewrite(t, d, 10, 100);
    }
  }
  t.true(owner.size > 500);
});

test('disjoint reaches the last documents of each residue class', (t) => {
  const small: DatasetShape = { documents: 10, references: 50, avgRefsPerDoc: 5, partitions: 2 };
  const seen = new Set<number>();
  for (let s = 0; s < 3; s++) for (const [d] of rewrites(take(scenario('disjoint', { refsMin: 1, refsMax: 9 }), 200, s, 3, 1, small))) seen.add(d.documentId);
  t.deepEqual([...seen].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('hot: every session stays inside documents 1..hot-docs', (t) => {
  for (let s = 0; s < 4; s++) {
    const seen = new Set<number>();
    for (const [d] of rewrites(take(scenario('hot', { hotDocs: 5 }), 500, s))) {
      t.true(d.documentId >= 1 && d.documentId <= 5);
      seen.add(d.documentId);
      assertValidRewrite(t, d, 10, 100);
    }
    t.is(seen.size, 5, 'the whole hot set is used');
  }
});

test('batch: batch-size distinct documents with up to 20 references each', (t) => {
  for (const docs of rewrites(take(scenario('batch', { batchSize: 50 }), 100))) {
    t.is(docs.length, 50);
    t.is(new Set(docs.map((d) => d.documentId)).size, 50);
    for (const d of docs) assertValidRewrite(t, d, 10, 20);
  }
});

test('batch: random order unless --sorted, then ascending ids', (t) => {
  const sortedBatches = rewrites(take(scenario('batch', { batchSize: 20, sorted: true }), 50));
  for (const docs of sortedBatches) {
    const ids = docs.map((d) => d.documentId);
    t.deepEqual(ids, [...ids].sort((a, b) => a - b));
  }
  const randomBatches = rewrites(take(scenario('batch', { batchSize: 20 }), 50));
  const unsorted = randomBatches.filter((docs) => docs.some((d, i) => i > 0 && d.documentId < docs[i - 1].documentId));
  t.true(unsorted.length >= 45, `${unsorted.length} of 50 random batches out of order`);
});

test('batch honours refs-min/refs-max below 20', (t) => {
  for (const docs of rewrites(take(scenario('batch', { batchSize: 10, refsMin: 2, refsMax: 5 }), 50))) {
    for (const d of docs) assertValidRewrite(t, d, 2, 5);
  }
});

test('cross-partition: batches of documents from distinct partitions', (t) => {
  const index = datasetIndex(DATASET);
  for (const batchSize of [1, 4, 8]) {
    for (const docs of rewrites(take(scenario('cross-partition', { batchSize }), 200))) {
      t.is(docs.length, batchSize);
      const keys = docs.map((d) => index.documentPartitionKeys[d.documentId]);
      t.is(new Set(keys).size, batchSize, `partition keys ${keys.join(',')}`);
      for (const d of docs) assertValidRewrite(t, d, 10, 100);
    }
  }
});

test('mixed: the read ratio holds within tolerance over many draws, reads split between both kinds', (t) => {
  for (const readRatio of [0, 0.2, 0.8, 1]) {
    const ops = take(scenario('mixed', { readRatio }), 20_000);
    const reads = ops.filter((op) => op.kind !== 'rewrite');
    t.true(Math.abs(reads.length / ops.length - readRatio) < 0.015, `ratio ${reads.length / ops.length} for ${readRatio}`);
    if (readRatio > 0) {
      const reverse = reads.filter((op) => op.kind === 'read-referencing').length;
      t.true(Math.abs(reverse / reads.length - 0.5) < 0.03, `reverse share ${reverse / reads.length}`);
    }
    for (const op of ops) {
      if (op.kind === 'rewrite') assertValidRewrite(t, op.documents[0], 10, 100);
      else if (op.kind !== 'noop' && op.kind !== 'idle') t.true(op.documentId >= 1 && op.documentId <= DATASET.documents);
    }
  }
});

test('noop: SELECT 1 or the configured sleep', (t) => {
  t.deepEqual(take(scenario('noop'), 3), [{ kind: 'noop', sleepMs: 0 }, { kind: 'noop', sleepMs: 0 }, { kind: 'noop', sleepMs: 0 }]);
  t.deepEqual(take(scenario('noop', { noopSleepMs: 10 }), 1), [{ kind: 'noop', sleepMs: 10 }]);
});

test('idle: nothing but idle operations; the digest counts them and does not depend on the seed or session', (t) => {
  t.deepEqual(take(scenario('idle'), 3), [{ kind: 'idle' }, { kind: 'idle' }, { kind: 'idle' }]);
  const digest = (n: number, seed: number, sessionId: number) => {
    const stream = createOperationStream({ seed, sessionId, sessionCount: 4, scenario: scenario('idle'), dataset: DATASET });
    for (let i = 0; i < n; i++) stream.next();
    return stream.digest();
  };
  t.is(digest(20, 1, 0), digest(20, 2, 3));
  t.not(digest(20, 1, 0), digest(21, 1, 0));
  // An idle operation does not hash as a noop (code 0) or a rewrite: equal counts, different digests.
  const noop = createOperationStream({ seed: 1, sessionId: 0, sessionCount: 4, scenario: scenario('noop'), dataset: DATASET });
  for (let i = 0; i < 20; i++) noop.next();
  t.not(digest(20, 1, 0), noop.digest());
});

test('scenario problems: idle needs nothing of the dataset, whatever the sessions', (t) => {
  const tiny: DatasetShape = { documents: 1, references: 0, avgRefsPerDoc: 1, partitions: 1 };
  t.deepEqual(scenarioProblems(scenario('idle'), tiny, 100_000), []);
  t.deepEqual(scenarioProblems(scenario('idle', { refsMin: 20, refsMax: 10 }), DATASET, 10_000), []);
});

const PROBLEMS: [string, ScenarioOptions, number, RegExp][] = [
  ['hot set larger than the dataset', scenario('hot', { hotDocs: 1001 }), 4, /--hot-docs 1001/],
  ['batch larger than the dataset', scenario('batch', { batchSize: 1001 }), 4, /--batch-size 1001/],
  ['cross-partition batch above the partitions', scenario('cross-partition', { batchSize: 9 }), 4, /--batch-size 9 .* 8 partitions/],
  ['disjoint with more sessions than documents', scenario('disjoint'), 1001, /--sessions 1001/],
  ['refs-min above refs-max', scenario('single', { refsMin: 20, refsMax: 10 }), 4, /--refs-min 20/],
  ['read ratio above 1', scenario('mixed', { readRatio: 1.5 }), 4, /--read-ratio 1.5/],
];

for (const [title, options, sessions, expected] of PROBLEMS) {
  test(`scenario problems: ${title}`, (t) => {
    const problems = scenarioProblems(options, DATASET, sessions);
    t.is(problems.length, 1);
    t.regex(problems[0], expected);
    t.throws(() => createOperationStream({ seed: 1, sessionId: 0, sessionCount: sessions, scenario: options, dataset: DATASET }), {
      message: expected,
    });
  });
}

test('scenario problems: none for the defaults', (t) => {
  for (const name of [...WRITE_SCENARIOS, 'noop', 'idle'] as ScenarioName[]) {
    const options = scenario(name);
    t.deepEqual(scenarioProblems(options, DATASET, 10), [], name);
  }
});
