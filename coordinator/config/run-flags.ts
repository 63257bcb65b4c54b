import { resolve } from 'node:path';
import { assertRefswarmDatabaseName, maskUrl } from '../../shared/connection.ts';
import { UsageError } from '../../shared/errors.ts';
import {
  booleanFlag,
  checkedRange,
  choiceFlag,
  listFlag,
  optionalStringFlag,
  parseFlags,
  parseRangeMs,
  rangedFlag,
  type FlagTable,
  type ParsedFlags,
} from '../../shared/cli/options.ts';
import {
  DEFAULT_SCENARIO_OPTIONS,
  FIXTURES,
  ISOLATION_LEVELS,
  RUN_NAME_PATTERN,
  SCENARIOS,
  SHAPES,
  STRATEGIES,
  defaultBatchSize,
  type LoopOptions,
  type RunConfig,
  type RunLimits,
  type ScenarioOptions,
} from '../../shared/run-config.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';
import { runEnvironmentFrom, type RunEnvironment } from '../../shared/run-environment.ts';
import { checkedThresholdExpressions } from '../results/thresholds.ts';
import { realismOptions } from './realism-flags.ts';

/**
 * Every option of `refswarm run` (docs/architecture.md#workload), converted and cross-checked once
 * into a readonly RunConfig. All problems are reported together, so one attempt shows everything to
 * fix.
 */

export const RUN_FLAGS = {
  sessions: { kind: 'string', description: 'concurrent sessions (one PostgreSQL connection each)', defaultText: '10', range: OPTION_RANGES.sessions },
  iterations: { kind: 'string', description: 'recorded operations per session', defaultText: '100', range: OPTION_RANGES.iterations },
  duration: { kind: 'string', description: 'run for this long after warm-up instead of --iterations (e.g. 60s)', range: OPTION_RANGES.duration },
  warmup: { kind: 'string', description: 'operations during warm-up run but are not recorded', defaultText: '0', range: OPTION_RANGES.warmup },
  seed: { kind: 'string', description: 'seed of every session stream', defaultText: '12345', range: OPTION_RANGES.seed },
  scenario: { kind: 'string', description: SCENARIOS.join('|'), defaultText: 'single' },
  'refs-min': { kind: 'string', description: 'fewest references per rewritten document', defaultText: '10', range: OPTION_RANGES['refs-min'] },
  'refs-max': { kind: 'string', description: 'most references per rewritten document', defaultText: '100', range: OPTION_RANGES['refs-max'] },
  'hot-docs': { kind: 'string', description: 'hot scenario: documents every session rewrites', defaultText: '10', range: OPTION_RANGES['hot-docs'] },
  'batch-size': { kind: 'string', description: 'batch / cross-partition: documents per operation', defaultText: 'batch 100, cross-partition 4', range: OPTION_RANGES['batch-size'] },
  sorted: { kind: 'boolean', description: 'batch: rewrite documents in ascending Id order' },
  'read-ratio': { kind: 'string', description: 'mixed: share of operations that are reads', defaultText: '0.8', range: OPTION_RANGES['read-ratio'] },
  'noop-sleep': { kind: 'string', description: 'noop: SELECT pg_sleep(T) instead of SELECT 1', defaultText: '0', range: OPTION_RANGES['noop-sleep'] },
  change: { kind: 'string', description: "references replaced per rewrite in the document's dataset set (0: resubmit it; all: a fresh set)", defaultText: 'all', range: OPTION_RANGES.change },
  'target-skew': { kind: 'string', description: 'referenced documents: uniform, or zipf:S (document r drawn ∝ r^-S)', defaultText: 'uniform', range: OPTION_RANGES['target-skew'] },
  'unknown-ratio': { kind: 'string', description: 'share of rewrites carrying one unknown referential id (rejected, nothing written)', defaultText: '0', range: OPTION_RANGES['unknown-ratio'] },
  fixture: { kind: 'string', description: `fixture scenario: ${FIXTURES.join('|')}` },
  'fixture-alternate': { kind: 'boolean', description: "fixture: every other operation writes a second set instead of the fixture's" },
  strategy: { kind: 'string', description: STRATEGIES.join('|'), defaultText: 'current' },
  shape: { kind: 'string', description: SHAPES.join('|'), defaultText: 'bare' },
  isolation: { kind: 'string', description: `dms shape: ${ISOLATION_LEVELS.join('|')}`, defaultText: 'read-committed' },
  think: { kind: 'string', description: 'closed loop: think time MIN-MAX between operations (0: none)', defaultText: '10-50ms', range: OPTION_RANGES.think },
  rate: { kind: 'string', description: 'open loop: operations per second per session on a fixed schedule', range: OPTION_RANGES.rate },
  'max-tries': { kind: 'string', description: 'tries per operation on deadlock or serialization failure', defaultText: '1', range: OPTION_RANGES['max-tries'] },
  name: { kind: 'string', description: 'run name (letters, digits, . _ -), part of the results folder', defaultText: 'scenario-strategy-shape-sessions' },
  'sample-interval': { kind: 'string', description: 'lock-wait sampling period', defaultText: '100ms', range: OPTION_RANGES['sample-interval'] },
  'wait-workers': { kind: 'string', description: 'how long to wait for enough worker capacity', defaultText: '30s', range: OPTION_RANGES['wait-workers'] },
  threshold: { kind: 'multiple', description: "pass/fail expression, repeatable: 'p99<50ms', 'errors<1%' (exit 3 when breached)" },
  'restore-after': { kind: 'boolean', description: 'put touched documents back to their dataset references afterwards' },
  'reset-stats': { kind: 'boolean', description: 'reset PostgreSQL statistics counters before the run' },
  'no-integrity': { kind: 'boolean', description: 'skip the integrity check after a write run' },
  'no-sql-tags': { kind: 'boolean', description: 'send statements untagged, as named prepared statements (no session/operation/document attribution of lock waits)' },
  'verify-writes': { kind: 'boolean', description: "read back each write's reference sets right after it and count anomalous states (adds load)" },
  explain: { kind: 'boolean', description: 'EXPLAIN (ANALYZE, BUFFERS) one rolled-back operation before and after the run (into run.json and report.html)' },
  'local-workers': { kind: 'string', description: 'start this many worker processes for this run (0: use connected workers)', defaultText: '0', range: OPTION_RANGES['local-workers'] },
  'worker-concurrency': { kind: 'string', description: 'sessions per local worker', defaultText: '64', range: OPTION_RANGES['worker-concurrency'] },
  database: { kind: 'string', description: "database name (overrides DATABASE_URL's)" },
  'allow-concurrent-runs': { kind: 'boolean', description: 'run even while another run holds the database (integrity and pg deltas are then shared)' },
} as const satisfies FlagTable;

export const DEFAULTS = {
  sessions: 10,
  iterations: 100,
  seed: 12345,
  thinkMs: '10-50ms',
  maxTries: 1,
  sampleIntervalMs: 100,
  waitWorkersMs: 30_000,
  workerConcurrency: 64,
} as const;

const NAME = new RegExp(RUN_NAME_PATTERN);

/** A run shorter than one reporting interval has no interval to report. */
const SHORTEST_DURATION_MS = 1000;

/** Limits that parse but describe a run that cannot do what it says: no operation at all, or one lasting beyond any run. */
function scheduleProblems(loop: LoopOptions, limits: RunLimits): string[] {
  const problems: string[] = [];
  if (limits.durationMs !== undefined && limits.durationMs > 0 && limits.durationMs < SHORTEST_DURATION_MS) {
    problems.push(`--duration ${limits.durationMs} ms is shorter than one reporting interval (1s): give at least 1s, or use --iterations`);
  }
  if (loop.mode !== 'open') return problems;
  const periodMs = 1000 / loop.ratePerSession;
  if (limits.durationMs !== undefined && periodMs > limits.durationMs) {
    problems.push(`--rate ${loop.ratePerSession} plans one operation every ${periodMs / 1000} s, longer than --duration ${limits.durationMs / 1000} s: most sessions would run no operation; raise --rate or --duration`);
  }
  const longestMs = OPTION_RANGES.duration.max;
  if (limits.iterations !== undefined && limits.iterations * periodMs > longestMs) {
    problems.push(
      `--iterations ${limits.iterations} at --rate ${loop.ratePerSession} takes ${Math.round((limits.iterations * periodMs) / 3_600_000)} h, beyond the ${longestMs / 3_600_000} h a run may last: raise --rate or lower --iterations`,
    );
  }
  return problems;
}

export interface ParsedRun {
  readonly config: RunConfig;
  readonly environment: RunEnvironment;
}

/** argv (+ REFSWARM_* env equivalents) → the run's configuration and environment. */
export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedRun {
  const flags = parseFlags('run', RUN_FLAGS, argv, env);
  return runFromFlags(flags, env);
}

export function runFromFlags(flags: ParsedFlags, env: NodeJS.ProcessEnv): ParsedRun {
  const problems: string[] = [];
  /** Runs one conversion; a UsageError becomes a listed problem and the fallback stands in. */
  const take = <T>(convert: () => T, fallback: T): T => {
    try {
      return convert();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };

  const environment = take(() => {
    const resolved = runEnvironmentFrom(env, optionalStringFlag(flags, 'database'));
    assertRefswarmDatabaseName(resolved.connection.databaseName);
    return resolved;
  }, undefined);
  const sessions = take(() => rangedFlag(flags, 'sessions', DEFAULTS.sessions, OPTION_RANGES.sessions), DEFAULTS.sessions);
  const scenarioName = take(() => choiceFlag(flags, 'scenario', SCENARIOS, 'single'), 'single' as const);
  const scenario: ScenarioOptions = {
    scenario: scenarioName,
    refsMin: take(() => rangedFlag(flags, 'refs-min', DEFAULT_SCENARIO_OPTIONS.refsMin, OPTION_RANGES['refs-min']), DEFAULT_SCENARIO_OPTIONS.refsMin),
    refsMax: take(() => rangedFlag(flags, 'refs-max', DEFAULT_SCENARIO_OPTIONS.refsMax, OPTION_RANGES['refs-max']), DEFAULT_SCENARIO_OPTIONS.refsMax),
    hotDocs: take(() => rangedFlag(flags, 'hot-docs', DEFAULT_SCENARIO_OPTIONS.hotDocs, OPTION_RANGES['hot-docs']), DEFAULT_SCENARIO_OPTIONS.hotDocs),
    batchSize: take(() => rangedFlag(flags, 'batch-size', defaultBatchSize(scenarioName), OPTION_RANGES['batch-size']), defaultBatchSize(scenarioName)),
    sorted: booleanFlag(flags, 'sorted'),
    readRatio: take(() => rangedFlag(flags, 'read-ratio', DEFAULT_SCENARIO_OPTIONS.readRatio, OPTION_RANGES['read-ratio']), DEFAULT_SCENARIO_OPTIONS.readRatio),
    noopSleepMs: take(() => rangedFlag(flags, 'noop-sleep', 0, OPTION_RANGES['noop-sleep']), 0),
    ...realismOptions(flags, scenarioName, take, problems),
  };
  if (scenario.refsMin > scenario.refsMax) {
    problems.push(`--refs-min ${scenario.refsMin} is above --refs-max ${scenario.refsMax}: give a range with MIN not above MAX`);
  }

  const iterationsGiven = flags.values.iterations !== undefined;
  const durationGiven = flags.values.duration !== undefined;
  if (iterationsGiven && durationGiven) problems.push('specify either --iterations or --duration, not both');
  const warmupMs = take(() => rangedFlag(flags, 'warmup', 0, OPTION_RANGES.warmup, 's'), 0);
  let limits: RunLimits;
  if (durationGiven) {
    limits = { durationMs: take(() => rangedFlag(flags, 'duration', 0, OPTION_RANGES.duration, 's'), 0), warmupMs };
  } else {
    limits = { iterations: take(() => rangedFlag(flags, 'iterations', DEFAULTS.iterations, OPTION_RANGES.iterations), DEFAULTS.iterations), warmupMs };
  }

  const thinkGiven = flags.values.think !== undefined;
  const rateGiven = flags.values.rate !== undefined;
  let loop: LoopOptions;
  if (thinkGiven && rateGiven) {
    problems.push('specify either --think (closed loop) or --rate (open loop), not both');
  }
  if (rateGiven) {
    const ratePerSession = take(() => rangedFlag(flags, 'rate', 1, OPTION_RANGES.rate), 1);
    loop = { mode: 'open', ratePerSession };
  } else {
    const raw = thinkGiven ? String(flags.values.think) : DEFAULTS.thinkMs;
    const think = take(() => {
      const { minMs, maxMs } = parseRangeMs('think', raw);
      return { minMs: checkedRange('think', raw, minMs, OPTION_RANGES.think), maxMs: checkedRange('think', raw, maxMs, OPTION_RANGES.think) };
    }, { minMs: 0, maxMs: 0 });
    loop = { mode: 'closed', thinkMinMs: think.minMs, thinkMaxMs: think.maxMs };
  }

  const strategy = take(() => choiceFlag(flags, 'strategy', STRATEGIES, 'current'), 'current' as const);
  const shape = take(() => choiceFlag(flags, 'shape', SHAPES, 'bare'), 'bare' as const);
  const isolation = take(() => choiceFlag(flags, 'isolation', ISOLATION_LEVELS, 'read-committed'), 'read-committed' as const);
  if (shape === 'bare' && isolation !== 'read-committed') {
    problems.push(`--isolation ${isolation} needs a transaction to isolate, and the bare shape runs the strategy call alone in autocommit: use --shape dms`);
  }
  problems.push(...scheduleProblems(loop, limits));
  const verifyWrites = booleanFlag(flags, 'verify-writes');
  if (verifyWrites && booleanFlag(flags, 'no-integrity')) {
    problems.push('--verify-writes reports what it saw through the integrity check, which --no-integrity skips: drop one of them');
  }
  const maxTries = take(() => rangedFlag(flags, 'max-tries', DEFAULTS.maxTries, OPTION_RANGES['max-tries']), DEFAULTS.maxTries);

  const name = optionalStringFlag(flags, 'name') ?? `${scenarioName}-${strategy}-${shape}-${sessions}`;
  if (!NAME.test(name)) {
    problems.push(`invalid value "${name}" for --name: expected up to 80 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  const localWorkers = take(() => rangedFlag(flags, 'local-workers', 0, OPTION_RANGES['local-workers']), 0);
  const workerConcurrency = take(() => rangedFlag(flags, 'worker-concurrency', DEFAULTS.workerConcurrency, OPTION_RANGES['worker-concurrency']), DEFAULTS.workerConcurrency);
  if (localWorkers > 0 && flags.values['worker-concurrency'] !== undefined && localWorkers * workerConcurrency < sessions) {
    problems.push(
      `--local-workers ${localWorkers} × --worker-concurrency ${workerConcurrency} = ${localWorkers * workerConcurrency} slots for ${sessions} sessions: raise either`,
    );
  }

  // Local workers get just enough slots each unless told otherwise, so the load spreads over all of them.
  const localWorkerSlots = Math.max(DEFAULTS.workerConcurrency, Math.ceil(sessions / Math.max(localWorkers, 1)));
  if (localWorkers > 0 && flags.values['worker-concurrency'] === undefined && localWorkerSlots > OPTION_RANGES['worker-concurrency'].max) {
    problems.push(
      `--sessions ${sessions} on --local-workers ${localWorkers} is ${localWorkerSlots} sessions per worker, above the ${OPTION_RANGES['worker-concurrency'].max} a worker runs: raise --local-workers`,
    );
  }

  const config: RunConfig = {
    name,
    sessions,
    seed: take(() => rangedFlag(flags, 'seed', DEFAULTS.seed, OPTION_RANGES.seed), DEFAULTS.seed),
    workload: { scenario, strategy, shape, isolation, maxTries, loop, limits, sqlTags: !booleanFlag(flags, 'no-sql-tags'), ...(verifyWrites && { verifyWrites: true }) },
    sampleIntervalMs: take(() => rangedFlag(flags, 'sample-interval', DEFAULTS.sampleIntervalMs, OPTION_RANGES['sample-interval']), DEFAULTS.sampleIntervalMs),
    waitWorkersMs: take(() => rangedFlag(flags, 'wait-workers', DEFAULTS.waitWorkersMs, OPTION_RANGES['wait-workers'], 's'), DEFAULTS.waitWorkersMs),
    thresholds: take(() => checkedThresholdExpressions(listFlag(flags, 'threshold')), []),
    restoreAfter: booleanFlag(flags, 'restore-after'),
    resetStats: booleanFlag(flags, 'reset-stats'),
    integrityCheck: !booleanFlag(flags, 'no-integrity'),
    ...(booleanFlag(flags, 'explain') && { explain: true }),
    ...(booleanFlag(flags, 'allow-concurrent-runs') && { allowConcurrentRuns: true }),
    localWorkers,
    workerConcurrency: localWorkers > 0 && flags.values['worker-concurrency'] === undefined ? localWorkerSlots : workerConcurrency,
    resultsRoot: resolve(env.RESULTS_DIR || 'results'),
    databaseName: environment?.connection.databaseName ?? '',
    databaseUrlMasked: environment ? maskUrl(environment.connection.databaseUrl) : '',
    redisUrlMasked: environment ? maskUrl(environment.connection.redisUrl) : '',
  };
  if (problems.length > 0 || environment === undefined) throw new UsageError(problems.join('; '));
  return { config, environment };
}
