import test from 'ava';
import { Redis } from 'ioredis';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDatabase } from '../../../shared/connection.ts';
import { connectPg, withPg } from '../../../shared/pg-connect.ts';
import { WorkerProcesses, readReport, resultsDirOf, runCli, type WorkerProcess } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * `refswarm run` end to end: real coordinator and worker processes, the real PostgreSQL and Redis,
 * a database made by setup/load and a Redis namespace of this test's own.
 */

const DATASET = { documents: 500, references: 10_000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('run', DATASET);
const { bin: BIN, baseUrl: BASE_URL, redisUrl: REDIS_URL, database, databaseUrl, keys, env: ENV } = environment;
const workers = new WorkerProcesses(BIN, ENV);
let redis: Redis;

const startWorker = (concurrency: number, env?: NodeJS.ProcessEnv) => workers.start(concurrency, env);
const stopWorkers = (list: readonly WorkerProcess[]) => workers.stop(list);
const waitAnnounced = (ids: readonly string[]) => workers.waitAnnounced(redis, keys, ids);
const cli = (args: readonly string[], env: NodeJS.ProcessEnv = ENV, whileRunning?: (child: ChildProcess, stderr: () => string) => void) =>
  runCli(BIN, args, env, whileRunning);

/** Processes whose command line holds this text (local workers carry their id in --id). */
function processesNamed(text: string): number {
  const out = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  return out.stdout.split('\n').filter((l) => l.trim().length > 0).length;
}

const digestsByRun: Record<string, (string | null)[]> = {};

test.before(async () => {
  await environment.prepare();
  redis = new Redis(REDIS_URL);
});

test.after.always(async () => {
  workers.killAll();
  await redis?.quit();
  await environment.cleanup();
});

const RUN = ['run', '--scenario', 'single', '--iterations', '20', '--think', '0-2ms', '--seed', '7', '--wait-workers', '20s'];

test.serial('12 sessions over 3 workers all complete, spread, with consistent counts, files and a results row', async (t) => {
  const three = [startWorker(4), startWorker(4), startWorker(4)];
  await waitAnnounced(three.map((w) => w.id));
  const result = await cli([...RUN, '--sessions', '12', '--name', 'three-workers']);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);

  t.is(report.sessions.requested, 12);
  t.is(report.sessions.completed, 12);
  t.is(report.sessions.lost, 0);
  t.is(report.sessions.maxConcurrent, 12);
  const spread = report.sessions.startSpreadMs;
  t.truthy(spread, 'sessions.startSpreadMs');
  t.true(spread!.p50 >= 0 && spread!.p50 <= spread!.p99 && spread!.p99 <= spread!.max, JSON.stringify(spread));
  t.true(readFileSync(join(dir, 'summary.txt'), 'utf8').includes('start spread p50 / p99 / max: '));
  t.deepEqual(report.workers.map((w) => w.sessions), [4, 4, 4]);
  t.deepEqual(new Set(report.workers.map((w) => w.id)), new Set(three.map((w) => w.id)));
  t.is(report.ops.ok + report.ops.failed, 12 * 20);
  t.is(report.latencyMs.count, report.ops.ok);
  t.true(report.ops.ok > 0);
  t.is(report.sessionResults.reduce((sum, s) => sum + s.ops, 0), 12 * 20);
  t.regex(report.runId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  digestsByRun.three = report.sessionResults.map((s) => s.digest);
  t.true(digestsByRun.three.every((d) => typeof d === 'string' && d.length > 0));

  for (const file of ['run.json', 'latency.hgrm', 'summary.txt']) t.true(existsSync(join(dir, file)), file);
  const summary = readFileSync(join(dir, 'summary.txt'), 'utf8');
  t.true(summary.includes('number of sessions: 12\n'));
  t.true(summary.includes('number of operations actually processed: 240/240\n'));
  t.true(result.stdout.startsWith(summary));
  t.regex(readFileSync(join(dir, 'latency.hgrm'), 'utf8'), /#\[Mean/);
  t.regex(dir, /\/\d{8}_\d{6}_three-workers$/);

  const rows = await withPg(databaseUrl, (c) =>
    c.query('SELECT test_name, total_operations FROM dms.perf_test_results WHERE run_id = $1', [report.runId]),
  );
  t.deepEqual(rows.rows, [{ test_name: 'three-workers', total_operations: '240' }]);
});

test.serial('too little capacity is a clear error naming the capacity found', async (t) => {
  const result = await cli([...RUN, '--sessions', '13', '--wait-workers', '1s']);
  t.is(result.code, 2);
  const lines = result.stderr.trim().split('\n').filter((l) => l.startsWith('refswarm'));
  t.is(lines.length, 1, result.stderr);
  t.regex(lines[0], /not enough worker capacity: 13 sessions need 13 slots, found 12 on 3 workers/);
});

test.serial('the same seed gives the same digests with 1 worker and with 3', async (t) => {
  await stopWorkers(workers.all);
  const result = await cli([...RUN, '--sessions', '12', '--local-workers', '1', '--name', 'one-worker']);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  t.is(report.workers.length, 1);
  t.deepEqual(report.sessionResults.map((s) => s.digest), digestsByRun.three);
  // The local worker was stopped with the run: no process, no registry entry.
  t.is(processesNamed(report.workers[0].id), 0);
  t.is(await redis.zscore(keys.workers, report.workers[0].id), null);
});

test.serial('--unknown-ratio: rejected operations counted apart in run.json and the summary; none failed, integrity clean', async (t) => {
  // A document only rejected operations touched must hold its dataset set: undo the runs above first.
  const restored = await cli(['restore', '--documents', `1-${DATASET.documents}`]);
  t.is(restored.code, 0, restored.stderr);
  const result = await cli([
    ...RUN, '--sessions', '4', '--local-workers', '1', '--shape', 'dms', '--unknown-ratio', '0.3', '--change', '2',
    '--target-skew', 'zipf:1.1', '--restore-after', '--name', 'unknown-ids',
  ]);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  const rejected = report.ops.rejected ?? 0;
  t.true(rejected > 0, `${rejected} rejected`);
  t.is(report.ops.failed, 0);
  t.deepEqual(report.ops.byError, {});
  t.is(report.ops.ok + report.ops.failed + rejected, 4 * 20);
  t.is(report.latencyMs.count, report.ops.ok);
  t.is(report.sessionResults.reduce((sum, s) => sum + s.ops, 0), 4 * 20);
  t.is(report.integrity?.violations, 0);
  const summary = readFileSync(join(dir, 'summary.txt'), 'utf8');
  t.true(summary.includes(`number of rejected operations: ${rejected} (`), summary);
  t.true(summary.includes('number of operations actually processed: 80/80\n'));
  t.regex(summary, /scenario: single \(10-100 references\), change 2, targets zipf:1.1, unknown ids 30.0%/);
});

test.serial('the fixture scenario replays a fixture, alternating with a second set, and leaves integrity clean; --explain fills its section', async (t) => {
  const result = await cli([
    'run', '--scenario', 'fixture', '--fixture', 'batch_100_mixed', '--fixture-alternate', '--strategy', 'differential',
    '--shape', 'dms', '--sessions', '2', '--iterations', '4', '--think', '0', '--local-workers', '1', '--restore-after', '--explain',
    '--wait-workers', '20s', '--name', 'fixture',
  ]);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  t.is(report.ops.ok, 2 * 4);
  t.is(report.integrity?.violations, 0);
  t.regex(readFileSync(join(dir, 'summary.txt'), 'utf8'), /scenario: fixture \(batch_100_mixed, alternating with a second set\)/);
  const explain = report.explain!;
  t.regex(explain.operation, /^rewrite of 100 documents \(\d+ references\)$/);
  for (const capture of [explain.before!, explain.after!]) {
    t.deepEqual(capture.plans.map((p) => p.statement), ['workload/lock-documents', 'workload/update-documents', 'workload/call-differential']);
    t.true(capture.plans.every((p) => p.totalTimeMs > 0));
    t.true(capture.nested.length > 0);
  }
  t.deepEqual(explain.missing, {});
  t.regex(readFileSync(join(dir, 'report.html'), 'utf8'), /<section id="explain"><h2>EXPLAIN<\/h2><details>/);
});

test.serial('SIGTERM to one worker mid-run: its sessions are aborted (not lost), the rest complete, results are written', async (t) => {
  const three = [startWorker(4), startWorker(4), startWorker(4)];
  await waitAnnounced(three.map((w) => w.id));
  const victim = three[1];
  let killed = false;
  const result = await cli(
    ['run', '--scenario', 'single', '--duration', '6s', '--think', '5-10ms', '--sessions', '12', '--name', 'sigterm'],
    ENV,
    (_child, stderr) => {
      const timer = setInterval(() => {
        if (!killed && /progress: [1-9]/.test(stderr())) {
          killed = true;
          victim.child.kill('SIGTERM');
          clearInterval(timer);
        }
      }, 50);
      timer.unref();
    },
  );
  t.true(killed, result.stderr);
  t.is(result.code, 1);
  t.regex(result.stderr, /4 of 12 sessions aborted \(session \d+ on worker [^:]+: the worker is stopping\)/);
  t.notRegex(result.stderr, /sessions lost/);
  const report = readReport(resultsDirOf(result));
  t.like(report.sessions, { completed: 8, aborted: 4, lost: 0 });
  const aborted = report.sessionResults.filter((s) => s.worker === victim.id);
  t.is(aborted.length, 4);
  t.true(aborted.every((s) => s.status === 'aborted' && s.reason === 'the worker is stopping'));
  // What the aborted sessions did before is kept.
  t.true(aborted.some((s) => s.ops > 0));
  t.is(report.latencyMs.count, report.ops.ok);
  await stopWorkers(three);
});

test.serial('Ctrl-C mid-run: sessions stop, results are written, local workers are gone', async (t) => {
  let interrupted = false;
  const result = await cli(
    ['run', '--scenario', 'noop', '--duration', '60s', '--think', '5-10ms', '--sessions', '4', '--local-workers', '2', '--name', 'sigint'],
    ENV,
    (child, stderr) => {
      const timer = setInterval(() => {
        if (!interrupted && /progress: [1-9]/.test(stderr())) {
          interrupted = true;
          child.kill('SIGINT');
          clearInterval(timer);
        }
      }, 50);
      timer.unref();
    },
  );
  t.true(interrupted, result.stderr);
  t.is(result.code, 1);
  t.regex(result.stderr, /interrupted: partial results in /);
  const report = readReport(resultsDirOf(result));
  t.is(report.sessions.requested, 4);
  t.true(report.ops.ok > 0);
  t.true(report.durationMs < 60_000);
  for (const worker of report.workers) t.is(processesNamed(worker.id), 0);
});

test.serial('sessions that cannot reach PostgreSQL fail the run: exit 1 naming why, results written', async (t) => {
  const cutOff = startWorker(4, { ...ENV, DATABASE_URL: withDatabase('postgres://postgres@127.0.0.1:1/x', database) });
  await waitAnnounced([cutOff.id]);
  const result = await cli([...RUN, '--sessions', '2', '--name', 'no-connection']);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, /2 of 2 sessions failed \(session \d on worker [^:]+: /);
  const report = readReport(resultsDirOf(result));
  t.deepEqual(report.sessionResults.map((s) => s.status), ['failed', 'failed']);
  t.true(report.sessionResults.every((s) => s.reason !== undefined && s.reason.length > 0));
  t.like(report.sessions, { completed: 0, failed: 2, aborted: 0, lost: 0 });
  await stopWorkers([cutOff]);
});

test.serial('Redis or PostgreSQL unreachable: one clear line, exit 2', async (t) => {
  const noRedis = await cli([...RUN, '--sessions', '1'], { ...ENV, REDIS_URL: 'redis://127.0.0.1:1' });
  t.is(noRedis.code, 2);
  t.is(noRedis.stderr.trim().split('\n').length, 1, noRedis.stderr);
  t.regex(noRedis.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);

  const noPg = await cli([...RUN, '--sessions', '1'], { ...ENV, DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:1/${database}` });
  t.is(noPg.code, 2);
  t.is(noPg.stderr.trim().split('\n').length, 1, noPg.stderr);
  t.regex(noPg.stderr, /cannot reach PostgreSQL at/);
  t.false(noPg.stderr.includes('hunter2'));
});

test.serial('a database not made by setup is refused before anything runs', async (t) => {
  const admin = await connectPg(withDatabase(BASE_URL, 'postgres'));
  const bare = `${database}_bare`;
  try {
    await admin.query(`CREATE DATABASE ${bare}`);
    const result = await cli([...RUN, '--sessions', '1', '--database', bare]);
    t.is(result.code, 2);
    t.regex(result.stderr, /was not made by refswarm setup|refswarm setup/);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${bare} WITH (FORCE)`);
    await admin.end();
  }
});
