/**
 * npm run bench:run [-- --seconds 10] [-- --tps-rounds 3] [-- --run-args '--no-sql-tags'] [-- --tag-rounds 4] [-- --soak 10m]
 *
 * The generator measured against itself and against pgbench (issue 3, Speed):
 *  1. pgbench `SELECT 1`, 8 clients, 2 threads vs `refswarm run --scenario noop --sessions 8
 *     --think 0 --local-workers 2` against node-postgres alone, --tps-rounds rounds in alternating
 *     order: the median ratio (goal ≥ 0.9) with its range and each side's own spread, and the
 *     generator's CPU per operation (coordinator + workers, from the difference between a long and a
 *     short run, so process start-up cancels out). `--only tps` runs this alone.
 *  2. 256 sessions over 4 local workers: how late after the common instant their first operations
 *     start, run.json sessions.startSpreadMs p50 / p99 / max (goal: max <= 50 ms).
 *  3. RSS of one worker holding 256 sessions (goal < 200 MB).
 *  4. Merging 1000 session histograms, decode + add (goal < 200 ms).
 *  5. Open loop calibration (issue 4): noop with a 10 ms server sleep at a fixed rate: achieved vs
 *     requested rate (goal within 1%) and how far p50 lies above 10 ms (goal < 0.6 ms).
 *  6. The SQL tags' cost (issue 12; `--only sql-tags` runs this alone): noop against pgbench, and a
 *     disjoint rewrite (bare and dms), each with tags (SQL EXECUTE) and --no-sql-tags
 *     (named prepared statements), --tag-rounds rounds in alternating order; the median ratio of
 *     ops/s with tags over ops/s without (goal >= 0.97), its range, and the untagged runs' spread.
 *  7. --soak DURATION (alone): noop, 64 sessions, 2 local workers, think 1 ms, for DURATION: RSS of the
 *     coordinator and of each worker over the minute from minute 1 and over the last minute, the
 *     trough and the peak of each (goal: flat within 10%), and the projection for one hour.
 * Needs the local PostgreSQL and Redis; uses its own database and Redis namespace and removes them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { loadDataset } from '../coordinator/load/load.ts';
import { setupDatabase } from '../coordinator/database/setup.ts';
import { DEFAULT_REDIS_URL, connectionSettings, withDatabase } from '../shared/connection.ts';
import { createHistogram, encodeHistogram, mergeEncoded, recordMicros } from '../shared/histogram.ts';
import { withPg } from '../shared/pg-connect.ts';
import type { RunReport } from '../coordinator/results/run-report.ts';
import { datasetIndex } from '../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, type WorkloadConfig } from '../shared/run-config.ts';
import type { SessionDb } from '../shared/workload/contracts.ts';
import { createOperationStream } from '../shared/workload/operation-stream.ts';
import { formatSqlTag } from '../shared/workload/sql-tag.ts';
import { executeOperation } from '../worker/operation-executor.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    only: { type: 'string' },
    soak: { type: 'string' },
    'tag-rounds': { type: 'string', default: '4' },
    'tps-rounds': { type: 'string', default: '3' },
    'run-args': { type: 'string', default: '' },
  },
});
const ONLY = ['tps', 'sql-tags', 'sql-tags-per-op'];
if (values.only !== undefined && !ONLY.includes(values.only)) {
  throw new Error(`invalid value "${values.only}" for --only: give ${ONLY.join(', ')}, or leave it out to run everything`);
}
const SECONDS = Number(values.seconds);
function roundsOf(option: string, text: string): number {
  const rounds = Number(text);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`invalid value "${text}" for --${option}: give a whole number of at least 1`);
  return rounds;
}
const TAG_ROUNDS = roundsOf('tag-rounds', values['tag-rounds']);
const TPS_ROUNDS = roundsOf('tps-rounds', values['tps-rounds']);
/** Extra `refswarm run` flags for the noop runs against node-postgres, to try a variant (`--no-sql-tags`, …). */
const RUN_ARGS = values['run-args'].split(' ').filter((arg) => arg.length > 0);
const SOAK_MINUTES = values.soak === undefined ? undefined : minutesOf(values.soak);
/** How long each end of a soak is read over (see soak()). */
const SOAK_WINDOW_S = 60;

function minutesOf(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|s)$/.exec(text);
  if (!match) throw new Error(`invalid value "${text}" for --soak: give minutes or seconds, e.g. 10m or 90s`);
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) / 60;
}
const BIN = fileURLToPath(new URL('../bin/refswarm', import.meta.url));
const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const suffix = uuidv7().replaceAll('-', '').slice(-8);
const database = `dms_perf_bench_run_${suffix}`;
const resultsRoot = mkdtempSync(join(tmpdir(), 'refswarm-bench-run-'));
const ENV = {
  ...process.env,
  DATABASE_URL: withDatabase(BASE_URL, database),
  REFSWARM_NAMESPACE: `rs_bench_run_${suffix}`,
  RESULTS_DIR: resultsRoot,
};

const figures: [string, string][] = [];
function figure(name: string, value: string): void {
  figures.push([name, value]);
  process.stdout.write(`${name}: ${value}\n`);
}

/** Runs refswarm under bash so that `times` reports the CPU of it and every process it reaped (its workers). */
function refswarmRun(args: readonly string[]): { report: RunReport; cpuSeconds: number } {
  const quoted = [process.execPath, BIN, 'run', ...args].map((a) => `'${a}'`).join(' ');
  const out = spawnSync('bash', ['-c', `${quoted} >/tmp/refswarm-bench-$$.out; status=$?; times; cat /tmp/refswarm-bench-$$.out; rm -f /tmp/refswarm-bench-$$.out; exit $status`], {
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`refswarm run ${args.join(' ')} failed: ${out.stderr}`);
  const lines = out.stdout.split('\n');
  // `times`: line 1 the shell's own user/sys, line 2 its children's.
  const children = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s/.exec(lines[1]);
  if (!children) throw new Error(`cannot read CPU times from: ${lines.slice(0, 2).join(' | ')}`);
  const cpuSeconds = Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
  const dir = /^results: (.+)$/m.exec(out.stdout)?.[1];
  if (!dir) throw new Error(`no results line: ${out.stdout}`);
  return { report: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport, cpuSeconds };
}

/** pgbench's tps and its own CPU (user + sys, from `times` in the shell that reaped it). */
function pgbenchSelect1(seconds: number): { tps: number; cpuSeconds: number } {
  const script = join(resultsRoot, 'select1.sql');
  writeFileSync(script, 'SELECT 1;\n');
  const url = new URL(ENV.DATABASE_URL);
  const args = ['-n', '-f', script, '-c', '8', '-j', '2', '-T', String(seconds), '-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', database];
  const out = spawnSync('bash', ['-c', `pgbench ${args.map((a) => `'${a}'`).join(' ')}; times`], { encoding: 'utf8' });
  const tps = /tps = ([\d.]+)/.exec(out.stdout)?.[1];
  if (!tps) throw new Error(`pgbench failed: ${out.stderr}`);
  const times = [...out.stdout.matchAll(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)].at(-1);
  const cpuSeconds = times ? Number(times[1]) * 60 + Number(times[2]) + Number(times[3]) * 60 + Number(times[4]) : NaN;
  return { tps: Number(tps), cpuSeconds };
}

/**
 * The ceiling of the client library itself: 8 node-postgres connections in 2 processes (as 2 workers
 * hold them) running SELECT 1 back to back, nothing else. What refswarm adds is the gap to this.
 */
async function nodePostgresCeiling(seconds: number): Promise<{ opsPerSec: number; cpuMicrosPerOp: number }> {
  const script = `
    const pg = require('pg');
    (async () => {
      const clients = [];
      for (let i = 0; i < 4; i++) { const c = new pg.Client({ connectionString: process.env.DATABASE_URL }); await c.connect(); clients.push(c); }
      let n = 0; const end = Date.now() + ${seconds * 1000}; const cpu = process.cpuUsage();
      await Promise.all(clients.map(async (c) => { while (Date.now() < end) { await c.query('SELECT 1'); n++; } }));
      const used = process.cpuUsage(cpu);
      process.stdout.write(JSON.stringify({ rate: n / ${seconds}, micros: used.user + used.system, n }));
      await Promise.all(clients.map((c) => c.end()));
    })();`;
  const runs = [0, 1].map(() => {
    const child = spawn(process.execPath, ['-e', script], { env: ENV, cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    return once(child, 'exit').then(() => JSON.parse(out) as { rate: number; micros: number; n: number });
  });
  const [a, b] = await Promise.all(runs);
  return { opsPerSec: a.rate + b.rate, cpuMicrosPerOp: (a.micros + b.micros) / (a.n + b.n) };
}

/**
 * Noop against node-postgres alone, TPS_ROUNDS rounds with the order alternated (refswarm first, then
 * node-postgres first, …), pgbench before and after them all: the median ratio, its range, and each
 * side's own run-to-run spread, so that a ratio is read against the noise of the machine. CPU per
 * operation: refswarm's from the difference between the median long run and one short run (process
 * start-up cancels out), node-postgres's and pgbench's as measured.
 */
async function tpsAndCpu(): Promise<void> {
  const before = pgbenchSelect1(SECONDS);
  const noop = ['--scenario', 'noop', '--sessions', '8', '--think', '0', '--local-workers', '2', '--no-integrity', ...RUN_ARGS];
  const refswarmRuns: { opsPerSec: number; ok: number; cpuSeconds: number; p50: number; p99: number }[] = [];
  const ceilings: { opsPerSec: number; cpuMicrosPerOp: number }[] = [];
  const ratios: number[] = [];
  const runRefswarm = async (): Promise<void> => {
    const { report, cpuSeconds } = refswarmRun([...noop, '--duration', `${SECONDS}s`, '--name', 'bench-noop']);
    const { opsPerSec } = report.throughput;
    refswarmRuns.push({ opsPerSec, ok: report.ops.ok, cpuSeconds, p50: report.latencyMs.p50, p99: report.latencyMs.p99 });
  };
  const runCeiling = async (): Promise<void> => void ceilings.push(await nodePostgresCeiling(SECONDS));
  for (let round = 0; round < TPS_ROUNDS; round++) {
    for (const side of round % 2 === 0 ? [runRefswarm, runCeiling] : [runCeiling, runRefswarm]) await side();
    ratios.push(refswarmRuns[round]!.opsPerSec / ceilings[round]!.opsPerSec);
  }
  const after = pgbenchSelect1(SECONDS);
  const short = refswarmRun([...noop, '--duration', '1s', '--name', 'bench-noop-short']);
  const pgbenchTps = (before.tps + after.tps) / 2;
  const spread = (values: readonly number[]): string => (Math.max(...values) / Math.min(...values)).toFixed(3);
  const rates = refswarmRuns.map((r) => r.opsPerSec);
  const ceilingRates = ceilings.map((c) => c.opsPerSec);
  const tps = median(rates);
  const typical = [...refswarmRuns].sort((a, b) => a.opsPerSec - b.opsPerSec)[Math.floor(refswarmRuns.length / 2)]!;
  figure('pgbench SELECT 1, 8 clients 2 threads (tps, before / after)', `${before.tps.toFixed(0)} / ${after.tps.toFixed(0)}`);
  figure(`refswarm noop, 8 sessions, 2 local workers (ops/s, median of ${TPS_ROUNDS}; each run)`, `${tps.toFixed(0)}; ${rates.map((r) => r.toFixed(0)).join(', ')}`);
  figure(
    `node-postgres alone, 8 clients in 2 processes, simple SELECT 1 (ops/s, median of ${TPS_ROUNDS}; each run)`,
    `${median(ceilingRates).toFixed(0)}; ${ceilingRates.map((r) => r.toFixed(0)).join(', ')}`,
  );
  figure(
    `ratio refswarm / node-postgres alone, rounds in alternating order (median; range; goal >= 0.9)`,
    `${median(ratios).toFixed(3)}; ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}`,
  );
  figure('run-to-run spread of each side alone (max / min): refswarm / node-postgres', `${spread(rates)} / ${spread(ceilingRates)}`);
  figure('ratio refswarm / pgbench', (tps / pgbenchTps).toFixed(3));
  const ops = typical.ok - short.report.ops.ok;
  const cpu = typical.cpuSeconds - short.cpuSeconds;
  const pgbenchMicros = ((before.cpuSeconds + after.cpuSeconds) / (pgbenchTps * 2 * SECONDS)) * 1e6;
  figure(
    'client CPU per operation (µs): refswarm coordinator + workers / node-postgres alone / pgbench',
    `${ops > 0 ? ((cpu / ops) * 1e6).toFixed(1) : 'n/a'} / ${median(ceilings.map((c) => c.cpuMicrosPerOp)).toFixed(1)} / ${pgbenchMicros.toFixed(1)}`,
  );
  figure('noop latency p50 / p99 (ms), the median run', `${typical.p50} / ${typical.p99}`);
}

/**
 * Ops/s with SQL tags and with --no-sql-tags for one workload, TAG_ROUNDS rounds, the order
 * alternated (untagged first, then tagged first, …) so that a drift of the machine's load does not
 * favour one side: the median of the rounds' ratios, their range, and the run-to-run spread of the
 * untagged runs alone (the noise a ratio has to stand out from).
 */
function tagged(name: string, args: readonly string[]): { tags: number; untagged: number } {
  const common = [...args, '--sessions', '8', '--think', '0', '--local-workers', '2', '--no-integrity', '--duration', `${SECONDS}s`];
  const slug = name.replaceAll(' ', '-');
  const run = (withTags: boolean): number =>
    refswarmRun([...common, ...(withTags ? [] : ['--no-sql-tags']), '--name', `bench-${slug}-${withTags ? 'tags' : 'untagged'}`]).report.throughput.opsPerSec;
  const ratios: number[] = [];
  const untaggedRuns: number[] = [];
  const taggedRuns: number[] = [];
  for (let round = 0; round < TAG_ROUNDS; round++) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    const [first, second] = order.map(run) as [number, number];
    const [untagged, tags] = round % 2 === 0 ? [first, second] : [second, first];
    untaggedRuns.push(untagged);
    taggedRuns.push(tags);
    ratios.push(tags / untagged);
  }
  const tags = median(taggedRuns);
  const untagged = median(untaggedRuns);
  figure(
    `${name}: ops/s with tags / --no-sql-tags, median of ${TAG_ROUNDS} rounds (ratio: median, range; goal >= 0.97)`,
    `${tags.toFixed(0)} / ${untagged.toFixed(0)} (${median(ratios).toFixed(3)}; ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`,
  );
  figure(`${name}: run-to-run spread of the --no-sql-tags runs alone (max / min)`, (Math.max(...untaggedRuns) / Math.min(...untaggedRuns)).toFixed(3));
  return { tags, untagged };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function sqlTagCost(): Promise<void> {
  const before = pgbenchSelect1(SECONDS).tps;
  const noop = tagged('noop', ['--scenario', 'noop']);
  const after = pgbenchSelect1(SECONDS).tps;
  const pgbenchTps = (before + after) / 2;
  figure('pgbench SELECT 1 around the noop runs (tps, before / after)', `${before.toFixed(0)} / ${after.toFixed(0)}`);
  figure('ratio refswarm noop / pgbench, with tags / --no-sql-tags', `${(noop.tags / pgbenchTps).toFixed(3)} / ${(noop.untagged / pgbenchTps).toFixed(3)}`);
  tagged('disjoint bare current', ['--scenario', 'disjoint', '--strategy', 'current', '--refs-min', '10', '--refs-max', '20']);
  tagged('disjoint dms current', ['--scenario', 'disjoint', '--strategy', 'current', '--shape', 'dms', '--refs-min', '10', '--refs-max', '20']);
  for (const shape of ['bare', 'dms'] as const) await tagCostPerOperation(shape);
}

/**
 * The tag's cost on one connection, no concurrency: single-document rewrites of the current strategy,
 * blocks of 100 tagged (unnamed, parsed every call) and untagged (named prepared) operations
 * alternated, 1000 of each; mean µs per operation. Less exposed to the machine's load than ops/s.
 */
async function tagCostPerOperation(shape: 'bare' | 'dms'): Promise<void> {
  const workload: WorkloadConfig = {
    scenario: { ...DEFAULT_SCENARIO_OPTIONS, refsMin: 10, refsMax: 20 },
    strategy: 'current',
    shape,
    isolation: 'read-committed',
    maxTries: 1,
    loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
    limits: { iterations: 1, warmupMs: 0 },
  };
  const index = datasetIndex(BENCH_DATASET);
  const stream = createOperationStream({ seed: 1, sessionId: 0, sessionCount: 1, scenario: workload.scenario, dataset: BENCH_DATASET });
  await withPg(ENV.DATABASE_URL!, async (client) => {
    const db: SessionDb = {
      query: (text, values, name) =>
        name !== undefined ? client.query({ name, text, values: values as unknown[] }) : values === undefined ? client.query(text) : client.query(text, values as unknown[]),
      reconnect: () => Promise.reject(new Error('the bench connection was lost')),
    };
    const micros = { tagged: 0, untagged: 0 };
    for (let block = 0; block < 22; block++) {
      const tagged = block % 2 === 1;
      const started = performance.now();
      for (let i = 0; i < 100; i++) {
        const op = stream.next();
        const documents = op.kind === 'rewrite' ? op.documents.map((d) => d.documentId) : [];
        const tag = tagged ? formatSqlTag({ run: 'bench', session: 0, op: block * 100 + i, documents, partitions: documents.map((d) => index.documentPartitionKeys[d]) }) : undefined;
        const outcome = await executeOperation(db, op, workload, index, { tag });
        if (!outcome.ok) throw new Error(`a ${tagged ? 'tagged' : 'untagged'} ${shape} operation failed: ${outcome.failedCodes.join(', ')}`);
      }
      // The first two blocks warm up (prepare, plan cache, JIT).
      if (block >= 2) micros[tagged ? 'tagged' : 'untagged'] += ((performance.now() - started) * 1000) / 1000; // 10 blocks of 100: µs per operation
    }
    figure(
      `${shape} current, one connection: µs per operation tagged / untagged (ratio)`,
      `${micros.tagged.toFixed(0)} / ${micros.untagged.toFixed(0)} (${(micros.tagged / micros.untagged).toFixed(3)})`,
    );
  });
}

async function startSpread(): Promise<void> {
  const { report } = refswarmRun([
    '--scenario', 'noop', '--sessions', '256', '--local-workers', '4', '--iterations', '5', '--think', '100-200ms', '--no-integrity', '--name', 'bench-start',
  ]);
  const spread = report.sessions.startSpreadMs;
  figure('256 sessions over 4 workers: sessions started', String(report.sessionResults.filter((s) => s.lateMs !== null).length));
  figure('256 sessions over 4 workers: start spread p50 / p99 / max after the common instant (ms, goal max <= 50)', spread ? `${spread.p50} / ${spread.p99} / ${spread.max}` : 'n/a');
}

/** Open loop calibration (issue 4): a 10 ms server-side sleep on a fixed schedule measures the generator itself. */
async function openLoopCalibration(): Promise<void> {
  const rate = 50;
  const sessions = 8;
  const { report } = refswarmRun([
    '--scenario', 'noop', '--noop-sleep', '10ms', '--rate', String(rate), '--sessions', String(sessions),
    '--duration', `${SECONDS}s`, '--local-workers', '2', '--no-integrity', '--name', 'bench-open-loop',
  ]);
  const requested = rate * sessions;
  const achieved = report.throughput.opsPerSec;
  figure(
    `open loop, noop 10 ms, ${sessions} sessions x ${rate}/s: achieved / requested ops/s (goal within 1%)`,
    `${achieved.toFixed(1)} / ${requested} (${(((achieved - requested) / requested) * 100).toFixed(2)}%)`,
  );
  figure('open loop: latency p50 above 10 ms (ms, goal < 0.6)', (report.latencyMs.p50 - 10).toFixed(3));
  figure('open loop: latency min / p99 (ms)', `${report.latencyMs.min} / ${report.latencyMs.p99}`);
  figure('open loop: service time p50 / p99, max schedule lag (ms)', `${report.serviceTimeMs?.p50} / ${report.serviceTimeMs?.p99}, ${report.scheduleLagMs?.max}`);
}

async function workerRss(): Promise<void> {
  const id = uuidv7();
  const worker = spawn(process.execPath, [BIN, 'worker', '--concurrency', '256', '--id', id], { env: ENV, stdio: 'ignore' });
  const exited = once(worker, 'exit');
  try {
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // exited
      }
    }, 100);
    await sleep(500);
    refswarmRun(['--scenario', 'noop', '--sessions', '256', '--duration', '5s', '--think', '100-200ms', '--no-integrity', '--name', 'bench-rss']);
    clearInterval(sampler);
    figure('worker with 256 sessions: peak RSS (MB, goal < 200)', (peakKb / 1024).toFixed(1));
  } finally {
    worker.kill('SIGTERM');
    await exited;
  }
}

function mergeTime(): void {
  const encoded: string[] = [];
  let seed = 1;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let s = 0; s < 1000; s++) {
    const h = createHistogram();
    for (let i = 0; i < 2000; i++) recordMicros(h, Math.exp(6 + 3 * random()));
    encoded.push(encodeHistogram(h));
  }
  mergeEncoded(encoded.slice(0, 50)); // warm up the JIT
  const started = performance.now();
  const merged = mergeEncoded(encoded);
  const ms = performance.now() - started;
  if (merged.totalCount !== 2_000_000) throw new Error(`merged ${merged.totalCount} values, expected 2000000`);
  figure('merge 1000 session histograms, decode + add (ms, goal < 200)', ms.toFixed(1));
}

/** RSS (MB) of a process and of its child processes (the local workers), from /proc. */
function rssTree(pid: number): { coordinator: number; workers: number[] } {
  const rss = (p: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return { coordinator: rss(pid), workers: children.map(rss) };
}

/** --soak: coordinator and worker RSS over the minute after minute 1 and over the last minute of a long noop run. */
async function soak(minutes: number): Promise<void> {
  const seconds = Math.round(minutes * 60);
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--scenario', 'noop', '--sessions', '64', '--think', '1ms', '--local-workers', '2', '--no-integrity', '--duration', `${seconds}s`, '--name', 'bench-soak'],
    { env: ENV, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = once(child, 'exit');
  const firstAtS = Math.min(60, seconds / 2);
  const samples: { atS: number; rss: ReturnType<typeof rssTree> }[] = [];
  const began = performance.now();
  // Sessions start a few seconds after the process (workers start, sessions connect): minute 1 is
  // taken 60 s after the first sample that sees both workers, the last 5 s before the run ends.
  let startedS: number | undefined;
  while (child.exitCode === null) {
    await sleep(1000);
    const nowS = (performance.now() - began) / 1000;
    let rss;
    try {
      rss = rssTree(child.pid!);
    } catch {
      break;
    }
    if (startedS === undefined && rss.workers.length === 2) startedS = nowS;
    if (startedS !== undefined) samples.push({ atS: nowS - startedS, rss });
  }
  await exited;
  if (child.exitCode !== 0) throw new Error(`soak run failed (exit ${child.exitCode}): ${out}`);
  // A collector's sawtooth moves RSS by 10-20 % within a minute, so a single reading at minute 1 and
  // one at the end compare two random points of it: each is read over a minute instead, its trough
  // (what a collection leaves) and its peak.
  const windowOf = (fromS: number) => samples.filter((x) => x.atS >= fromS && x.atS < fromS + SOAK_WINDOW_S);
  const first = windowOf(firstAtS);
  const last = windowOf(Math.max(firstAtS, seconds - 5 - SOAK_WINDOW_S));
  if (first.length === 0 || last.length === 0) throw new Error(`the soak run ended before its windows were sampled: ${out}`);
  const range = (window: typeof samples, pick: (rss: ReturnType<typeof rssTree>) => number) => {
    const values = window.map((x) => pick(x.rss)).filter((v) => Number.isFinite(v) && v > 0);
    return { trough: Math.min(...values), peak: Math.max(...values) };
  };
  const change = (a: number, b: number): string => `${a.toFixed(1)} -> ${b.toFixed(1)} MB (${(((b - a) / a) * 100).toFixed(1)}%)`;
  const label = `soak ${minutes} min noop, 64 sessions, 2 local workers: RSS over ${first[0]!.atS.toFixed(0)}-${first.at(-1)!.atS.toFixed(0)} s -> ${last[0]!.atS.toFixed(0)}-${last.at(-1)!.atS.toFixed(0)} s`;
  const report = (name: string, pick: (rss: ReturnType<typeof rssTree>) => number) => {
    const [a, b] = [range(first, pick), range(last, pick)];
    figure(`${label}, ${name}, trough / peak (goal within 10%)`, `${change(a.trough, b.trough)} / ${change(a.peak, b.peak)}`);
    return { a, b };
  };
  const coordinator = report('coordinator', (rss) => rss.coordinator);
  first[0]!.rss.workers.forEach((_, i) => report(`worker ${i + 1}`, (rss) => rss.workers[i] ?? NaN));
  // Growth of the troughs only: RSS that fell after minute 1 (a collection) projects as flat, not as shrinking.
  const spanS = Math.max(1, last[0]!.atS - first[0]!.atS);
  const perHourMb = Math.max(0, ((coordinator.b.trough - coordinator.a.trough) / spanS) * 3600);
  const remainingHours = Math.max(0, 1 - last.at(-1)!.atS / 3600);
  figure('soak: coordinator RSS projected for a one-hour run, trough / peak (MB)', `${(coordinator.b.trough + perHourMb * remainingHours).toFixed(1)} / ${(coordinator.b.peak + perHourMb * remainingHours).toFixed(1)}`);
}

const BENCH_DATASET = { documents: 100, references: 1000, avgRefsPerDoc: 10, partitions: 4 };

async function main(): Promise<void> {
  const settings = connectionSettings(ENV);
  await setupDatabase(settings, { force: true, partitions: 4 }, () => undefined);
  await loadDataset(settings, BENCH_DATASET, { force: true }, process.stderr);
  try {
    if (SOAK_MINUTES !== undefined) {
      await soak(SOAK_MINUTES);
    } else if (values.only === 'sql-tags') {
      await sqlTagCost();
    } else if (values.only === 'sql-tags-per-op') {
      for (const shape of ['bare', 'dms'] as const) await tagCostPerOperation(shape);
    } else if (values.only === 'tps') {
      await tpsAndCpu();
    } else {
      mergeTime();
      await tpsAndCpu();
      await openLoopCalibration();
      await startSpread();
      await workerRss();
      await sqlTagCost();
    }
  } finally {
    await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    const redis = new Redis(process.env.REDIS_URL || DEFAULT_REDIS_URL);
    const left = await redis.keys(`{${ENV.REFSWARM_NAMESPACE}}*`);
    if (left.length > 0) await redis.del(...left);
    await redis.quit();
    rmSync(resultsRoot, { recursive: true, force: true });
  }
  process.stdout.write('\n' + figures.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n');
}

await main();
