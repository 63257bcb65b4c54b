import { resolve } from 'node:path';
import { assertRefswarmDatabaseName, maskUrl } from '../../shared/connection.ts';
import { UsageError } from '../../shared/errors.ts';
import {
  booleanFlag,
  choiceFlag,
  durationFlag,
  intFlag,
  listFlag,
  numberFlag,
  optionalDurationFlag,
  optionalStringFlag,
  parseFlags,
  parseRangeMs,
  type FlagTable,
  type ParsedFlags,
} from '../../shared/cli/options.ts';
import {
  DEFAULT_SCENARIO_OPTIONS,
  ISOLATION_LEVELS,
  SCENARIOS,
  SHAPES,
  STRATEGIES,
  defaultBatchSize,
  type LoopOptions,
  type RunConfig,
  type RunLimits,
  type ScenarioOptions,
} from '../../shared/run-config.ts';
import { runEnvironmentFrom, type RunEnvironment } from '../../shared/run-environment.ts';
import { checkedThresholdExpressions } from '../results/thresholds.ts';

/**
 * Every option of `refswarm run` (docs/architecture.md#workload), converted and cross-checked once
 * into a readonly RunConfig. All problems are reported together, so one attempt shows everything to
 * fix.
 */

export const RUN_FLAGS = {
  sessions: { kind: 'string', description: 'concurrent sessions (one PostgreSQL connection each)', defaultText: '10' },
  iterations: { kind: 'string', description: 'recorded operations per session', defaultText: '100' },
  duration: { kind: 'string', description: 'run for this long after warm-up instead of --iterations (e.g. 60s)' },
  warmup: { kind: 'string', description: 'operations during warm-up run but are not recorded', defaultText: '0' },
  seed: { kind: 'string', description: 'seed of every session stream', defaultText: '12345' },
  scenario: { kind: 'string', description: SCENARIOS.join('|'), defaultText: 'single' },
  'refs-min': { kind: 'string', description: 'fewest references per rewritten document', defaultText: '10' },
  'refs-max': { kind: 'string', description: 'most references per rewritten document', defaultText: '100' },
  'hot-docs': { kind: 'string', description: 'hot scenario: documents every session rewrites', defaultText: '10' },
  'batch-size': { kind: 'string', description: 'batch / cross-partition: documents per operation', defaultText: 'batch 100, cross-partition 4' },
  sorted: { kind: 'boolean', description: 'batch: rewrite documents in ascending Id order' },
  'read-ratio': { kind: 'string', description: 'mixed: share of operations that are reads', defaultText: '0.8' },
  'noop-sleep': { kind: 'string', description: 'noop: SELECT pg_sleep(T) instead of SELECT 1', defaultText: '0' },
  strategy: { kind: 'string', description: STRATEGIES.join('|'), defaultText: 'current' },
  shape: { kind: 'string', description: SHAPES.join('|'), defaultText: 'bare' },
  isolation: { kind: 'string', description: `dms shape: ${ISOLATION_LEVELS.join('|')}`, defaultText: 'read-committed' },
  think: { kind: 'string', description: 'closed loop: think time MIN-MAX between operations (0: none)', defaultText: '10-50ms' },
  rate: { kind: 'string', description: 'open loop: operations per second per session on a fixed schedule' },
  'max-tries': { kind: 'string', description: 'tries per operation on deadlock or serialization failure', defaultText: '1' },
  name: { kind: 'string', description: 'run name (letters, digits, . _ -), part of the results folder', defaultText: 'scenario-strategy-shape-sessions' },
  'sample-interval': { kind: 'string', description: 'lock-wait sampling period', defaultText: '100ms' },
  'wait-workers': { kind: 'string', description: 'how long to wait for enough worker capacity', defaultText: '30s' },
  threshold: { kind: 'multiple', description: "pass/fail expression, repeatable: 'p99<50ms', 'errors<1%' (exit 3 when breached)" },
  'restore-after': { kind: 'boolean', description: 'put touched documents back to their dataset references afterwards' },
  'reset-stats': { kind: 'boolean', description: 'reset PostgreSQL statistics counters before the run' },
  'no-integrity': { kind: 'boolean', description: 'skip the integrity check after a write run' },
  'local-workers': { kind: 'string', description: 'start this many worker processes for this run (0: use connected workers)', defaultText: '0' },
  'worker-concurrency': { kind: 'string', description: 'sessions per local worker', defaultText: '64' },
  database: { kind: 'string', description: "database name (overrides DATABASE_URL's)" },
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

const MAX_SESSIONS = 100_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

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
  const sessions = take(() => intFlag(flags, 'sessions', DEFAULTS.sessions, 1, MAX_SESSIONS), DEFAULTS.sessions);
  const scenarioName = take(() => choiceFlag(flags, 'scenario', SCENARIOS, 'single'), 'single' as const);
  const scenario: ScenarioOptions = {
    scenario: scenarioName,
    refsMin: take(() => intFlag(flags, 'refs-min', DEFAULT_SCENARIO_OPTIONS.refsMin, 1, 100_000), DEFAULT_SCENARIO_OPTIONS.refsMin),
    refsMax: take(() => intFlag(flags, 'refs-max', DEFAULT_SCENARIO_OPTIONS.refsMax, 1, 100_000), DEFAULT_SCENARIO_OPTIONS.refsMax),
    hotDocs: take(() => intFlag(flags, 'hot-docs', DEFAULT_SCENARIO_OPTIONS.hotDocs, 1, 50_000_000), DEFAULT_SCENARIO_OPTIONS.hotDocs),
    batchSize: take(() => intFlag(flags, 'batch-size', defaultBatchSize(scenarioName), 1, 100_000), defaultBatchSize(scenarioName)),
    sorted: booleanFlag(flags, 'sorted'),
    readRatio: take(() => numberFlag(flags, 'read-ratio', DEFAULT_SCENARIO_OPTIONS.readRatio, 0, 1), DEFAULT_SCENARIO_OPTIONS.readRatio),
    noopSleepMs: take(() => durationFlag(flags, 'noop-sleep', 0, 'ms'), 0),
  };
  if (scenario.refsMin > scenario.refsMax) {
    problems.push(`--refs-min ${scenario.refsMin} is above --refs-max ${scenario.refsMax}: give a range with MIN not above MAX`);
  }

  const iterationsGiven = flags.values.iterations !== undefined;
  const durationGiven = flags.values.duration !== undefined;
  if (iterationsGiven && durationGiven) problems.push('specify either --iterations or --duration, not both');
  const warmupMs = take(() => durationFlag(flags, 'warmup', 0), 0);
  let limits: RunLimits;
  if (durationGiven) {
    const durationMs = take(() => optionalDurationFlag(flags, 'duration') ?? 0, Number.NaN);
    if (durationMs <= 0) problems.push(`invalid value "${String(flags.values.duration)}" for --duration: expected more than 0, such as 60s`);
    limits = { durationMs: Number.isNaN(durationMs) ? 0 : durationMs, warmupMs };
  } else {
    limits = { iterations: take(() => intFlag(flags, 'iterations', DEFAULTS.iterations, 1, 1_000_000_000), DEFAULTS.iterations), warmupMs };
  }

  const thinkGiven = flags.values.think !== undefined;
  const rateGiven = flags.values.rate !== undefined;
  let loop: LoopOptions;
  if (thinkGiven && rateGiven) {
    problems.push('specify either --think (closed loop) or --rate (open loop), not both');
  }
  if (rateGiven) {
    const ratePerSession = take(() => numberFlag(flags, 'rate', 1, Number.MIN_VALUE, 1_000_000), 1);
    loop = { mode: 'open', ratePerSession };
  } else {
    const raw = thinkGiven ? String(flags.values.think) : DEFAULTS.thinkMs;
    const think = take(() => parseRangeMs('think', raw), { minMs: 0, maxMs: 0 });
    loop = { mode: 'closed', thinkMinMs: think.minMs, thinkMaxMs: think.maxMs };
  }

  const strategy = take(() => choiceFlag(flags, 'strategy', STRATEGIES, 'current'), 'current' as const);
  const shape = take(() => choiceFlag(flags, 'shape', SHAPES, 'bare'), 'bare' as const);
  const isolation = take(() => choiceFlag(flags, 'isolation', ISOLATION_LEVELS, 'read-committed'), 'read-committed' as const);
  const maxTries = take(() => intFlag(flags, 'max-tries', DEFAULTS.maxTries, 1, 1000), DEFAULTS.maxTries);

  const name = optionalStringFlag(flags, 'name') ?? `${scenarioName}-${strategy}-${shape}-${sessions}`;
  if (!NAME.test(name)) {
    problems.push(`invalid value "${name}" for --name: expected up to 80 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  const localWorkers = take(() => intFlag(flags, 'local-workers', 0, 0, 256), 0);
  const workerConcurrency = take(() => intFlag(flags, 'worker-concurrency', DEFAULTS.workerConcurrency, 1, 10_000), DEFAULTS.workerConcurrency);
  if (localWorkers > 0 && flags.values['worker-concurrency'] !== undefined && localWorkers * workerConcurrency < sessions) {
    problems.push(
      `--local-workers ${localWorkers} × --worker-concurrency ${workerConcurrency} = ${localWorkers * workerConcurrency} slots for ${sessions} sessions: raise either`,
    );
  }

  const config: RunConfig = {
    name,
    sessions,
    seed: take(() => intFlag(flags, 'seed', DEFAULTS.seed, 0, 2 ** 31 - 1), DEFAULTS.seed),
    workload: { scenario, strategy, shape, isolation, maxTries, loop, limits },
    sampleIntervalMs: take(() => durationFlag(flags, 'sample-interval', DEFAULTS.sampleIntervalMs, 'ms'), DEFAULTS.sampleIntervalMs),
    waitWorkersMs: take(() => durationFlag(flags, 'wait-workers', DEFAULTS.waitWorkersMs), DEFAULTS.waitWorkersMs),
    thresholds: take(() => checkedThresholdExpressions(listFlag(flags, 'threshold')), []),
    restoreAfter: booleanFlag(flags, 'restore-after'),
    resetStats: booleanFlag(flags, 'reset-stats'),
    integrityCheck: !booleanFlag(flags, 'no-integrity'),
    localWorkers,
    // Local workers get just enough slots each unless told otherwise, so the load spreads over all of them.
    workerConcurrency:
      localWorkers > 0 && flags.values['worker-concurrency'] === undefined
        ? Math.max(DEFAULTS.workerConcurrency, Math.ceil(sessions / localWorkers))
        : workerConcurrency,
    resultsRoot: resolve(env.RESULTS_DIR || 'results'),
    databaseName: environment?.connection.databaseName ?? '',
    databaseUrlMasked: environment ? maskUrl(environment.connection.databaseUrl) : '',
    redisUrlMasked: environment ? maskUrl(environment.connection.redisUrl) : '',
  };
  if (config.sampleIntervalMs < 1) problems.push(`invalid value "${String(flags.values['sample-interval'])}" for --sample-interval: expected at least 1ms`);
  if (problems.length > 0 || environment === undefined) throw new UsageError(problems.join('; '));
  return { config, environment };
}
