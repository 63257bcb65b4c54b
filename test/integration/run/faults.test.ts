import test from 'ava';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7 } from 'uuidv7';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { connectionSettings, withDatabase } from '../../../shared/connection.ts';
import { parseRunEvent } from '../../../shared/protocol/message-validation.ts';
import { connectPg, withPg } from '../../../shared/pg-connect.ts';
import { EVENT_FIELD, redisKeys, workerQueueName } from '../../../shared/protocol/redis-keys.ts';
import { RUN_LOCK_TTL_MS } from '../../../coordinator/run/run-lock.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { WorkerProcesses, isAlive, readReport, resultsDirOf, runCli, type CliResult, type WorkerProcess } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * The faults refswarm must survive (docs/architecture.md#reliability), each against real processes,
 * the real PostgreSQL and Redis, a database made by setup/load and a Redis namespace of this test's
 * own: kill -9 of a worker or of the coordinator mid-run, connections dropped (and, with
 * REFSWARM_FULL=1, PostgreSQL restarted) mid-run, Redis unreachable, malformed payloads, a dataset
 * that does not fit, and a known password that must never appear anywhere.
 */

const DATASET = { documents: 400, references: 8000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('faults', DATASET);
const { bin: BIN, baseUrl: BASE_URL, redisUrl: REDIS_URL, suffix, database, databaseUrl, namespace, keys, resultsRoot, env: ENV } = environment;
/** A port where nothing listens. */
const DEAD_REDIS = 'redis://127.0.0.1:1';

const extraDatabases: string[] = [];
let redis: Redis;
const workers = new WorkerProcesses(BIN, ENV);
const startWorker = (concurrency: number, env?: NodeJS.ProcessEnv) => workers.start(concurrency, env);
const stopWorkers = (list: readonly WorkerProcess[]) => workers.stop(list);
const waitAnnounced = (ids: readonly string[]) => workers.waitAnnounced(redis, keys, ids);
const cli = (args: readonly string[], env: NodeJS.ProcessEnv = ENV, whileRunning?: (child: ChildProcess) => void) => runCli(BIN, args, env, whileRunning);

/** Calls `act` once, as soon as the run named `name` has started and its sessions sent measurements. */
function onceRunning(
  name: string,
  act: (child: ChildProcess) => void | Promise<void>,
  running: (runId: string) => Promise<boolean> = async (runId) => (await eventCount(runId, 'worker-interval')) >= 1,
): (child: ChildProcess) => void {
  return (child) => {
    let exited = false;
    child.once('exit', () => (exited = true));
    void (async () => {
      while (!exited) {
        const runId = await runIdNamed(name).catch(() => undefined);
        if (runId !== undefined && (await running(runId))) {
          await act(child);
          return;
        }
        await sleep(100);
      }
    })();
  };
}

/** The run id of the run named `name` in this test's namespace (from the meta the coordinator wrote). */
async function runIdNamed(name: string): Promise<string> {
  for (const key of await redis.keys(`{${namespace}}:run:*:meta`)) {
    const meta = JSON.parse((await redis.get(key)) ?? '{}') as { runId?: string; config?: { name?: string } };
    if (meta.config?.name === name && meta.runId) return meta.runId;
  }
  throw new Error(`no run named ${name} in Redis`);
}

async function eventCount(runId: string, type: 'worker-interval' | 'done'): Promise<number> {
  const entries = await redis.xrange(keys.runEvents(runId), '-', '+');
  return entries.filter(([, fields]) => {
    try {
      return parseRunEvent(fields[1]).type === type;
    } catch {
      return false;
    }
  }).length;
}

/** `workerId` has reported recorded operations of its sessions in an interval event. */
async function workerSentOperations(runId: string, workerId: string): Promise<boolean> {
  const entries = await redis.xrange(keys.runEvents(runId), '-', '+');
  return entries.some(([, fields]) => {
    try {
      const event = parseRunEvent(fields[1]);
      return event.type === 'worker-interval' && event.workerId === workerId && event.counters.ok > 0;
    } catch {
      return false;
    }
  });
}

async function createBareDatabase(name: string): Promise<void> {
  extraDatabases.push(name);
  await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
}

function oneLine(t: { is: (a: unknown, b: unknown, m?: string) => void }, result: CliResult): void {
  t.is(result.stderr.trim().split('\n').length, 1, result.stderr);
}

test.before(async () => {
  await environment.prepare();
  redis = new Redis(REDIS_URL);
});

test.after.always(async () => {
  workers.killAll();
  await ensurePostgresUp();
  await redis?.quit();
  await environment.cleanup(extraDatabases);
  await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`DROP ROLE IF EXISTS ${SECRET_ROLE}`));
});

const RUN = ['run', '--scenario', 'single', '--think', '5-10ms', '--wait-workers', '20s'];
const INSIDE_QUERIES = ['run', '--scenario', 'noop', '--noop-sleep', '300ms', '--think', '0', '--wait-workers', '20s'];

/** After a fault at `faultAtMs`, sessions still complete operations (they reconnected). */
function workedAfter(report: RunReport, faultAtMs: number): boolean {
  const offsetS = (faultAtMs - Date.parse(report.startedAt)) / 1000;
  return report.intervals.some((i) => i.t > offsetS + 1 && i.ok > 0);
}

test.serial('kill -9 of a worker mid-run: its sessions are lost, what it sent is kept, results are written', async (t) => {
  const pair = [startWorker(4), startWorker(4)];
  await waitAnnounced(pair.map((w) => w.id));
  const victim = pair[0];
  let killed = false;
  const result = await cli(
    [...RUN, '--duration', '5s', '--sessions', '8', '--name', 'kill9'],
    ENV,
    onceRunning(
      'kill9',
      () => {
        killed = true;
        victim.child.kill('SIGKILL');
      },
      (runId) => workerSentOperations(runId, victim.id),
    ),
  );
  t.true(killed, result.stderr);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, /4 of 8 sessions lost/);
  const dir = resultsDirOf(result);
  for (const file of ['run.json', 'summary.txt', 'latency.hgrm', 'report.html']) t.true(existsSync(join(dir, file)), file);
  const report = readReport(dir);
  t.is(report.sessions.lost, 4);
  t.is(report.sessions.completed, 4);
  const lost = report.sessionResults.filter((s) => s.worker === victim.id);
  t.is(lost.length, 4);
  t.true(lost.every((s) => s.status === 'lost'));
  t.true(lost.some((s) => s.ops > 0), 'what the killed worker sent before it died is kept');
  t.is(report.latencyMs.count, report.ops.ok);
  await stopWorkers(pair);
});

test.serial('a worker killed with kill -9 takes its sessions\' written sets with it: they travel with intervals, restore and the integrity check cover lost sessions', async (t) => {
  const before = await cli(['restore', '--documents', `1-${DATASET.documents}`]);
  t.is(before.code, 0, before.stderr);
  const clean = await cli(['check', '--all']);
  t.is(clean.code, 0, clean.stdout + clean.stderr);
  t.regex(clean.stdout, new RegExp(`^checked ${DATASET.documents} documents of ${database}: all hold their dataset sets$`, 'm'));

  const pair = [startWorker(4), startWorker(4)];
  await waitAnnounced(pair.map((w) => w.id));
  const victim = pair[0];
  const result = await cli(
    // disjoint: no two sessions share a document, so any violation is one the check invents.
    ['run', '--scenario', 'disjoint', '--think', '5-10ms', '--wait-workers', '20s', '--duration', '6s', '--sessions', '8', '--name', 'lost-sets'],
    ENV,
    onceRunning('lost-sets', () => void victim.child.kill('SIGKILL'), (runId) => workerSentOperations(runId, victim.id)),
  );
  t.is(result.code, 1, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  t.is(report.sessions.lost, 4);
  const integrity = report.integrity!;
  t.is(integrity.violations, 0, JSON.stringify(integrity.examples));
  const unknown = integrity.unknown ?? 0;
  t.is(integrity.unknownExamples?.length, Math.min(unknown, 10));
  t.true((integrity.unknownExamples ?? []).every((e) => e.diagnosis === 'unknown (lost session)'));

  // Every document the run left away from its dataset set, the lost sessions' included, is one restore --run puts back.
  const away = await cli(['check', '--all']);
  t.is(away.code, 1, away.stdout + away.stderr);
  const moved = [...away.stdout.matchAll(/^document (\d+): /gm)].map((m) => Number(m[1]));
  t.true(moved.length > 0);
  const touched = new Set(report.touchedDocuments);
  t.deepEqual(moved.filter((id) => !touched.has(id)), [], 'documents changed by the run but not in touchedDocuments');
  const restored = await cli(['restore', '--run', dir]);
  t.is(restored.code, 0, restored.stderr);
  const after = await cli(['check', '--all']);
  t.is(after.code, 0, after.stdout + after.stderr);
  await stopWorkers(pair);
});

test.serial('lost and aborted counted differently by each path: one accounting for run and report --run-id, throughput without the heartbeat wait', async (t) => {
  const trio = [startWorker(2), startWorker(2), startWorker(2)];
  await waitAnnounced(trio.map((w) => w.id));
  const [stopped, killed, kept] = trio;
  const result = await cli(
    // Long enough that both faults land well before the end, even on a busy host.
    ['run', '--scenario', 'noop', '--rate', '50', '--duration', '8s', '--sessions', '6', '--wait-workers', '20s', '--name', 'accounting'],
    ENV,
    onceRunning(
      'accounting',
      () => {
        stopped.child.kill('SIGTERM');
        killed.child.kill('SIGKILL');
      },
      async (runId) => (await workerSentOperations(runId, stopped.id)) && (await workerSentOperations(runId, killed.id)),
    ),
  );
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, new RegExp(`2 of 6 sessions lost \\(session \\d on worker ${killed.id}: .*; 2 of 6 sessions aborted \\(session \\d on worker ${stopped.id}: the worker is stopping\\)`));
  const live = readReport(resultsDirOf(result));
  t.like(live.sessions, { requested: 6, completed: 2, aborted: 2, failed: 0, lost: 2 });
  const statusOf = (report: RunReport, worker: string) => report.sessionResults.filter((s) => s.worker === worker).map((s) => s.status);
  t.deepEqual(statusOf(live, stopped.id), ['aborted', 'aborted']);
  t.deepEqual(statusOf(live, killed.id), ['lost', 'lost']);
  t.deepEqual(statusOf(live, kept.id), ['completed', 'completed']);
  for (const s of live.sessionResults.filter((r) => r.status !== 'completed')) t.truthy(s.reason, `session ${s.sessionId} has a reason`);
  const summary = readFileSync(join(resultsDirOf(result), 'summary.txt'), 'utf8');
  t.regex(summary, /^sessions aborted: 2$/m);
  t.regex(summary, /^sessions lost: 2$/m);
  // The sessions ran 8 s; the coordinator then waited up to 10 s for the killed worker's heartbeat to time out.
  t.true(live.throughput.windowMs !== undefined && live.throughput.windowMs < 8500, `window ${live.throughput.windowMs} ms`);
  t.true(live.throughput.opsPerSec >= live.ops.ok / 8.5, `${live.throughput.opsPerSec} ops/s for ${live.ops.ok} ok in 8 s`);

  const rebuilt = await cli(['report', '--run-id', await runIdNamed('accounting')]);
  t.is(rebuilt.code, 0, rebuilt.stderr);
  const fromRedis = readReport(resultsDirOf(rebuilt));
  t.deepEqual(fromRedis.sessions, live.sessions);
  t.deepEqual(fromRedis.sessionResults.map((s) => s.status), live.sessionResults.map((s) => s.status));
  t.deepEqual(fromRedis.throughput, live.throughput);
  t.deepEqual(fromRedis.ops, live.ops);
  await stopWorkers(trio);
});

test.serial('the coordinator killed mid-run: workers finish, report --run-id builds the results from Redis', async (t) => {
  const pair = [startWorker(4), startWorker(4)];
  await waitAnnounced(pair.map((w) => w.id));
  const result = await cli(
    // disjoint: no two sessions share a document, so the integrity check must find nothing.
    ['run', '--scenario', 'disjoint', '--think', '5-10ms', '--wait-workers', '20s', '--duration', '4s', '--sessions', '6', '--name', 'orphaned'],
    ENV,
    onceRunning('orphaned', (child) => {
      child.kill('SIGKILL');
    }),
  );
  t.is(result.signal, 'SIGKILL', `exit ${result.code}: ${result.stderr}`);
  const runId = await runIdNamed('orphaned');
  const lockTtl = await redis.pttl(keys.runLock(database));
  t.true(lockTtl > 0 && lockTtl <= RUN_LOCK_TTL_MS, `the dead coordinator's run lock expires (PTTL ${lockTtl})`);
  for (let i = 0; i < 300 && (await eventCount(runId, 'done')) < 6; i++) await sleep(100);
  t.is(await eventCount(runId, 'done'), 6, 'every session ended and said so although the coordinator is gone');
  // Its results folder, opened at the start for intervals.hlog, stays hidden and unfinished.
  t.deepEqual(readdirSync(resultsRoot).filter((d) => d.includes('orphaned') && !d.startsWith('.')), [], 'the dead coordinator wrote no results');

  // Events from another version (or garbage) in the stream are skipped, not fatal.
  await redis.xadd(keys.runEvents(runId), '*', EVENT_FIELD, '{"protocol":0,"type":"done"}');
  await redis.xadd(keys.runEvents(runId), '*', EVENT_FIELD, 'not json');

  const rebuilt = await cli(['report', '--run-id', runId]);
  t.is(rebuilt.code, 0, rebuilt.stderr);
  const report = readReport(resultsDirOf(rebuilt));
  t.deepEqual(readdirSync(resultsRoot).filter((d) => d.includes(runId)), [], 'the rebuild replaced the unfinished folder');
  t.is(report.runId, runId);
  t.is(report.name, 'orphaned');
  t.is(report.sessions.completed, 6);
  t.is(report.sessions.lost, 0);
  t.true(report.ops.ok > 0);
  t.is(report.latencyMs.count, report.ops.ok);
  t.is(report.integrity?.violations, 0, 'the integrity check runs again on the rebuilt outcome');
  t.deepEqual(report.generator?.workers.map((w) => w.id).sort(), pair.map((w) => w.id).sort(), 'the workers\' health events are rebuilt from Redis');
  t.is(report.generator?.coordinator, undefined, 'the dead coordinator\'s own health is not');
  const rows = await withPg(databaseUrl, (c) => c.query('SELECT 1 FROM dms.perf_test_results WHERE run_id = $1', [runId]));
  t.is(rows.rowCount, 1);

  const unknown = await cli(['report', '--run-id', uuidv7()]);
  t.is(unknown.code, 2);
  oneLine(t, unknown);
  t.regex(unknown.stderr, /Redis holds nothing for run .* retention/);

  await redis.set(keys.runMeta('broken'), '{"runId":"broken","config":{}}');
  const broken = await cli(['report', '--run-id', 'broken']);
  t.is(broken.code, 2);
  t.regex(broken.stderr, /run meta of broken in Redis is not one this refswarm reads \(dataset: expected an object, got nothing\)/);
  for (let i = 0; i < 120 && (await redis.exists(keys.runLock(database))) === 1; i++) await sleep(100);
  t.is(await redis.exists(keys.runLock(database)), 0, 'the lock of the killed coordinator expired by itself');
  await stopWorkers(pair);
});

test.serial('open loop ignores --duration: a run ends at its duration, operations never started are dropped', async (t) => {
  // Each session can do 20 ops/s (50 ms each) but is asked for 100: without the fix it works off its
  // whole 3 s schedule (300 operations, 15 s). With it, it stops at 3 s and counts the rest as dropped.
  const result = await cli(
    ['run', '--scenario', 'noop', '--noop-sleep', '50ms', '--rate', '100', '--sessions', '2', '--duration', '3s'].concat(
      ['--local-workers', '1', '--wait-workers', '20s', '--name', 'open-duration', '--threshold', 'dropped==0'],
    ),
  );
  t.is(result.code, 3, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  t.true(report.durationMs < 5000, `the run took ${report.durationMs} ms for --duration 3s`);
  t.is(report.sessions.completed, 2);
  const dropped = report.ops.dropped ?? 0;
  t.true(dropped > 300, `dropped ${dropped}`);
  // Every operation of the schedule (2 sessions × 3 s × 100/s) either ran or was dropped, never both.
  t.is(report.ops.ok + report.ops.failed + dropped, 600);
  t.is(report.latencyMs.count, report.ops.ok);
  t.deepEqual(report.thresholds?.map((r) => [r.expression, r.passed]), [['dropped==0', false]]);
  const summary = readFileSync(join(dir, 'summary.txt'), 'utf8');
  t.regex(summary, new RegExp(`^number of dropped operations: ${dropped} \\(`, 'm'));
  const duration = /^duration: ([\d.]+) s/m.exec(summary);
  t.true(duration !== null && Number(duration[1]) >= 2.9 && Number(duration[1]) < 4, summary);
});

test.serial('connections dropped mid-run: sessions reconnect, the errors are counted, the run completes', async (t) => {
  let terminated = 0;
  let droppedAtMs = 0;
  const result = await cli(
    // Sessions spend nearly all their time inside a query, so cutting the connections fails operations.
    [...INSIDE_QUERIES, '--duration', '5s', '--sessions', '4', '--local-workers', '1', '--name', 'dropped'],
    ENV,
    onceRunning('dropped', async () => {
      const { rows } = await withPg(withDatabase(BASE_URL, 'postgres'), (c) =>
        c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'rs\\_%'`, [database]),
      );
      terminated = rows.length;
      droppedAtMs = Date.now();
    }),
  );
  t.is(result.code, 0, result.stderr);
  t.is(terminated, 4, 'every session backend was terminated once');
  const report = readReport(resultsDirOf(result));
  t.is(report.sessions.completed, 4);
  t.is(report.sessions.lost, 0);
  t.true((report.ops.byError.connection ?? 0) > 0, JSON.stringify(report.ops.byError));
  t.deepEqual(Object.keys(report.ops.byError), ['connection']);
  t.true(workedAfter(report, droppedAtMs), 'sessions kept working after they reconnected');
});

test.serial('lock-wait sampler backend terminated mid-run: it reconnects, and the summary and report say the profile is partial', async (t) => {
  let terminated = 0;
  let cutAtMs = 0;
  const result = await cli(
    [...RUN, '--duration', '5s', '--sessions', '4', '--local-workers', '1', '--name', 'sampler-cut'],
    ENV,
    onceRunning('sampler-cut', async () => {
      const { rows } = await withPg(withDatabase(BASE_URL, 'postgres'), (c) =>
        c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'refswarm_lock_sampler'`, [database]),
      );
      terminated = rows.length;
      cutAtMs = Date.now();
    }),
  );
  t.is(result.code, 0, result.stderr);
  t.is(terminated, 1, 'the sampler backend was terminated once');
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  const failed = report.lockWaits?.failedSamples ?? 0;
  t.true(failed >= 1, JSON.stringify(report.lockWaits));
  t.true(failed < report.lockWaits!.samples / 4, `the sampler reconnected at once: ${failed} failed, ${report.lockWaits!.samples} taken`);
  const offsetS = (cutAtMs - Date.parse(report.startedAt)) / 1000;
  t.true(report.intervals.some((i) => i.t > offsetS + 1 && i.lockWaits !== undefined), 'sampled again after the cut');
  t.regex(result.stdout, new RegExp(`^lock-wait profile: .+ \\(partial: ${failed} of ${report.lockWaits!.samples + failed} samples failed`, 'm'));
  t.regex(readFileSync(join(dir, 'summary.txt'), 'utf8'), /partial: \d+ of \d+ samples failed/);
  t.regex(readFileSync(join(dir, 'report.html'), 'utf8'), /lock-wait profile partial: \d+ of \d+ samples failed/);
});

test.serial('results folder not writable: the run is refused before it starts, exit 2 saying why', async (t) => {
  const inTheWay = join(resultsRoot, 'unwritable-file');
  writeFileSync(inTheWay, 'a regular file where the results root should go');
  const env = { ...ENV, RESULTS_DIR: join(inTheWay, 'results') };
  const result = await cli([...RUN, '--sessions', '2', '--iterations', '5', '--local-workers', '1', '--name', 'unwritable-start'], env);
  t.is(result.code, 2, result.stderr);
  oneLine(t, result);
  t.regex(result.stderr, /cannot write results under ".*unwritable-file\/results": a file is in the way .*ENOTDIR.*: set RESULTS_DIR to a writable folder/);
  await t.throwsAsync(runIdNamed('unwritable-start'), undefined, 'no run was started');
});

test.serial('results folder unwritable when the run ends: it says why and prints the report --run-id command that rebuilds them', async (t) => {
  const vanishing = join(resultsRoot, 'unwritable-later');
  mkdirSync(vanishing);
  const env = { ...ENV, RESULTS_DIR: vanishing };
  const result = await cli(
    [...RUN, '--duration', '3s', '--sessions', '2', '--local-workers', '1', '--name', 'unwritable-end'],
    env,
    onceRunning('unwritable-end', () => {
      rmSync(vanishing, { recursive: true });
      writeFileSync(vanishing, 'now a file');
    }),
  );
  const runId = await runIdNamed('unwritable-end');
  t.is(result.code, 1, result.stderr);
  t.regex(
    result.stderr,
    new RegExp(`could not write the results under ".*unwritable-later": a file is in the way .*rebuild the results with "refswarm report --run-id ${runId}"`),
  );
  const rebuilt = await cli(['report', '--run-id', runId]);
  t.is(rebuilt.code, 0, rebuilt.stderr);
  t.is(readReport(resultsDirOf(rebuilt)).runId, runId);
});

test.serial('two coordinators at once on one database: the second is refused naming the run in progress, unless --allow-concurrent-runs, which both reports state', async (t) => {
  // Run A must outlive two more coordinators' start-up (B refused, C a guest) on a CI machine running every test file at once: 10 s was not always enough.
  let second: CliResult | undefined;
  let shared: CliResult | undefined;
  let during: Promise<void> | undefined;
  const first = await cli(
    [...RUN, '--duration', '30s', '--sessions', '2', '--local-workers', '1', '--name', 'concurrent-a'],
    ENV,
    onceRunning('concurrent-a', () => {
      during = (async () => {
        second = await cli([...RUN, '--iterations', '5', '--sessions', '1', '--local-workers', '1', '--name', 'concurrent-b']);
        shared = await cli([...RUN, '--iterations', '5', '--sessions', '1', '--local-workers', '1', '--name', 'concurrent-c', '--allow-concurrent-runs']);
      })();
    }),
  );
  await during;
  const runA = await runIdNamed('concurrent-a');
  t.is(second?.code, 2, second?.stderr);
  oneLine(t, second!);
  t.regex(second!.stderr, new RegExp(`a run is in progress on database "${database}": run ${runA} "concurrent-a", started \\d{4}-\\d\\d-\\d\\dT.*--allow-concurrent-runs`));
  await t.throwsAsync(runIdNamed('concurrent-b'), undefined, 'the refused run started nothing');

  t.is(shared?.code, 0, shared?.stderr);
  const reportC = readReport(resultsDirOf(shared!));
  t.deepEqual(reportC.concurrentRuns?.map((r) => [r.runId, r.name]), [[runA, 'concurrent-a']]);
  t.regex(shared!.stdout, new RegExp(`^concurrent runs: integrity and pg deltas are shared with run ${runA} "concurrent-a"`, 'm'));
  t.regex(readFileSync(join(resultsDirOf(shared!), 'report.html'), 'utf8'), /class="warn">integrity and pg deltas are shared with run/);

  t.is(first.code, 0, first.stderr);
  const reportA = readReport(resultsDirOf(first));
  t.deepEqual(reportA.concurrentRuns?.map((r) => r.name), ['concurrent-c'], 'the run holding the lock states the guest too');
  t.is(await redis.exists(keys.runLock(database)), 0, 'the lock is released at the end');
});

test.serial('setup --force under a live run is refused naming the run, and the run goes on', async (t) => {
  // The run must outlive setup's start-up on a CI machine running every test file at once: with 4 s,
  // a clean clone's CI saw setup --force exit 0 here, most likely because the run had ended before
  // setup looked for it; the database it recreated, without the dataset, then failed the next test.
  let setup: CliResult | undefined;
  let during: Promise<void> | undefined;
  const result = await cli(
    [...RUN, '--duration', '30s', '--sessions', '2', '--local-workers', '1', '--name', 'setup-guard'],
    ENV,
    onceRunning('setup-guard', () => {
      during = (async () => {
        setup = await cli(['setup', '--force', '--partitions', '4']);
      })();
    }),
  );
  await during;
  // A setup that was not refused recreated the database: the tests after this one need it back.
  if (setup?.code !== 2) await environment.prepare();
  const runId = await runIdNamed('setup-guard');
  t.is(setup?.code, 2, setup?.stderr);
  oneLine(t, setup!);
  t.regex(setup!.stderr, new RegExp(`database "${database}" is held by a run in progress \\(run ${runId} "setup-guard", started .+\\): wait for it to end`));
  t.is(result.code, 0, result.stderr);
  t.is(readReport(resultsDirOf(result)).sessions.completed, 2);
});

test.serial('setup --force with other sessions connected to the database is refused naming them', async (t) => {
  const other = await connectPg(databaseUrl, 'someone_else');
  try {
    const setup = await cli(['setup', '--force', '--partitions', '4']);
    t.is(setup.code, 2, setup.stderr);
    oneLine(t, setup);
    t.regex(setup.stderr, new RegExp(`database "${database}" is in use \\(someone_else: 1\\): end those sessions`));
  } finally {
    await other.end();
  }
});

test.serial('database recreated under a live run: the run ends failed with that reason', async (t) => {
  let recreated = false;
  let recreating: Promise<void> | undefined;
  const result = await cli(
    [...RUN, '--duration', '20s', '--sessions', '2', '--local-workers', '1', '--name', 'setup-recreated'],
    ENV,
    onceRunning('setup-recreated', () => {
      // What setup --force did before it looked for live runs: drop and create the database under them.
      recreating = (async () => {
        await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`DROP DATABASE ${database} WITH (FORCE)`));
        await setupDatabase(connectionSettings(ENV), { force: true, partitions: DATASET.partitions }, () => undefined);
        recreated = true;
      })();
    }),
  );
  // The run may end (its database gone) before the new one is set up: wait for that too.
  await recreating;
  try {
    t.true(recreated);
    t.is(result.code, 1, result.stderr);
    t.regex(result.stderr, new RegExp(`database "${database}" was (recreated|dropped) during the run.*wrote no results`));
    t.notRegex(result.stdout, /^results: /m);
  } finally {
    await environment.prepare();
  }
});

test.serial('dead workers\' keys stay in Redis for good: every key expires, a killed worker\'s keys are gone after the retention time', async (t) => {
  const ns = `${namespace}_ttl`;
  const nsKeys = redisKeys(ns);
  const env = { ...ENV, REFSWARM_NAMESPACE: ns, REFSWARM_RETENTION: '3s' };
  const ttlWorkers = new WorkerProcesses(BIN, env);
  /** Keys seen without an expiry, and when first seen so: each must get one (or go) within two beats. */
  const unexpiring = new Map<string, number>();
  const overdue: string[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const now = Date.now();
      const found = await redis.keys(`{${ns}}*`);
      const ttls = await Promise.all(found.map((key) => redis.pttl(key)));
      found.forEach((key, i) => {
        if (ttls[i] !== -1) return unexpiring.delete(key);
        const since = unexpiring.get(key) ?? now;
        unexpiring.set(key, since);
        if (now - since > 2500 && !overdue.includes(key)) overdue.push(key);
      });
      for (const key of unexpiring.keys()) if (!found.includes(key)) unexpiring.delete(key);
      await sleep(200);
    }
  })();
  try {
    const [victim, survivor] = [ttlWorkers.start(2), ttlWorkers.start(2)];
    await ttlWorkers.waitAnnounced(redis, nsKeys, [victim.id, survivor.id]);
    const first = await cli([...RUN, '--iterations', '5', '--sessions', '4', '--name', 'ttl-a'], env);
    t.is(first.code, 0, first.stderr);
    t.true((await redis.keys(`{${ns}}:sessions-${victim.id}:*`)).length > 0, 'the victim has queue keys');
    victim.child.kill('SIGKILL');
    await victim.exited;
    await sleep(4000);
    // A run after the retention time removes what is left of the dead worker (its registry entry).
    const second = await cli([...RUN, '--iterations', '2', '--sessions', '1', '--name', 'ttl-b'], env);
    t.is(second.code, 0, second.stderr);
    const left = (await redis.keys(`{${ns}}*`)).filter((key) => key.includes(victim.id));
    t.deepEqual(left, [], 'no key of the killed worker remains');
    t.is(await redis.zscore(nsKeys.workers, victim.id), null, 'its registry entry is gone');
    t.not(await redis.zscore(nsKeys.workers, survivor.id), null, 'the live worker is still registered');
    watching = false;
    await watch;
    t.deepEqual(overdue, [], 'every key refswarm writes carries an expiry');
    await ttlWorkers.stop([survivor]);
  } finally {
    watching = false;
    ttlWorkers.killAll();
    const found = await redis.keys(`{${ns}}*`);
    if (found.length > 0) await redis.del(...found);
  }
});

const CLUSTER = ['--skip-systemctl-redirect', '15', 'main'];

function postgresReady(): boolean {
  try {
    execFileSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']);
    return true;
  } catch {
    return false;
  }
}

async function ensurePostgresUp(): Promise<void> {
  if (postgresReady()) return;
  try {
    execFileSync('pg_ctlcluster', [...CLUSTER, 'start'], { stdio: 'ignore' });
  } catch {
    // Already starting: wait below.
  }
  for (let i = 0; i < 60 && !postgresReady(); i++) await sleep(500);
}

// Restarting the server cuts every other test's connections too: only in the full suite (REFSWARM_FULL=1),
// which runs files one by one, or when asked for alone (REFSWARM_PG_RESTART=1).
const restartTest = process.env.REFSWARM_FULL === '1' || process.env.REFSWARM_PG_RESTART === '1' ? test.serial : test.serial.skip;

restartTest('PostgreSQL restarted mid-run: sessions reconnect, errors counted, the run completes', async (t) => {
  let restartedAtMs = 0;
  try {
    const result = await cli(
      [...INSIDE_QUERIES, '--duration', '8s', '--sessions', '4', '--local-workers', '1', '--name', 'restarted'],
      ENV,
      onceRunning('restarted', () => {
        restartedAtMs = Date.now();
        execFileSync('pg_ctlcluster', [...CLUSTER, 'restart'], { stdio: 'ignore' });
      }),
    );
    t.is(result.code, 0, result.stderr);
    const report = readReport(resultsDirOf(result));
    t.is(report.sessions.completed, 4);
    t.true((report.ops.byError.connection ?? 0) > 0, JSON.stringify(report.ops.byError));
    t.deepEqual(Object.keys(report.ops.byError), ['connection']);
    t.true(workedAfter(report, restartedAtMs), 'sessions kept working after they reconnected');
  } finally {
    await ensurePostgresUp();
  }
});

test.serial('Redis unreachable at start: worker, sweep and report --run-id fail with one clear line, exit 2', async (t) => {
  const env = { ...ENV, REDIS_URL: DEAD_REDIS };
  const commands = [
    ['worker', '--concurrency', '2'],
    ['sweep', '--sessions', '1,2', '--iterations', '1'],
    ['report', '--run-id', 'x'],
  ];
  const results = await Promise.all(commands.map((args) => cli(args, env)));
  for (const [i, result] of results.entries()) {
    t.is(result.code, 2, `${commands[i][0]}: ${result.stderr}`);
    oneLine(t, result);
    t.regex(result.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  }
});

test.serial('malformed job payloads fail with their reason, and the worker keeps serving', async (t) => {
  const worker = startWorker(2);
  await waitAnnounced([worker.id]);
  const queue = new Queue(workerQueueName(worker.id), { connection: redis, prefix: keys.queuePrefix });
  try {
    const payloads: ReadonlyArray<[unknown, RegExp]> = [
      [{ protocol: 0 }, /protocol/],
      ['a string', /./],
      [{ protocol: 1, runId: 'r', sessionId: -1 }, /sessionId|runId|sessionCount|seed|database|workload/],
    ];
    for (const [data, reason] of payloads) {
      const job = await queue.add('session', data, { attempts: 1 });
      let state = await job.getState();
      for (let i = 0; i < 100 && state !== 'failed' && state !== 'completed'; i++) {
        await sleep(100);
        state = await job.getState();
      }
      t.is(state, 'failed', JSON.stringify(data));
      const failed = await queue.getJob(job.id!);
      t.regex(failed?.failedReason ?? '', reason);
    }
    t.true(isAlive(worker), worker.stderr);
    await waitAnnounced([worker.id]);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await stopWorkers([worker]);
  }
});

test.serial('a database without the dataset, or a workload that does not fit it, is refused before anything runs', async (t) => {
  const empty = `${database}_empty`;
  extraDatabases.push(empty);
  await setupDatabase(connectionSettings({ ...ENV, DATABASE_URL: withDatabase(BASE_URL, empty) }), { force: true, partitions: 4 }, () => undefined);
  const notLoaded = await cli([...RUN, '--sessions', '1', '--iterations', '1', '--database', empty]);
  t.is(notLoaded.code, 2);
  oneLine(t, notLoaded);
  t.regex(notLoaded.stderr, /holds no dataset: run refswarm load/);

  const bare = `${database}_bare`;
  await createBareDatabase(bare);
  for (const args of [
    [...RUN, '--sessions', '1', '--iterations', '1', '--database', bare],
    ['restore', '--documents', '1', '--database', bare],
  ]) {
    const result = await cli(args);
    t.is(result.code, 2, result.stderr);
    oneLine(t, result);
    t.regex(result.stderr, /was not made by refswarm setup/);
  }

  const wide = await cli([...RUN, '--sessions', '1', '--iterations', '1', '--scenario', 'cross-partition', '--batch-size', '8']);
  t.is(wide.code, 2);
  oneLine(t, wide);
  t.regex(wide.stderr, /batch-size|partitions/);

  // Nothing was half-written: no results folder for any refused run.
  t.deepEqual(readdirSync(resultsRoot).filter((d) => !/kill9|dropped|restarted|orphaned|open-duration|accounting|lost-sets|sampler-cut|unwritable|concurrent|setup-|ttl-/.test(d)), []);
});

const SECRET_ROLE = `refswarm_secret_${suffix}`;
const PASSWORD = `Zq9pw${suffix}Xk`;

/** Every file below `root`, as text. */
function filesBelow(root: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      found.push([path, readFileSync(path, 'utf8')]);
    }
  }
  return found;
}

test.serial('a known password never appears in output, logs, result files, Redis or the results table', async (t) => {
  await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`CREATE ROLE ${SECRET_ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`));
  const url = new URL(withDatabase(BASE_URL, database));
  url.username = SECRET_ROLE;
  url.password = PASSWORD;
  const env = { ...ENV, DATABASE_URL: url.toString(), REFSWARM_DEBUG: '1' };
  const outputs: Array<[string, string]> = [];
  const keep = (label: string, r: CliResult): CliResult => {
    outputs.push([`${label} stdout`, r.stdout], [`${label} stderr`, r.stderr]);
    return r;
  };

  const ok = keep('run', await cli([...RUN, '--sessions', '2', '--iterations', '5', '--local-workers', '1', '--name', 'secret'], env));
  t.is(ok.code, 0, ok.stderr.replaceAll(PASSWORD, '<password>'));
  const dir = resultsDirOf(ok);
  t.regex(readFileSync(join(dir, 'run.json'), 'utf8'), new RegExp(`${SECRET_ROLE}:\\*\\*\\*@`), 'the masked URL is recorded');

  const worker = startWorker(1, env);
  await waitAnnounced([worker.id]);
  await stopWorkers([worker]);
  outputs.push(['worker stderr', worker.stderr]);

  const badPort = new URL(url);
  badPort.port = '1';
  const failing: Array<[string, readonly string[], NodeJS.ProcessEnv]> = [
    ['run, PostgreSQL unreachable', [...RUN, '--sessions', '1'], { ...env, DATABASE_URL: badPort.toString() }],
    ['setup, PostgreSQL unreachable', ['setup', '--force', '--partitions', '4'], { ...env, DATABASE_URL: badPort.toString() }],
    ['restore, PostgreSQL unreachable', ['restore', '--documents', '1'], { ...env, DATABASE_URL: badPort.toString() }],
    ['run, bad URL', [...RUN, '--sessions', '1'], { ...env, DATABASE_URL: `postgres://${SECRET_ROLE}:${PASSWORD}@127.0.0.1:5432` }],
    ['worker, Redis password', ['worker'], { ...env, REDIS_URL: `redis://default:${PASSWORD}@127.0.0.1:1` }],
    ['report --run-id', ['report', '--run-id', await runIdNamed('secret')], env],
  ];
  const results = await Promise.all(failing.map(([, args, e]) => cli(args, e)));
  results.forEach((r, i) => keep(failing[i][0], r));

  for (const [label, text] of [...outputs, ...filesBelow(resultsRoot)]) {
    t.false(text.includes(PASSWORD), `the password appears in ${label}`);
  }
  for (const key of await redis.keys(`{${namespace}}*`)) {
    const type = await redis.type(key);
    const text =
      type === 'string' ? await redis.get(key) : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+')) : type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : '';
    t.false((text ?? '').includes(PASSWORD), `the password appears in Redis key ${key}`);
  }
  const rows = await withPg(databaseUrl, (c) => c.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM dms.perf_test_results r'));
  t.true(rows.rows.length > 0);
  for (const { row } of rows.rows) t.false(row.includes(PASSWORD), 'the password appears in dms.perf_test_results');
});

test.serial('a password given as a URL parameter leaks: it never reaches run.json, report.html, Redis or the results table', async (t) => {
  const secret = `param-${suffix}`;
  const url = new URL(withDatabase(BASE_URL, database));
  url.searchParams.set('password', secret);
  const env = { ...ENV, DATABASE_URL: url.toString() };
  const result = await cli([...RUN, '--sessions', '2', '--iterations', '5', '--local-workers', '1', '--name', 'secret-parameter'], env);
  t.is(result.code, 0, result.stderr.replaceAll(secret, '<password>'));
  const dir = resultsDirOf(result);
  t.regex(readFileSync(join(dir, 'run.json'), 'utf8'), /\?password=\*\*\*/, 'the masked URL is recorded');
  for (const [label, text] of [['stdout', result.stdout], ['stderr', result.stderr], ...filesBelow(dir)]) {
    t.false(text.includes(secret), `the password appears in ${label}`);
  }
  const runId = await runIdNamed('secret-parameter');
  t.false(((await redis.get(keys.runMeta(runId))) ?? '').includes(secret), 'the password appears in the run meta');
  const rows = await withPg(databaseUrl, (c) => c.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM dms.perf_test_results r'));
  for (const { row } of rows.rows) t.false(row.includes(secret), 'the password appears in dms.perf_test_results');
});
