import test from 'ava';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { decodeHistogram } from '../../../shared/histogram.ts';
import { parseRunEvent } from '../../../shared/protocol/message-validation.ts';
import { sessionApplicationName, sessionIdsOf, type MeasurementEvent, type SessionJob, type WorkerInterval } from '../../../shared/protocol/messages.ts';
import { measureSharedClock, type SharedClock } from '../../../shared/redis-clock.ts';
import { EVENT_FIELD, redisKeys, workerQueueName } from '../../../shared/protocol/redis-keys.ts';
import type { LoopOptions, RunLimits } from '../../../shared/run-config.ts';
import { DEFAULT_SCENARIO_OPTIONS } from '../../../shared/run-config.ts';

/**
 * Real `refswarm worker` processes against the real Redis and PostgreSQL: a malformed job is
 * rejected with its reason and the worker keeps running; noop sessions go ready → started →
 * intervals → done in closed and open loop; the run's stop key and SIGTERM end sessions as aborted.
 * The noop scenario needs no schema, so the test database is an empty one.
 */

const BIN = fileURLToPath(new URL('../../../bin/refswarm', import.meta.url));
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const suffix = uuidv7().replaceAll('-', '').slice(-10);
const namespace = `rs_test_worker_${suffix}`;
const database = `dms_perf_test_worker_${suffix}`;
const keys = redisKeys(namespace);
const EXIT_BOUND_MS = 30_000;

interface Spawned {
  readonly id: string;
  readonly child: ChildProcess;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const spawned: Spawned[] = [];
let redis: Redis;
let clock: SharedClock;

function serverUrl(db: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

async function startWorker(concurrency = 8): Promise<Spawned> {
  const id = uuidv7();
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', String(concurrency), '--id', id], {
    env: { ...process.env, REFSWARM_NAMESPACE: namespace, DATABASE_URL: serverUrl('postgres'), REDIS_URL },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const worker: Spawned = { id, child, stderr: '', exited: once(child, 'exit').then(([code]) => code as number | null) };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (worker.stderr += chunk));
  spawned.push(worker);
  for (let i = 0; i < 300 && (await redis.exists(keys.worker(id))) === 0; i++) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${worker.stderr}`);
    await sleep(100);
  }
  return worker;
}

function sessionJob(runId: string, sessionId: number, loop: LoopOptions, limits: RunLimits, noopSleepMs = 0): SessionJob {
  return {
    protocol: 1,
    runId,
    sessionId,
    sessionCount: 4,
    seed: 12345,
    database,
    applicationName: sessionApplicationName(runId, sessionId),
    workload: {
      scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'noop', noopSleepMs },
      strategy: 'current',
      shape: 'bare',
      isolation: 'read-committed',
      maxTries: 1,
      loop,
      limits,
    },
    dataset: { documents: 100, references: 1000, avgRefsPerDoc: 10, partitions: 4 },
    intervalMs: 200,
  };
}

async function withQueue<T>(workerId: string, use: (queue: Queue) => Promise<T>): Promise<T> {
  const queue = new Queue(workerQueueName(workerId), { connection: redis, prefix: keys.queuePrefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
  }
}

async function enqueue(workerId: string, jobs: readonly unknown[]): Promise<void> {
  await withQueue(workerId, (queue) =>
    queue.addBulk(jobs.map((data, i) => ({ name: 'session', data, opts: { jobId: `j${uuidv7()}_${i}`, attempts: 1 } }))),
  );
}

/** Reads the run's event stream until `until` says enough (or a generous bound passes). */
async function readEvents(runId: string, until: (events: MeasurementEvent[]) => boolean, boundMs = 60_000): Promise<MeasurementEvent[]> {
  const events: MeasurementEvent[] = [];
  let last = '0';
  const giveUpAt = Date.now() + boundMs;
  while (!until(events)) {
    if (Date.now() > giveUpAt) throw new Error(`events of ${runId} so far: ${events.map((e) => e.type).join(',')}`);
    const reply = (await redis.xread('COUNT', 1000, 'BLOCK', 200, 'STREAMS', keys.runEvents(runId), last)) as
      | Array<[string, Array<[string, string[]]>]>
      | null;
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        last = id;
        const event = parseRunEvent(fields[fields.indexOf(EVENT_FIELD) + 1]);
        // The worker's own health events travel on the same stream.
        if (event.type !== 'health') events.push(event);
      }
    }
  }
  return events;
}

const doneCount = (n: number) => (events: MeasurementEvent[]) => events.filter((e) => e.type === 'done').length >= n;

const intervalsOf = (events: readonly MeasurementEvent[]): WorkerInterval[] => events.filter((e) => e.type === 'worker-interval');

async function startRun(runId: string, leadMs = 300): Promise<number> {
  const startAt = Math.ceil(clock.now() + leadMs);
  await redis.set(keys.runStart(runId), String(startAt), 'PX', 600_000);
  return startAt;
}

test.before(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  clock = await measureSharedClock(redis);
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
});

test.after.always(async () => {
  for (const w of spawned) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  const leftovers = await redis.keys(`{${namespace}}*`);
  if (leftovers.length > 0) await redis.del(...leftovers);
  redis.disconnect();
});

test.serial('a malformed job fails with its reason and the worker keeps running', async (t) => {
  const worker = await startWorker();
  await enqueue(worker.id, [{ protocol: 0, runId: 'x' }]);
  let failed: string | undefined;
  for (let i = 0; i < 300 && failed === undefined; i++) {
    const [job] = await withQueue(worker.id, (queue) => queue.getFailed());
    failed = job?.failedReason;
    if (failed === undefined) await sleep(100);
  }
  t.is(failed, 'job.protocol: expected 1, got 0');
  t.regex(worker.stderr, /malformed job rejected: job \S+: job.protocol: expected 1, got 0/);
  t.is(worker.child.exitCode, null);

  // Still alive and working: a valid session runs to the end.
  const runId = uuidv7();
  await enqueue(worker.id, [sessionJob(runId, 0, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 }, { iterations: 5, warmupMs: 0 })]);
  await readEvents(runId, (events) => events.some((e) => e.type === 'ready'));
  await startRun(runId);
  const events = await readEvents(runId, doneCount(1));
  const done = events.find((e) => e.type === 'done');
  t.is(done?.type === 'done' && done.status, 'completed');
});

test.serial('noop sessions in closed loop: ready → started → intervals → done, counts add up', async (t) => {
  const worker = spawned[0] ?? (await startWorker());
  const runId = uuidv7();
  const iterations = 400;
  // No warm-up: warm-up is by time, so with it the number of operations generated (and the digest) would depend on timing.
  const jobs = [0, 1, 2, 3].map((s) => sessionJob(runId, s, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 1 }, { iterations, warmupMs: 0 }));
  await enqueue(worker.id, jobs);
  await readEvents(runId, (events) => events.filter((e) => e.type === 'ready').length === 4);
  const startAt = await startRun(runId);
  const events = await readEvents(runId, doneCount(4));

  const intervals = intervalsOf(events);
  t.true(intervals.every((e) => e.workerId === worker.id));
  t.true(intervals.every((e) => e.serviceTime === undefined), 'closed loop sends no service time');
  const indexes = intervals.map((e) => e.index);
  t.deepEqual(indexes, [...indexes].sort((a, b) => a - b), 'intervals in order');
  const parts = intervals.flatMap((e) => e.sessions);
  t.true(intervals.length < parts.length, `the worker merges its sessions' intervals: ${intervals.length} events for ${parts.length} session intervals`);
  const dones = events.filter((e) => e.type === 'done');
  const okInIntervals = intervals.reduce((sum, e) => sum + e.counters.ok, 0);
  t.is(okInIntervals, dones.reduce((sum, e) => sum + e.counters.ok, 0), 'the intervals carry every recorded operation');
  const histogramCount = intervals.reduce((sum, e) => sum + decodeHistogram(e.latency).totalCount, 0);
  t.is(histogramCount, okInIntervals, 'one latency value per ok operation');
  for (let s = 0; s < 4; s++) {
    const mine = events.filter((e) => sessionIdsOf(e).includes(s));
    t.deepEqual([...new Set(mine.map((e) => e.type))], ['ready', 'started', 'worker-interval', 'done'], `session ${s} event order`);
    const done = mine.at(-1)!;
    if (done.type !== 'done') throw new Error('last event is not done');
    t.is(done.status, 'completed');
    t.is(done.workerId, worker.id);
    t.is(done.counters.ok + done.counters.failed, iterations, 'iterations count recorded operations');
    t.is(done.counters.failed, 0);
    t.regex(done.digest, /^[0-9a-f]+$/);
    t.deepEqual(done.touched, []);
    const operations = parts.filter((p) => p.sessionId === s).reduce((sum, p) => sum + p.operations, 0);
    t.is(operations, iterations, "the session's parts of the intervals count its operations");
    const started = mine.find((e) => e.type === 'started');
    t.true(started !== undefined && started.type === 'started' && Number.isFinite(started.lateMs));
  }
  t.true(startAt > 0);
  // Same seed and session → same operation sequence digest, whichever run.
  const again = uuidv7();
  await enqueue(worker.id, [sessionJob(again, 2, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 1 }, { iterations, warmupMs: 0 })]);
  await readEvents(again, (e) => e.some((x) => x.type === 'ready'));
  await startRun(again);
  const second = (await readEvents(again, doneCount(1))).find((e) => e.type === 'done');
  const first = events.find((e) => e.type === 'done' && e.sessionId === 2);
  t.is(second?.type === 'done' && second.digest, first?.type === 'done' && first.digest);
});

test.serial('open loop with noop-sleep: service time never above latency, latency never below the sleep', async (t) => {
  const worker = spawned[0] ?? (await startWorker());
  const runId = uuidv7();
  const jobs = [0, 1].map((s) => sessionJob(runId, s, { mode: 'open', ratePerSession: 40 }, { durationMs: 1000, warmupMs: 400 }, 10));
  await enqueue(worker.id, jobs);
  await readEvents(runId, (events) => events.filter((e) => e.type === 'ready').length === 2);
  await startRun(runId);
  const events = await readEvents(runId, doneCount(2));
  const intervals = intervalsOf(events);
  t.true(intervals.length > 0);
  let ops = 0;
  for (const interval of intervals) {
    t.not(interval.serviceTime, undefined, 'open loop sends service time');
    t.not(interval.maxLagMs, undefined, 'open loop sends its schedule lag');
    const latency = decodeHistogram(interval.latency);
    const service = decodeHistogram(interval.serviceTime!);
    t.is(latency.totalCount, service.totalCount);
    ops += latency.totalCount;
    if (latency.totalCount === 0) continue;
    t.true(latency.minNonZeroValue >= 10_000, `latency min ${latency.minNonZeroValue} µs is not below the 10 ms sleep`);
    t.true(service.maxValue <= latency.maxValue, 'service time max not above latency max');
    t.true(service.getValueAtPercentile(50) <= latency.getValueAtPercentile(50), 'service p50 not above latency p50');
  }
  // Interval k covers [200k, 200k + 200) ms after the start; warm-up is the first 400 ms.
  t.is(Math.min(...intervals.map((e) => e.index)), 2, 'intervals wholly inside warm-up are not sent');
  const done = events.filter((e) => e.type === 'done');
  t.is(ops, done.reduce((sum, e) => sum + (e.type === 'done' ? e.counters.ok : 0), 0));
  t.true(done.every((e) => e.type === 'done' && e.status === 'completed'));
});

test.serial("the run's stop key ends its sessions as aborted; the worker keeps running", async (t) => {
  const worker = spawned[0] ?? (await startWorker());
  const runId = uuidv7();
  await enqueue(worker.id, [sessionJob(runId, 0, { mode: 'closed', thinkMinMs: 5, thinkMaxMs: 10 }, { durationMs: 120_000, warmupMs: 0 })]);
  await readEvents(runId, (events) => events.some((e) => e.type === 'ready'));
  await startRun(runId, 100);
  await readEvents(runId, (events) => events.some((e) => e.type === 'worker-interval'));
  await redis.set(keys.runStop(runId), '1', 'PX', 600_000);
  const done = (await readEvents(runId, doneCount(1))).find((e) => e.type === 'done');
  t.is(done?.type === 'done' && done.status, 'aborted');
  t.is(done?.type === 'done' && done.reason, 'the run was stopped');
  t.true(done?.type === 'done' && done.counters.ok > 0);
  t.is(worker.child.exitCode, null);
});

test.serial('SIGTERM mid-session: done "aborted", registry cleaned, exit 0 within the bound', async (t) => {
  const worker = await startWorker(4);
  const runId = uuidv7();
  const long = { durationMs: 120_000, warmupMs: 0 };
  const jobs = [0, 1, 2].map((s) => sessionJob(runId, s, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 }, long, s === 2 ? 60_000 : 0));
  await enqueue(worker.id, jobs);
  await readEvents(runId, (events) => events.filter((e) => e.type === 'ready').length === 3);
  await startRun(runId, 100);
  await readEvents(runId, (events) => events.filter((e) => e.type === 'worker-interval').length >= 3);
  worker.child.kill('SIGTERM');
  const exitCode = await Promise.race([worker.exited, sleep(EXIT_BOUND_MS, 'still running')]);
  t.is(exitCode, 0, worker.stderr);
  const done = (await readEvents(runId, doneCount(3), 5000)).filter((e) => e.type === 'done');
  t.is(done.length, 3);
  for (const event of done) {
    t.is(event.type === 'done' && event.status, 'aborted');
    t.is(event.type === 'done' && event.reason, 'the worker is stopping');
  }
  // Session 2 was inside a 60 s pg_sleep: cancelled, and not counted as a failure.
  const sleeper = done.find((e) => e.sessionId === 2);
  t.is(sleeper?.type === 'done' && sleeper.counters.failed, 0);
  t.is(await redis.exists(keys.worker(worker.id)), 0);
  t.is(await redis.zscore(keys.workers, worker.id), null);
  t.deepEqual(await redis.keys(`${keys.queuePrefix}:${workerQueueName(worker.id)}:*`), []);
  t.regex(worker.stderr, /stopping: 3 running sessions end as aborted/);
});

test.serial('a session whose database does not exist ends "failed" with the reason, without ready', async (t) => {
  const worker = spawned[0] ?? (await startWorker());
  const runId = uuidv7();
  const job = { ...sessionJob(runId, 0, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 }, { iterations: 5, warmupMs: 0 }), database: `${database}_missing` };
  await enqueue(worker.id, [job]);
  const events = await readEvents(runId, doneCount(1));
  t.deepEqual(events.map((e) => e.type), ['done']);
  const done = events[0];
  t.is(done.type === 'done' && done.status, 'failed');
  t.regex(done.type === 'done' ? (done.reason ?? '') : '', /does not exist/);
  t.is(worker.child.exitCode, null);
});

const run = promisify(execFile);
const usageErrors: ReadonlyArray<[string[], NodeJS.ProcessEnv, string]> = [
  [['--concurrency', '0'], {}, 'invalid value "0" for --concurrency: expected an integer from 1 to 10000'],
  [['--id', 'a b'], {}, 'invalid value "a b" for --id: expected 1-64 letters, digits, - or _'],
  [['--bogus'], {}, 'unknown option --bogus'],
  [[], { REDIS_URL: 'redis://127.0.0.1:1' }, 'cannot reach Redis at redis://127.0.0.1:1 (ECONNREFUSED): start it or set REDIS_URL'],
  [[], { REDIS_URL: 'http://x' }, 'invalid REDIS_URL "http://x/": expected a redis://, rediss://, redis-cluster:// or rediss-cluster:// URL'],
];

for (const [args, env, message] of usageErrors) {
  test(`worker ${args.join(' ') || JSON.stringify(env)}: one line on stderr, exit 2`, async (t) => {
    const error = await t.throwsAsync(run(process.execPath, [BIN, 'worker', ...args], { env: { ...process.env, REFSWARM_NAMESPACE: namespace, ...env } }));
    const failed = error as Error & { code: number; stderr: string };
    t.is(failed.code, 2);
    t.is(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    t.true(failed.stderr.includes(message), failed.stderr);
  });
}
