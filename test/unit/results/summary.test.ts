import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { renderSummary } from '../../../coordinator/results/summary.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';

const { config } = parseRunArgs(
  ['--sessions', '16', '--iterations', '100', '--name', 'demo', '--think', '10-50ms'],
  { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_demo', RESULTS_DIR: '/tmp/results' },
);

const REPORT: RunReport = {
  version: 1,
  runId: '0190a6c2-7d1e-7a00-8000-000000000001',
  name: 'demo',
  config,
  dataset: { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 },
  startedAt: '2024-07-01T12:00:00.000Z',
  endedAt: '2024-07-01T12:00:05.250Z',
  durationMs: 5250,
  sessions: { requested: 16, completed: 13, aborted: 2, failed: 0, lost: 1, maxConcurrent: 16, maxLateStartMs: 1.234 },
  workers: [{ id: 'w1', host: 'h', sessions: 8 }, { id: 'w2', host: 'h', sessions: 8 }],
  ops: { ok: 1598, failed: 2, retried: 1, byError: { '23503': 1, '40P01': 1 } },
  throughput: { opsPerSec: 304.4 },
  latencyMs: { count: 1598, min: 0.812, mean: 3.25, stdev: 1.5, p50: 2.9, p90: 4.8, p95: 5.6, p99: 9.1, p999: 14.2, max: 15.03 },
  phases: {
    strategy: { count: 1598, min: 0.4, mean: 1.5, stdev: 0.5, p50: 1.4, p90: 2.1, p95: 2.4, p99: 3.2, p999: 4.1, max: 4.5 },
    lock: { count: 1598, min: 0.2, mean: 1.25, stdev: 1.1, p50: 0.9, p90: 2.5, p95: 3.1, p99: 6.4, p999: 9.9, max: 10.2 },
  },
  sessionResults: [],
  intervals: [],
  integrity: { documentsChecked: 1400, violations: 0, examples: [] },
  lockWaits: { samples: 50, sessionSamples: 800, byEvent: { CPU: 400, 'Lock:transactionid': 200, ClientRead: 200 }, blocked: {} },
  thresholds: [{ expression: 'p99<50ms', passed: true, actual: '9.1 ms' }],
};

test('summary matches the golden text', (t) => {
  const golden = readFileSync(new URL('./fixtures/summary.golden.txt', import.meta.url), 'utf8');
  t.is(renderSummary(REPORT), golden);
});

test('every line is key: value, and a duration run says so', (t) => {
  const durationRun: RunReport = {
    ...REPORT,
    config: { ...config, workload: { ...config.workload, limits: { durationMs: 60_000, warmupMs: 5000 }, loop: { mode: 'open', ratePerSession: 20 } } },
    serviceTimeMs: REPORT.latencyMs,
    scheduleLagMs: { max: 2.5 },
  };
  const text = renderSummary(durationRun);
  for (const line of text.trimEnd().split('\n')) t.regex(line, /^[a-z0-9 ./<>%=-]+: \S/i);
  t.true(text.includes('duration: 60 s\n'));
  t.true(text.includes('warm-up: 5 s (not recorded)\n'));
  t.true(text.includes('loop: open, 20 ops/s per session\n'));
  t.true(text.includes('service time p99: 9.100 ms\n'));
  t.true(text.includes('max schedule lag: 2.500 ms\n'));
  t.true(text.includes('number of operations actually processed: 1600\n'));
});

test('threshold results are summary lines, a breached one BREACHED with its actual value', (t) => {
  const text = renderSummary({
    ...REPORT,
    thresholds: [
      { expression: 'p99<50ms', passed: true, actual: '9.1ms' },
      { expression: 'integrity==0', passed: false, actual: '2' },
    ],
  });
  t.true(text.includes('threshold p99<50ms: passed (actual 9.1ms)\nthreshold integrity==0: BREACHED (actual 2)\n'));
});

test('rejected operations (--unknown-ratio) have their own line and count among the processed; the scenario names the realism options', (t) => {
  const realism = parseRunArgs(
    ['--sessions', '16', '--iterations', '100', '--change', '2', '--target-skew', 'zipf:1.1', '--unknown-ratio', '0.05'],
    { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_demo', RESULTS_DIR: '/tmp/results' },
  ).config;
  const summary = renderSummary({ ...REPORT, config: realism, ops: { ...REPORT.ops, ok: 1518, rejected: 80 } });
  t.true(summary.includes('scenario: single (10-100 references), change 2, targets zipf:1.1, unknown ids 5.0%\n'), summary);
  t.true(summary.includes('number of operations actually processed: 1600/1600\n'));
  t.true(summary.includes('number of rejected operations: 80 (5.000%, unknown referential ids)\n'));
  t.true(summary.includes('number of failed operations: 2 (0.125%)\n'));
  t.false(renderSummary(REPORT).includes('rejected'), 'no line without --unknown-ratio');
});

test('a lock-wait profile built from partial samples says so, and one never sampled says why', (t) => {
  const partial = renderSummary({ ...REPORT, lockWaits: { ...REPORT.lockWaits!, samples: 46, failedSamples: 56, lastError: 'terminating connection' } });
  t.regex(partial, /^lock-wait profile: CPU 50\.000%, .+ \(partial: 56 of 102 samples failed \(last error: terminating connection\)\)$/m);
  const none = renderSummary({ ...REPORT, lockWaits: { samples: 0, sessionSamples: 0, byEvent: {}, blocked: {}, failure: 'cannot connect' } });
  t.regex(none, /^lock-wait profile: none \(not sampled: cannot connect\)$/m);
});

test('the lock-wait source is named when the run recorded it', (t) => {
  const inServer = renderSummary({ ...REPORT, lockWaits: { ...REPORT.lockWaits!, source: 'pg_wait_sampling' } });
  t.true(inServer.includes('lock-wait source: pg_wait_sampling (in-server, per backend)\n'));
  const client = renderSummary({ ...REPORT, lockWaits: { ...REPORT.lockWaits!, source: 'client-sampler', sourceNote: 'not preloaded' } });
  t.true(client.includes('lock-wait source: client sampler\n'));
  t.false(renderSummary(REPORT).includes('lock-wait source'), 'older runs: no line');
});

const OBSERVED = {
  writesChecked: 640,
  anomalies: 206,
  per1000: 321.88,
  examples: [],
  readBacks: 640,
  readBackMicrosTotal: 8_104_692,
  readBackMicrosMean: 12663.58,
};

test('--verify-writes: one line under integrity with the anomalies observed, their rate and the read-back cost', (t) => {
  const text = renderSummary({ ...REPORT, integrity: { ...REPORT.integrity!, observed: OBSERVED } });
  t.true(text.includes('integrity: 1400 documents checked, 0 violations\nobserved anomalies: 206 in 640 writes read back (321.88 per 1000), read-back mean 12663.58 µs\n'));
  t.false(renderSummary(REPORT).includes('observed anomalies'), 'absent without --verify-writes');
  const cut = renderSummary({ ...REPORT, integrity: { ...REPORT.integrity!, observed: { ...OBSERVED, cut: 12 } } });
  t.true(cut.includes(', 12 not sent (undercounted)\n'));
});
