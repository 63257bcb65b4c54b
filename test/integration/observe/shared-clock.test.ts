import test from 'ava';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { lockWaitObserver } from '../../../coordinator/observe/lock-wait-observer.ts';
import { pgStatsObserver } from '../../../coordinator/observe/pg-stats-observer.ts';
import type { RunObserverContext, RunOutcome } from '../../../coordinator/observe/run-observers.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { sharedClockFrom } from '../../../shared/redis-clock.ts';
import { createScratchDatabase, dropScratchDatabase, scratchDatabaseUrl } from '../support/scratch-database.ts';

/**
 * A coordinator whose own clock differs from Redis's: everything an observer stamps must be on the
 * run's shared clock, the one the start and end of the run are on. Here the shared clock runs an
 * hour ahead of this process's Date.now.
 */

const NAME = `dms_perf_test_sharedclock_${process.pid}`;
const URL_ = scratchDatabaseUrl(NAME);
const HOUR_MS = 3_600_000;
const SAMPLE_INTERVAL_MS = 50;

test.before(async () => {
  await createScratchDatabase(NAME);
});

test.after.always(() => dropScratchDatabase(NAME));

function contextAheadOfLocalTime(applicationTag: string): RunObserverContext {
  const { config } = parseRunArgs(['--sessions', '1', '--sample-interval', `${SAMPLE_INTERVAL_MS}ms`], { DATABASE_URL: URL_ });
  return {
    runId: applicationTag,
    config,
    dataset: { documents: 1, references: 1, avgRefsPerDoc: 1, partitions: 1 },
    databaseUrl: URL_,
    applicationTag,
    signal: new AbortController().signal,
    clock: sharedClockFrom({ offsetMs: HOUR_MS, rttMs: 0 }),
  };
}

function outcome(startAtMs: number, endAtMs: number): RunOutcome {
  return { startAtMs, endAtMs, intervalMs: 100, opsTotal: 0, committed: new Map(), touched: new Set() };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test.serial("lock-wait samples are stamped with the run's shared clock, not the coordinator's Date.now", async (t) => {
  const tag = `rs_clocklock_${process.pid}`;
  const context = contextAheadOfLocalTime(tag);
  const session = await connectPg(URL_, `${tag}_0`);
  try {
    const observer = lockWaitObserver();
    const startAtMs = context.clock.now();
    await observer.onStart?.(context, startAtMs);
    await sleep(600);
    const endAtMs = context.clock.now();
    // The run's intervals (1 s): the observer counts per second (lock-sample-fold.ts). A sample stamped
    // with the local clock would be an hour away, thousands of intervals out of the run.
    const { lockWaits, intervalLockWaits } = await observer.afterRun(context, { ...outcome(startAtMs, endAtMs), intervalMs: 1000 });
    t.true((lockWaits?.samples ?? 0) >= 5, `samples within the run: ${lockWaits?.samples}`);
    t.is(lockWaits?.byEvent.Idle, lockWaits?.sessionSamples, 'the one idle session, in every sample');
    const lastInterval = Math.floor((endAtMs - startAtMs) / 1000);
    t.true([...(intervalLockWaits?.keys() ?? [])].every((i) => i >= 0 && i <= lastInterval), 'every sample in an interval of the run');
  } finally {
    await session.end();
  }
});

test.serial("statistics snapshots are stamped with the run's shared clock, not the coordinator's Date.now", async (t) => {
  const context = contextAheadOfLocalTime(`rs_clockstats_${process.pid}`);
  const observer = pgStatsObserver({ skipTupleScan: true });
  const startAtMs = context.clock.now();
  await observer.beforeRun?.(context);
  const { pg } = await observer.afterRun(context, outcome(startAtMs, context.clock.now()));
  const endAtMs = context.clock.now();
  for (const snapshot of [pg?.before, pg?.after]) {
    const takenAtMs = Date.parse(String(snapshot?.takenAt));
    t.true(takenAtMs >= Math.floor(startAtMs) && takenAtMs <= endAtMs, `takenAt ${String(snapshot?.takenAt)} within the run`);
  }
});
