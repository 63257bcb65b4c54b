/**
 * npm run bench:scale [-- --sessions 100,1000,2000,5000,10000 --seconds 15 --workers 20 --think 100]
 *
 * How far one coordinator goes (issue 13): `refswarm run --scenario idle` (sessions that pace and
 * record without a database), closed loop with a fixed think time (ms), at growing session counts,
 * over `--workers` `refswarm worker` processes on this machine. The workers are started once, with
 * room for the largest count, and serve every run (the same code path as --local-workers, without
 * paying 20 worker start-ups per run). For each count, over the middle of the run's duration (from
 * 2 s after the common start to 1 s before its end, so that start-up and the final reports stay out):
 *  - the coordinator process's CPU (user + system from /proc/<pid>/stat) as % of one core, and the
 *    workers' CPU summed the same way;
 *  - events on the run's stream per second (XLEN): a merged interval and a health event per worker per
 *    interval, and each session's ready, started and done;
 *  - the coordinator's CPU over its whole life (bash `times`) per event of the run: on a machine so
 *    loaded that the coordinator falls behind (it then reads its backlog after the window), the
 *    window's CPU share understates its cost, and this figure does not;
 *  - finish: from the planned end of the run to the coordinator's exit (backlog, results);
 *  - Redis traffic from INFO (total_commands_processed, total_net_input_bytes + output bytes) as
 *    commands/s and bytes/s — server-wide, so the background measured before the first run is shown —
 *    and the commands it ran most (INFO commandstats);
 *  - whether the run kept up: ok ops/s achieved vs intended (sessions / think time), lost sessions;
 *  - what start-up cost: time from spawning the coordinator to the common start (enqueue, every
 *    session ready), and peak RSS of the coordinator and of the largest worker.
 * Needs the local PostgreSQL and Redis; uses its own database and Redis namespace and removes them.
 * KEEP_RESULTS=1 keeps the runs' results folders (their path is printed) to look into a failed run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { loadDataset } from '../coordinator/load/load.ts';
import { setupDatabase } from '../coordinator/database/setup.ts';
import type { RunReport } from '../coordinator/results/run-report.ts';
import { liveWorkers } from '../coordinator/run/worker-registry.ts';
import { DEFAULT_REDIS_URL, connectionSettings, withDatabase } from '../shared/connection.ts';
import { withPg } from '../shared/pg-connect.ts';
import { redisKeys } from '../shared/protocol/redis-keys.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100,1000,2000,5000,10000' },
    seconds: { type: 'string', default: '15' },
    workers: { type: 'string', default: '20' },
    think: { type: 'string', default: '100' },
  },
});
const SESSION_COUNTS = values.sessions.split(',').map(Number);
const SECONDS = Number(values.seconds);
const WORKERS = Number(values.workers);
const THINK_MS = Number(values.think);
/** The measured window inside the run's duration: start-up and the final reports stay out. */
const WINDOW_FROM_MS = 2000;
const WINDOW_BEFORE_END_MS = 1000;

const BIN = fileURLToPath(new URL('../bin/refswarm', import.meta.url));
const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const REDIS_URL = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const suffix = uuidv7().replaceAll('-', '').slice(-8);
const database = `dms_perf_bench_scale_${suffix}`;
const namespace = `rs_bench_scale_${suffix}`;
const resultsRoot = mkdtempSync(join(tmpdir(), 'refswarm-bench-scale-'));
const ENV = { ...process.env, DATABASE_URL: withDatabase(BASE_URL, database), REDIS_URL, REFSWARM_NAMESPACE: namespace, RESULTS_DIR: resultsRoot };
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

interface RedisTraffic {
  readonly commands: number;
  readonly bytes: number;
  /** Calls so far per command name (INFO commandstats). */
  readonly calls: ReadonlyMap<string, number>;
}

interface Sample {
  readonly atMs: number;
  readonly coordinatorTicks: number;
  readonly workerTicks: number;
  readonly redis: RedisTraffic;
  /** Entries in the run's event stream. */
  readonly events: number;
}

interface Row {
  readonly sessions: number;
  readonly startSeconds: number;
  readonly coordinatorCpuPercent: number;
  readonly workersCpuPercent: number;
  readonly eventsPerSec: number;
  readonly commandsPerSec: number;
  readonly bytesPerSec: number;
  /** The commands Redis ran most in the window, per second. */
  readonly topCommands: string;
  readonly intendedOpsPerSec: number;
  readonly achievedOpsPerSec: number;
  readonly lost: number;
  readonly completed: number;
  readonly coordinatorCpuSeconds: number;
  readonly runEvents: number;
  readonly finishSeconds: number;
  readonly peakRssMb: number;
  readonly workerPeakRssMb: number;
  readonly totalSeconds: number;
  readonly note: string;
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat); 0 once it is gone. */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The one child of a process (the coordinator under its bash), once it exists. */
function readChildPid(parent: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim();
    return children.length === 0 ? undefined : Number(children.split(' ')[0]);
  } catch {
    return undefined;
  }
}

function rssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function redisTraffic(redis: Redis): Promise<RedisTraffic> {
  const info = await redis.info('stats');
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  const stats = await redis.info('commandstats');
  const calls = new Map([...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  return { commands: field('total_commands_processed'), bytes: field('total_net_input_bytes') + field('total_net_output_bytes'), calls };
}

/** The TOP commands by calls per second between two samples, as "scan 812, evalsha 140, …". */
function topCommands(first: RedisTraffic, last: RedisTraffic, seconds: number, top = 4): string {
  return [...last.calls]
    .map(([name, calls]) => [name, (calls - (first.calls.get(name) ?? 0)) / seconds] as const)
    .filter(([, perSec]) => perSec > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, perSec]) => `${name} ${perSec.toFixed(0)}`)
    .join(', ');
}

async function sample(redis: Redis, coordinator: number, workers: readonly number[], eventsKey: string): Promise<Sample> {
  return {
    atMs: performance.now(),
    coordinatorTicks: cpuTicks(coordinator),
    workerTicks: workers.reduce((sum, pid) => sum + cpuTicks(pid), 0),
    redis: await redisTraffic(redis),
    events: await redis.xlen(eventsKey),
  };
}

const startKeys = (redis: Redis): Promise<string[]> => redis.keys(`{${namespace}}:run:*:start`);

/** The shared-clock start time of the coordinator's run and its event stream, once it has set one (earlier runs' keys excluded). */
async function runStart(redis: Redis, earlier: ReadonlySet<string>): Promise<{ atMs: number; eventsKey: string } | undefined> {
  const key = (await startKeys(redis)).find((k) => !earlier.has(k));
  if (key === undefined) return undefined;
  const value = await redis.get(key);
  return value === null ? undefined : { atMs: Number(value), eventsKey: key.replace(/:start$/, ':events') };
}

/** `--workers` worker processes with room for the largest session count, each announced in the registry. */
async function startWorkers(redis: Redis, concurrency: number): Promise<ChildProcess[]> {
  const workers = Array.from({ length: WORKERS }, () =>
    spawn(process.execPath, [BIN, 'worker', '--concurrency', String(concurrency), '--id', uuidv7()], { env: ENV, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const keys = redisKeys(namespace);
  for (let waited = 0; waited < 180_000; waited += 500) {
    const [seconds] = await redis.time();
    if ((await liveWorkers(redis, keys, Number(seconds) * 1000)).length >= WORKERS) return workers;
    await sleep(500);
  }
  throw new Error(`${WORKERS} workers did not announce themselves within 180 s`);
}

async function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  const exits = workers.filter((w) => w.exitCode === null && w.signalCode === null).map((w) => once(w, 'exit'));
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(exits);
}

async function measure(redis: Redis, sessions: number, workers: readonly number[]): Promise<Row> {
  const args = [
    BIN, 'run', '--scenario', 'idle', '--sessions', String(sessions), '--duration', `${SECONDS}s`, '--think', `${THINK_MS}ms`,
    '--wait-workers', '60s', '--name', `bench-scale-${sessions}`,
  ];
  const earlier = new Set(await startKeys(redis));
  const spawnedAt = performance.now();
  // Under bash, whose `times` then reports the coordinator's CPU over its whole life (start-up and finish included).
  const child = spawn('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', process.execPath, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let pid: number | undefined;
  while (pid === undefined && child.exitCode === null) {
    pid = readChildPid(child.pid!);
    if (pid === undefined) await sleep(20);
  }
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  if (pid === undefined) throw new Error(`refswarm run exited at once: ${stderr}`);
  const coordinator = pid;
  let ended = false;
  void exited.then(() => (ended = true));

  let peakRssMb = 0;
  let workerPeakRssMb = 0;
  const rssTimer = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(coordinator, 'VmHWM'));
    for (const worker of workers) workerPeakRssMb = Math.max(workerPeakRssMb, rssMb(worker, 'VmRSS'));
  }, 500);
  let start: { atMs: number; eventsKey: string } | undefined;
  while (!ended && (start = await runStart(redis, earlier)) === undefined) await sleep(100);
  const [redisSeconds, redisMicros] = await redis.time();
  const startSeconds = (performance.now() - spawnedAt) / 1000;
  let first: Sample | undefined;
  let commonStartAt = NaN;
  let last: Sample | undefined;
  if (start !== undefined) {
    const untilStartMs = start.atMs - (Number(redisSeconds) * 1000 + Number(redisMicros) / 1000);
    commonStartAt = performance.now() + untilStartMs;
    await sleep(Math.max(0, untilStartMs + WINDOW_FROM_MS));
    if (!ended) first = await sample(redis, coordinator, workers, start.eventsKey);
    await sleep(SECONDS * 1000 - WINDOW_FROM_MS - WINDOW_BEFORE_END_MS);
    if (!ended) last = await sample(redis, coordinator, workers, start.eventsKey);
  }
  const code = await exited;
  clearInterval(rssTimer);
  const exitedAt = performance.now();
  const totalSeconds = (exitedAt - spawnedAt) / 1000;
  const finishSeconds = (exitedAt - (commonStartAt + SECONDS * 1000)) / 1000;
  const cpu = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stderr);
  const coordinatorCpuSeconds = cpu ? Number(cpu[1]) * 60 + Number(cpu[2]) + Number(cpu[3]) * 60 + Number(cpu[4]) : NaN;
  const runEvents = start === undefined ? 0 : await redis.xlen(start.eventsKey);
  const intendedOpsPerSec = (sessions * 1000) / THINK_MS;
  if (code !== 0 || first === undefined || last === undefined) {
    const said = stderr.trim().split('\n').slice(-3).join(' | ');
    return {
      sessions, startSeconds, coordinatorCpuPercent: NaN, workersCpuPercent: NaN, eventsPerSec: NaN,
      commandsPerSec: NaN, bytesPerSec: NaN, topCommands: '', intendedOpsPerSec, achievedOpsPerSec: NaN, lost: NaN, completed: NaN, coordinatorCpuSeconds, runEvents, finishSeconds, peakRssMb, workerPeakRssMb, totalSeconds,
      note: `exit ${code}${said ? `: ${said}` : ''}`,
    };
  }
  const dir = /^results: (.+)$/m.exec(stdout)?.[1];
  const report = JSON.parse(readFileSync(join(dir!, 'run.json'), 'utf8')) as RunReport;
  const seconds = (last.atMs - first.atMs) / 1000;
  const percentOfCore = (ticks: number): number => (100 * ticks) / TICKS_PER_SECOND / seconds;
  const events = last.events - first.events;
  const coordinatorTicks = last.coordinatorTicks - first.coordinatorTicks;
  return {
    sessions,
    startSeconds,
    coordinatorCpuPercent: percentOfCore(coordinatorTicks),
    workersCpuPercent: percentOfCore(last.workerTicks - first.workerTicks),
    eventsPerSec: events / seconds,
    commandsPerSec: (last.redis.commands - first.redis.commands) / seconds,
    bytesPerSec: (last.redis.bytes - first.redis.bytes) / seconds,
    topCommands: topCommands(first.redis, last.redis, seconds),
    intendedOpsPerSec,
    achievedOpsPerSec: report.throughput.opsPerSec,
    lost: report.sessions.lost,
    completed: report.sessions.completed,
    coordinatorCpuSeconds,
    runEvents,
    finishSeconds,
    peakRssMb,
    workerPeakRssMb,
    totalSeconds,
    note: '',
  };
}

function table(rows: readonly Row[], background: { commandsPerSec: number; bytesPerSec: number }): string {
  const header = [
    'sessions', 'start s', 'coord CPU % (window)', 'events/s (window)', 'Redis cmd/s', 'Redis MB/s', 'top Redis commands/s', 'ops/s intended', 'ops/s achieved',
    'lost', 'workers CPU %', 'coord CPU s (whole run)', 'events (whole run)', 'coord µs/event (whole run)', 'finish s', 'coord / worker peak RSS MB', 'total s',
  ];
  const cell = (value: number, digits = 0): string => (Number.isNaN(value) ? '-' : value.toFixed(digits));
  const lines = rows.map((r) => [
    String(r.sessions), cell(r.startSeconds, 1), cell(r.coordinatorCpuPercent, 1), cell(r.eventsPerSec),
    cell(r.commandsPerSec), cell(r.bytesPerSec / 1e6, 2), r.topCommands || '-', cell(r.intendedOpsPerSec), cell(r.achievedOpsPerSec), cell(r.lost),
    cell(r.workersCpuPercent, 0), cell(r.coordinatorCpuSeconds, 1), String(r.runEvents), cell((1e6 * r.coordinatorCpuSeconds) / r.runEvents),
    cell(r.finishSeconds, 1), `${cell(r.peakRssMb)} / ${cell(r.workerPeakRssMb)}`, cell(r.totalSeconds, 0),
  ]);
  const text = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const notes = rows.filter((r) => r.note.length > 0).map((r) => `${r.sessions} sessions: ${r.note}`);
  return [
    `idle sessions, closed loop, think ${THINK_MS} ms, ${WORKERS} workers on this machine, ${SECONDS} s each; window = start + ${WINDOW_FROM_MS / 1000} s .. end - ${WINDOW_BEFORE_END_MS / 1000} s`,
    `Redis background before the first run (other users of the server): ${background.commandsPerSec.toFixed(0)} commands/s, ${(background.bytesPerSec / 1e6).toFixed(3)} MB/s`,
    text,
    ...notes,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = connectionSettings(ENV);
  await setupDatabase(settings, { force: true, partitions: 2 }, () => undefined);
  await loadDataset(settings, { documents: 100, references: 1000, avgRefsPerDoc: 10, partitions: 2 }, { force: true }, process.stderr);
  const redis = new Redis(REDIS_URL);
  const rows: Row[] = [];
  let workers: ChildProcess[] = [];
  try {
    const before = await redisTraffic(redis);
    await sleep(3000);
    const after = await redisTraffic(redis);
    const background = { commandsPerSec: (after.commands - before.commands) / 3, bytesPerSec: (after.bytes - before.bytes) / 3 };
    const startedAt = performance.now();
    workers = await startWorkers(redis, Math.ceil(Math.max(...SESSION_COUNTS) / WORKERS));
    process.stderr.write(`${WORKERS} workers announced in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);
    const pids = workers.map((w) => w.pid!);
    for (const sessions of SESSION_COUNTS) {
      const row = await measure(redis, sessions, pids);
      rows.push(row);
      process.stderr.write(
        `${sessions} sessions: coordinator ${row.coordinatorCpuPercent.toFixed(1)}% of a core, ${row.eventsPerSec.toFixed(0)} events/s, ` +
          `${row.commandsPerSec.toFixed(0)} Redis commands/s (${row.topCommands})${row.note ? `, ${row.note}` : ''}\n`,
      );
    }
    process.stdout.write(table(rows, background) + '\n');
  } finally {
    await stopWorkers(workers);
    const left = await redis.keys(`{${namespace}}*`);
    if (left.length > 0) await redis.del(...left);
    await redis.quit();
    await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    if (!process.env.KEEP_RESULTS) rmSync(resultsRoot, { recursive: true, force: true });
  }
}

await main();
