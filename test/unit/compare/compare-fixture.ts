import { DEFAULT_SCENARIO_OPTIONS, type RunConfig, type StrategyName } from '../../../shared/run-config.ts';
import { RUN_REPORT_VERSION, type RunReport } from '../../../coordinator/results/run-report.ts';

/** A realistic run.json for pure tests of thresholds, compare and sweep (no services). */

export interface FixtureOptions {
  readonly name?: string;
  readonly strategy?: StrategyName;
  readonly sessions?: number;
  readonly opsPerSec?: number;
  readonly p99?: number;
  readonly failed?: number;
  readonly ok?: number;
  readonly violations?: number | null;
  /** Session-sample counts per category, out of 1600. */
  readonly byEvent?: Readonly<Record<string, number>>;
  readonly perOp?: Readonly<Record<string, number | null>>;
  readonly noPg?: boolean;
}

export function fixtureConfig(strategy: StrategyName = 'current', sessions = 16, name = 'fixture'): RunConfig {
  return {
    name,
    sessions,
    seed: 12345,
    workload: {
      scenario: DEFAULT_SCENARIO_OPTIONS,
      strategy,
      shape: 'bare',
      isolation: 'read-committed',
      maxTries: 1,
      loop: { mode: 'closed', thinkMinMs: 10, thinkMaxMs: 50 },
      limits: { iterations: 100, warmupMs: 0 },
    },
    sampleIntervalMs: 100,
    waitWorkersMs: 30_000,
    thresholds: [],
    restoreAfter: false,
    resetStats: false,
    integrityCheck: true,
    localWorkers: 2,
    workerConcurrency: 64,
    resultsRoot: 'results',
    databaseName: 'dms_perf_test',
    databaseUrlMasked: 'postgres://postgres:***@127.0.0.1:5432/dms_perf_test',
    redisUrlMasked: 'redis://127.0.0.1:6379',
  };
}

export function fixtureReport(options: FixtureOptions = {}): RunReport {
  const sessions = options.sessions ?? 16;
  const strategy = options.strategy ?? 'current';
  const ok = options.ok ?? 1580;
  const failed = options.failed ?? 20;
  const p99 = options.p99 ?? 40;
  const name = options.name ?? `${strategy}-${sessions}`;
  return {
    version: RUN_REPORT_VERSION,
    runId: '01900000-0000-7000-8000-000000000001',
    name,
    config: fixtureConfig(strategy, sessions, name),
    dataset: { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 },
    startedAt: '2026-11-24T04:00:00.000Z',
    endedAt: '2026-11-24T04:00:10.000Z',
    durationMs: 10_000,
    sessions: { requested: sessions, completed: sessions, lost: 0, maxConcurrent: sessions, maxLateStartMs: 2 },
    workers: [{ id: 'w1', host: 'h', sessions }],
    ops: { ok, failed, retried: 5, byError: failed > 0 ? { '40P01': failed - 5, '23503': 5 } : {} },
    throughput: { opsPerSec: options.opsPerSec ?? 160 },
    latencyMs: { count: ok, min: 1.2, mean: 9.5, stdev: 4, p50: 8, p90: 20, p95: 30, p99, p999: p99 * 2, max: p99 * 3 },
    sessionResults: [],
    intervals: [],
    ...(options.noPg
      ? {}
      : {
          pg: {
            before: {},
            after: {},
            delta: {},
            perOp: options.perOp ?? { deadTuples: 55.5, walBytes: 12_345 },
            missing: {},
          },
        }),
    lockWaits: {
      samples: 100,
      sessionSamples: 1600,
      byEvent: options.byEvent ?? { CPU: 800, 'Lock:transactionid': 480, 'Client:ClientRead': 240, 'LWLock:WALWrite': 80 },
      blocked: {},
    },
    ...(options.violations === null ? {} : { integrity: { documentsChecked: 900, violations: options.violations ?? 0, examples: [] } }),
  };
}
