import test from 'ava';
import type pg from 'pg';
import { familyShare, lockProfile, type LockSample } from '../../../coordinator/observe/lock-profile.ts';
import { startLockSampler, type LockSampleLog } from '../../../coordinator/observe/lock-sampler.ts';
import { lockWaitObserver } from '../../../coordinator/observe/lock-wait-observer.ts';
import type { RunObserverContext } from '../../../coordinator/observe/run-observers.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { sharedClockFrom } from '../../../shared/redis-clock.ts';
import { realisticReport } from '../../unit/results/report-fixture.ts';
import { createScratchDatabase, dropScratchDatabase, scratchDatabaseUrl } from '../support/scratch-database.ts';

/**
 * The lock-wait sampler against real contention it drives itself: connections tagged like a run's
 * sessions update the same row inside open transactions (heavy heavyweight-lock waits) or each
 * their own row (almost none).
 */

const NAME = `dms_perf_test_locksampler_${process.pid}`;
const URL_ = scratchDatabaseUrl(NAME);
const SESSIONS = 6;
const DRIVE_MS = 2500;
const HOLD_MS = 40;
/** The run's shared clock, here with no offset to local time. */
const clock = sharedClockFrom({ offsetMs: 0, rttMs: 0 });

test.before(async () => {
  await createScratchDatabase(NAME);
  const client = await connectPg(URL_);
  try {
    await client.query('CREATE TABLE counters (id int PRIMARY KEY, value bigint NOT NULL)');
    await client.query('INSERT INTO counters SELECT g, 0 FROM generate_series(1, 100) g');
  } finally {
    await client.end();
  }
});

test.after.always(() => dropScratchDatabase(NAME));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SESSIONS connections named `${tag}_${s}`, each updating rowOf(s) in transactions held HOLD_MS. */
async function drive(tag: string, rowOf: (session: number) => number): Promise<void> {
  const clients: pg.Client[] = [];
  try {
    for (let s = 0; s < SESSIONS; s++) clients.push(await connectPg(URL_, `${tag}_${s}`));
    const end = Date.now() + DRIVE_MS;
    await Promise.all(
      clients.map(async (c, s) => {
        while (Date.now() < end) {
          await c.query('BEGIN');
          await c.query('UPDATE counters SET value = value + 1 WHERE id = $1', [rowOf(s)]);
          await sleep(HOLD_MS);
          await c.query('COMMIT');
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

async function sampled(tag: string, rowOf: (session: number) => number): Promise<{ log: LockSampleLog; samples: LockSample[]; maxWaiting: number }> {
  const sampler = await connectPg(URL_, 'lock_sampler_test');
  try {
    const samples: LockSample[] = [];
    const lockSampler = startLockSampler(sampler, { applicationTag: tag, intervalMs: 50, clock, onSample: (sample) => samples.push(sample) });
    let maxWaiting = 0;
    const watch = setInterval(() => (maxWaiting = Math.max(maxWaiting, lockSampler.waitingOnLocks())), 20);
    await drive(tag, rowOf);
    clearInterval(watch);
    const log = await lockSampler.stop();
    return { log, samples, maxWaiting };
  } finally {
    await sampler.end();
  }
}

test.serial('sessions updating the same rows wait on heavyweight locks in a large share of session-samples', async (t) => {
  const tag = `rs_lockhot_${process.pid}`;
  const started = clock.now();
  const { log, samples, maxWaiting } = await sampled(tag, () => 1);
  t.is(log.samples, samples.length, 'every sample taken reached onSample');
  const profile = lockProfile(samples, { startAtMs: started, endAtMs: clock.now(), intervalMs: 1000 });
  const { section } = profile;
  const lockShare = familyShare(section.byEvent, 'Lock', section.sessionSamples);
  t.log(section.byEvent, section.blocked);
  t.is(log.failedSamples, 0);
  t.true(section.samples >= 10, `samples: ${section.samples}`);
  t.true(lockShare > 0.4, `Lock:* share ${lockShare}`);
  t.true(
    (section.byEvent['Lock:transactionid'] ?? 0) + (section.byEvent['Lock:tuple'] ?? 0) === Object.entries(section.byEvent).filter(([k]) => k.startsWith('Lock:')).reduce((s, [, v]) => s + v, 0),
    'row-lock waits are transactionid or tuple',
  );
  t.true(section.blocked.sessionSamples > 0);
  t.true(Object.keys(section.blocked.byRelation).some((r) => r === 'counters'), 'the blocking relation is named');
  t.true(Object.keys(section.blocked.byLockType).some((k) => k.startsWith('transactionid:') || k.startsWith('tuple:')));
  t.true(section.blocked.maxChainDepth >= 1);
  t.true(maxWaiting > 0, 'waitingOnLocks() saw waiting sessions live');
  t.true(profile.intervals.size >= 2, 'profiles per interval');
});

test.serial('sessions updating disjoint rows almost never wait on locks', async (t) => {
  const tag = `rs_lockcold_${process.pid}`;
  const started = clock.now();
  const { samples } = await sampled(tag, (s) => s + 1);
  const { section } = lockProfile(samples, { startAtMs: started, endAtMs: clock.now(), intervalMs: 1000 });
  const lockShare = familyShare(section.byEvent, 'Lock', section.sessionSamples);
  t.log(section.byEvent);
  t.true(section.sessionSamples >= 10 * SESSIONS);
  t.true(lockShare < 0.02, `Lock:* share ${lockShare}`);
  t.is(section.blocked.sessionSamples, (section.byEvent['Lock:transactionid'] ?? 0) + (section.byEvent['Lock:tuple'] ?? 0));
  t.true((section.byEvent.IdleInTransaction ?? 0) > 0, 'sessions holding open transactions count as IdleInTransaction');
});

test.serial('the observer samples from the start and reports the profile and the live waiting count', async (t) => {
  const { report } = realisticReport();
  const tag = `rs_lockobs_${process.pid}`;
  const context: RunObserverContext = {
    runId: 'lockobs',
    config: { ...report.config, sampleIntervalMs: 50, databaseName: NAME },
    dataset: report.dataset,
    databaseUrl: URL_,
    applicationTag: tag,
    signal: new AbortController().signal,
    clock,
  };
  const observer = lockWaitObserver();
  const startAtMs = clock.now() + 100;
  await observer.onStart?.(context, startAtMs);
  let fragment: string | undefined;
  const watch = setInterval(() => {
    const f = observer.progressFragment?.();
    if (f && !f.startsWith('0 ')) fragment = f;
  }, 20);
  await drive(tag, () => 2);
  clearInterval(watch);
  const contribution = await observer.afterRun(context, {
    startAtMs,
    endAtMs: clock.now(),
    intervalMs: 1000,
    opsTotal: 0,
    committed: new Map(),
    touched: new Set(),
  });
  t.regex(fragment ?? '', /^\d+ waiting on locks$/);
  t.true((contribution.lockWaits?.sessionSamples ?? 0) > 0);
  t.true((contribution.intervalLockWaits?.size ?? 0) >= 2);
  t.true([...(contribution.intervalLockWaits?.keys() ?? [])].every((i) => i >= 0));
});
