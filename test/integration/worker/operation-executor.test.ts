import test from 'ava';
import type pg from 'pg';
import { checkIntegrity } from '../../../coordinator/observe/integrity.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, type WorkloadConfig } from '../../../shared/run-config.ts';
import { createWorkloadDatabase, restoreAsLoaded, type WorkloadDatabase } from '../support/workload-database.ts';
import { runSessions } from '../support/workload-sessions.ts';

const SHAPE: DatasetShape = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 4 };
let database: WorkloadDatabase;
let client: pg.Client;

test.before(async () => {
  database = await createWorkloadDatabase(`dms_perf_test_executor_${process.pid}`, SHAPE);
  client = await database.connect();
});

test.after.always(async () => {
  await client?.end();
  await database?.drop();
});

const batchWorkload = (sorted: boolean, maxTries: number): WorkloadConfig => ({
  scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'batch', batchSize: 40, sorted },
  strategy: 'current',
  shape: 'bare',
  isolation: 'read-committed',
  maxTries,
  loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
  limits: { iterations: 30, warmupMs: 0 },
});

/** Deadlocks are detected after deadlock_timeout; keep it short so the test does not wait seconds per deadlock. */
const FAST_DEADLOCKS = ["SET deadlock_timeout = '20ms'"];

test.serial('batch in random order: concurrent sessions deadlock, and --max-tries 3 retries them', async (t) => {
  const workload = batchWorkload(false, 3);
  try {
    const result = await runSessions(database, {
      sessions: 6,
      iterations: 30,
      seed: 4242,
      scenario: workload.scenario,
      workload,
      setup: FAST_DEADLOCKS,
    });
    const deadlocked = result.outcomes.filter((o) => o.failedCodes.includes('40P01'));
    t.true(deadlocked.length > 0, 'some operation met a deadlock');
    // A deadlock is never the end of an operation with tries left (whether its retry then succeeds,
    // deadlocks again or meets another error depends on timing, so that is only logged).
    t.true(deadlocked.every((o) => o.tries >= 2), 'every deadlocked operation was tried again');
    for (const o of result.outcomes) {
      t.true(o.tries <= 3);
      t.is(o.failedCodes.length, o.ok ? o.tries - 1 : o.tries, 'every failed try is listed');
      // Only deadlocks are retried: any other code (e.g. 23505, two batches inserting the same pair
      // under the merge strategy's unique constraint) ends the operation.
      t.true(o.failedCodes.slice(0, -1).every((c) => c === '40P01'), o.failedCodes.join(','));
    }
    const touched = [...result.touched];
    const report = await checkIntegrity(client, database.index, result.committed, result.touched);
    const byCode = new Map<string, number>();
    for (const o of result.outcomes) for (const c of o.failedCodes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    t.log(`failed tries by code: ${JSON.stringify(Object.fromEntries(byCode))}`);
    t.log(`${deadlocked.length} of ${result.outcomes.length} operations met a deadlock, ${deadlocked.filter((o) => o.ok).length} of them succeeded on a retry; integrity: ${report.violations} violations in ${touched.length} documents`);
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});
