import test from 'ava';
import type pg from 'pg';
import { checkIntegrity } from '../../../coordinator/observe/integrity.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, type StrategyName, type WorkloadConfig } from '../../../shared/run-config.ts';
import { loadSql } from '../../../shared/sql.ts';
import { aliasSetDigest } from '../../../shared/workload/reference-set-digest.ts';
import { createWorkloadDatabase, hasDuplicatePair, restoreAsLoaded, type WorkloadDatabase } from '../support/workload-database.ts';
import { runSessions } from '../support/workload-sessions.ts';

const SHAPE: DatasetShape = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 4 };
let database: WorkloadDatabase;
let client: pg.Client;

test.before(async () => {
  database = await createWorkloadDatabase(`dms_perf_test_integrity_${process.pid}`, SHAPE);
  client = await database.connect();
});

test.after.always(async () => {
  await client?.end();
  await database?.drop();
});

/** One strategy call with the dataset's uuids for `aliasIds`, on `connection`. */
function callStrategy(connection: pg.Client, strategy: StrategyName, documentId: number, aliasIds: number[]) {
  const index = database.index;
  return connection.query(loadSql(`workload/call-${strategy}`), [
    aliasIds.map(() => documentId),
    aliasIds.map(() => index.documentPartitionKeys[documentId]),
    aliasIds.map((a) => index.referentialId(a)),
    aliasIds.map((a) => index.referentialPartitionKeys[a]),
  ]);
}

/** Waits until the session named `applicationName` waits on a lock (bounded, not timed). */
async function untilWaitingOnLock(applicationName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { rows } = await client.query(
      "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
      [applicationName],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${applicationName} never waited on a lock`);
}

test.serial('current, bare: a rewrite racing an open rewrite of the same document leaves the union, and the checker says so', async (t) => {
  const index = database.index;
  const target = 5;
  const bystander = 6;
  t.false(hasDuplicatePair(index, target) || hasDuplicatePair(index, bystander));
  const setA = [1, 2, 3];
  const setB = [7, 8, 9, 10];
  const first = await database.connect('refswarm_test_first');
  const second = await database.connect('refswarm_test_second');
  try {
    await first.query('BEGIN');
    await callStrategy(first, 'current', target, setA);
    // The second call's DELETE blocks on the rows the first one deleted...
    const racing = callStrategy(second, 'current', target, setB);
    await untilWaitingOnLock('refswarm_test_second');
    // ...and once the first commits, its DELETE skips them but never sees the first's new rows.
    await first.query('COMMIT');
    t.deepEqual((await racing).rows, []);

    const committed = new Map([[target, new Set([aliasSetDigest(index, setA), aliasSetDigest(index, setB)])]]);
    const report = await checkIntegrity(client, index, committed, new Set([target, bystander]));
    t.is(report.documentsChecked, 2);
    t.is(report.violations, 1);
    t.deepEqual(report.examples, [
      { documentId: target, diagnosis: 'union of two committed sets', rows: 7, expectedRows: [3, 4], committedSets: 2 },
    ]);
  } finally {
    await first.end();
    await second.end();
    await restoreAsLoaded(client, index, [target]);
  }
});

test.serial('untouched by any commit, a document must hold its dataset set', async (t) => {
  const index = database.index;
  const report = await checkIntegrity(client, index, new Map(), new Set([5, 6, 7]));
  t.deepEqual(report, { documentsChecked: 3, violations: 0, examples: [] });
  await callStrategy(client, 'current', 7, [1, 2]);
  try {
    const after = await checkIntegrity(client, index, new Map(), new Set([5, 6, 7]));
    t.is(after.violations, 1);
    t.is(after.examples[0].documentId, 7);
  } finally {
    await restoreAsLoaded(client, index, [7]);
  }
});

const hotWorkload = (strategy: StrategyName): WorkloadConfig => ({
  scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'hot', hotDocs: 3, refsMin: 5, refsMax: 30 },
  strategy,
  shape: 'dms',
  isolation: 'read-committed',
  maxTries: 1,
  loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
  limits: { iterations: 40, warmupMs: 0 },
});

for (const strategy of ['current', 'differential', 'merge'] as const) {
  test.serial(`hot, dms shape, ${strategy}: concurrent sessions leave every document with exactly one committed set`, async (t) => {
    const workload = hotWorkload(strategy);
    try {
      const result = await runSessions(database, { sessions: 6, iterations: 40, seed: 99, scenario: workload.scenario, workload });
      t.is(result.outcomes.length, 240);
      t.true(result.outcomes.every((o) => o.ok), JSON.stringify(result.outcomes.filter((o) => !o.ok).slice(0, 3)));
      t.deepEqual([...result.touched].sort(), [1, 2, 3]);
      const report = await checkIntegrity(client, database.index, result.committed, result.touched);
      t.deepEqual(report, { documentsChecked: 3, violations: 0, examples: [] });
      t.true([1, 2, 3].every((id) => (result.committed.get(id)?.size ?? 0) > 1), 'every hot document was rewritten by several operations');
    } finally {
      await restoreAsLoaded(client, database.index, [1, 2, 3]);
    }
  });
}
