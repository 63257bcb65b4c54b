import test from 'ava';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withPg } from '../../../shared/pg-connect.ts';
import { APPLICATION_NAME_PREFIX } from '../../../shared/protocol/messages.ts';
import { SESSION_JOB_LOCK_MS } from '../../../worker/worker-process.ts';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * `--scenario idle`: sessions pace and record without PostgreSQL. A whole run with local workers,
 * watched from pg_stat_activity: no backend of the run's sessions appears (the noop control run
 * shows that the same watch sees session backends when there are some).
 */

const environment = testEnvironment('idle', { documents: 50, references: 500, avgRefsPerDoc: 10, partitions: 2 });
const { bin: BIN, database, databaseUrl, env: ENV, redisUrl: REDIS_URL, namespace } = environment;
let redis: Redis;

test.before(async () => {
  await environment.prepare();
  redis = new Redis(REDIS_URL);
});

test.after.always(async () => {
  await redis?.quit();
  await environment.cleanup();
});

/**
 * Runs refswarm while counting, every 100 ms, the backends of this database named like a session
 * (returns the most seen at once), and reading the TTL of the session jobs' BullMQ locks.
 */
async function runWatchingSessionBackends(args: readonly string[]) {
  let running = true;
  let most = 0;
  const lockTtlsMs: number[] = [];
  const watch = (async () => {
    while (running) {
      const [lock] = await redis.keys(`{${namespace}}*:lock`);
      if (lock !== undefined) lockTtlsMs.push(await redis.pttl(lock));
      const { rows } = await withPg(databaseUrl, (c) =>
        c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE $2 || '%'", [
          database,
          APPLICATION_NAME_PREFIX.replaceAll('_', '\\_'),
        ]),
      );
      most = Math.max(most, rows[0].n);
      await sleep(100);
    }
  })();
  try {
    const result = await runCli(BIN, ['run', ...args], ENV);
    return { result, mostSessionBackends: most, lockTtlsMs };
  } finally {
    running = false;
    await watch;
  }
}

test.serial('idle: 50 sessions over 2 local workers complete with ok operations and open no PostgreSQL connection per session', async (t) => {
  const { result, mostSessionBackends } = await runWatchingSessionBackends([
    '--scenario', 'idle', '--sessions', '50', '--local-workers', '2', '--worker-concurrency', '25',
    '--duration', '3s', '--think', '100ms', '--name', 'idle-50',
  ]);
  t.is(result.code, 0, result.stderr);
  t.is(mostSessionBackends, 0);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  t.is(report.sessions.completed, 50);
  t.is(report.sessions.lost, 0);
  t.is(report.ops.failed, 0);
  t.true(report.ops.ok >= 50, `${report.ops.ok} ok operations`);
  t.is(report.latencyMs.count, report.ops.ok);
  // Every session drew the same idle operations: equal counts give equal digests.
  const byOps = new Map<number, Set<string | null>>();
  for (const s of report.sessionResults) byOps.set(s.ops, (byOps.get(s.ops) ?? new Set()).add(s.digest));
  for (const [ops, digests] of byOps) t.is(digests.size, 1, `sessions with ${ops} operations`);
  t.regex(readFileSync(join(dir, 'summary.txt'), 'utf8'), /idle \(no database\)/);
});

test.serial('regression: bench:scale at 10,000 sessions, BullMQ failed live session jobs whose 30 s locks a starved worker renewed late: the lock is long', async (t) => {
  const { result, lockTtlsMs } = await runWatchingSessionBackends([
    '--scenario', 'idle', '--sessions', '4', '--local-workers', '1', '--duration', '2s', '--think', '100ms', '--name', 'idle-locks',
  ]);
  t.is(result.code, 0, result.stderr);
  const live = lockTtlsMs.filter((ms) => ms > 0);
  t.true(live.length > 0, 'a session job lock was seen');
  for (const ms of live) t.true(ms > 60_000 && ms <= SESSION_JOB_LOCK_MS, `lock TTL ${ms} ms`);
});

test.serial('control: the same watch sees the session backends of a noop run', async (t) => {
  const { result, mostSessionBackends } = await runWatchingSessionBackends([
    '--scenario', 'noop', '--sessions', '4', '--local-workers', '1', '--duration', '2s', '--think', '100ms', '--no-integrity', '--name', 'noop-4',
  ]);
  t.is(result.code, 0, result.stderr);
  t.true(mostSessionBackends > 0);
});
