import test from 'ava';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from 'uuidv7';
import { WorkerProcesses, readReport, resultsDirOf, runCli, type WorkerProcess } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * run.json `environment` and `generator` from real runs: a normal small run records the server,
 * hosts and dataset and is not generator-bound; a worker holding more sessions than it can drive
 * (its workload model spins 80 ms per operation without yielding, test/integration/support/
 * blocking-worker.ts) is flagged bound, and `--threshold generator-bound==0` exits 3.
 */

const DATASET = { documents: 200, references: 2_000, avgRefsPerDoc: 10, partitions: 2 };
const environment = testEnvironment('generator', DATASET);
const { bin: BIN, redisUrl: REDIS_URL, keys, env: ENV } = environment;
const workers = new WorkerProcesses(BIN, ENV);
const BLOCKING_WORKER = fileURLToPath(new URL('../support/blocking-worker.ts', import.meta.url));
let redis: Redis;

const RUN = ['run', '--scenario', 'noop', '--duration', '4s', '--seed', '3', '--wait-workers', '30s', '--no-integrity'];

test.before(async () => {
  await environment.prepare();
  redis = new Redis(REDIS_URL);
});

test.after.always(async () => {
  workers.killAll();
  await redis?.quit();
  await environment.cleanup();
});

test.serial('a normal small run records its environment and per-worker generator health, and is not generator-bound', async (t) => {
  const worker = workers.start(4);
  await workers.waitAnnounced(redis, keys, [worker.id]);
  try {
    const result = await runCli(BIN, [...RUN, '--sessions', '4', '--threshold', 'generator-bound==0', '--name', 'normal'], ENV);
    t.is(result.code, 0, result.stderr);
    const dir = resultsDirOf(result);
    const report = readReport(dir);

    const env = report.environment!;
    t.truthy(env.server, JSON.stringify(env.missing));
    t.regex(env.server!.version, /^\d+/);
    t.true(env.server!.versionNum >= 100000);
    t.true(Object.keys(env.server!.settings).length > 0);
    t.false('application_name' in env.server!.settings, 'the coordinator session’s own settings are not the server’s');
    t.true(env.coordinator.cpus! > 0);
    t.true(env.coordinator.memoryBytes! > 0);
    t.is(env.coordinator.nodeVersion, process.version);
    t.deepEqual(
      env.workers.map((w) => w.id),
      [worker.id],
    );
    t.true(env.workers[0].cpus! > 0);
    t.regex(env.datasetChecksum ?? '', /^[0-9a-f]{64}$/);
    t.false(JSON.stringify(env).includes('://'), 'no connection URL in the environment');

    const generator = report.generator!;
    t.false(generator.bound, generator.reasons.join('; '));
    t.deepEqual(generator.reasons, []);
    t.is(generator.workers.length, 1);
    const figures = generator.workers[0];
    t.is(figures.id, worker.id);
    t.true(figures.judgedIntervals >= 3, `${figures.judgedIntervals} judged intervals`);
    // One interval may catch a stall of this shared host: the rule tolerates it, and so does this test.
    t.true(figures.saturatedIntervals <= 1, `${figures.saturatedIntervals} saturated intervals`);
    t.true(figures.intervals.every((i) => i.cpu >= 0 && i.eventLoopDelayMs.max >= i.eventLoopDelayMs.p99));
    t.truthy(generator.coordinator);
    t.deepEqual(report.thresholds, [{ expression: 'generator-bound==0', passed: true, actual: '0' }]);
    t.regex(result.stdout, /^generator: ok \(/m);
  } finally {
    await workers.stop([worker]);
  }
});

test.serial('a worker holding more sessions than it can drive makes the run generator-bound: generator-bound==0 exits 3', async (t) => {
  const worker = startBlockingWorker(8);
  try {
    await workers.waitAnnounced(redis, keys, [worker.id]);
    const result = await runCli(BIN, [...RUN, '--sessions', '8', '--think', '0', '--threshold', 'generator-bound==0', '--name', 'overloaded'], ENV);
    t.is(result.code, 3, result.stderr);
    t.regex(result.stderr, /generator-bound==0 \(actual 1\)/);
    const report = readReport(resultsDirOf(result));
    const generator = report.generator!;
    t.true(generator.bound);
    t.is(generator.workers.length, 1);
    const figures = generator.workers[0];
    t.true(figures.saturatedIntervals > 0.1 * figures.judgedIntervals);
    t.true(figures.eventLoopDelayMs.p99 >= 50, `event-loop p99 ${figures.eventLoopDelayMs.p99} ms`);
    t.regex(generator.reasons[0], new RegExp(`^worker ${worker.id} saturated in \\d+ of \\d+ intervals`));
    t.regex(result.stdout, /^generator: BOUND: worker /m);
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
    await worker.exited;
  }
});

function startBlockingWorker(concurrency: number): WorkerProcess {
  const id = uuidv7();
  const child = spawn(process.execPath, ['--import=tsx', BLOCKING_WORKER, id, String(concurrency)], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  const worker: WorkerProcess = { id, child, exited: once(child, 'exit'), stderr: '' };
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (worker.stderr += c));
  workers.all.push(worker);
  return worker;
}
