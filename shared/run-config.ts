import { Type } from '@sinclair/typebox';
import { OPTION_RANGES, rangeSchema } from './option-ranges.ts';
import type { Contract } from './protocol/contract-schema.ts';

/**
 * The resolved configuration of a run: parsed and validated once by `refswarm run` (coordinator/
 * config/run-flags.ts), then only read. The workload part travels to workers inside every session job.
 */

export const SCENARIOS = ['single', 'disjoint', 'hot', 'batch', 'cross-partition', 'mixed', 'noop', 'fixture'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The seed harness's bundled fixtures (sql/fixtures/build-perf-reference-targets.sql). */
export const FIXTURES = ['single_doc_standard', 'single_doc_heavy', 'batch_100_mixed'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export const STRATEGIES = ['current', 'differential', 'merge', 'upsert'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const SHAPES = ['bare', 'dms'] as const;
export type ShapeName = (typeof SHAPES)[number];

export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const ScenarioOptionsSchema = Type.Object({
  scenario: oneOf(SCENARIOS),
  refsMin: rangeSchema(OPTION_RANGES['refs-min']),
  /** At least refsMin (workloadProblem). */
  refsMax: rangeSchema(OPTION_RANGES['refs-max']),
  hotDocs: rangeSchema(OPTION_RANGES['hot-docs']),
  batchSize: rangeSchema(OPTION_RANGES['batch-size']),
  sorted: Type.Boolean(),
  readRatio: rangeSchema(OPTION_RANGES['read-ratio']),
  noopSleepMs: rangeSchema(OPTION_RANGES['noop-sleep']),
  // Workload realism (docs/architecture.md#scenarios). Absent means the default, so that jobs, run
  // metas and run.json files written before these fields existed still read, and mean what they meant.
  /** References replaced per rewrite, from the document's own dataset set; absent: a fresh set ("all"). */
  change: Type.Optional(rangeSchema(OPTION_RANGES.change)),
  /** Zipf exponent of the referenced documents (rank r = document r); absent: uniform. */
  zipfExponent: Type.Optional(rangeSchema(OPTION_RANGES['target-skew'])),
  /** Share of rewrites that carry one unknown referential id; absent: none. */
  unknownRatio: Type.Optional(rangeSchema(OPTION_RANGES['unknown-ratio'])),
  /** fixture scenario: which fixture; alternate: every other operation writes a second set. */
  fixture: Type.Optional(oneOf(FIXTURES)),
  fixtureAlternate: Type.Optional(Type.Boolean()),
});
export type ScenarioOptions = Contract<typeof ScenarioOptionsSchema>;

export const LoopOptionsSchema = Type.Union([
  Type.Object({
    mode: Type.Literal('closed'),
    thinkMinMs: rangeSchema(OPTION_RANGES.think),
    /** At least thinkMinMs (workloadProblem). */
    thinkMaxMs: rangeSchema(OPTION_RANGES.think),
  }),
  Type.Object({ mode: Type.Literal('open'), ratePerSession: rangeSchema(OPTION_RANGES.rate) }),
]);
export type LoopOptions = Contract<typeof LoopOptionsSchema>;

/** Exactly one of iterations and durationMs is set (workloadProblem). */
export const RunLimitsSchema = Type.Object({
  iterations: Type.Optional(rangeSchema(OPTION_RANGES.iterations)),
  durationMs: Type.Optional(rangeSchema(OPTION_RANGES.duration)),
  warmupMs: rangeSchema(OPTION_RANGES.warmup),
});
export type RunLimits = Contract<typeof RunLimitsSchema>;

/** Everything a session needs to know about what to do (identical for all sessions of a run). */
export const WorkloadConfigSchema = Type.Object({
  scenario: ScenarioOptionsSchema,
  strategy: oneOf(STRATEGIES),
  shape: oneOf(SHAPES),
  isolation: oneOf(ISOLATION_LEVELS),
  maxTries: rangeSchema(OPTION_RANGES['max-tries']),
  loop: LoopOptionsSchema,
  limits: RunLimitsSchema,
  /**
   * Put the SQL tag (shared/workload/sql-tag.ts) in front of every statement, the prepared ones run
   * through SQL EXECUTE (worker/tagged-statements.ts); false (--no-sql-tags): untagged protocol-level
   * named prepared statements. Absent (older jobs and run.json): untagged.
   */
  sqlTags: Type.Optional(Type.Boolean()),
  /**
   * --verify-writes: after each write the session reads back the rewritten documents' reference-set
   * digests (docs/architecture.md#integrity-check). Absent: off.
   */
  verifyWrites: Type.Optional(Type.Boolean()),
});
export type WorkloadConfig = Contract<typeof WorkloadConfigSchema>;

/** A run name: part of the results folder name. */
export const RUN_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$';

export const RunConfigSchema = Type.Object({
  name: Type.String({ pattern: RUN_NAME_PATTERN, description: 'up to 80 letters, digits, ".", "_" or "-", starting with a letter or digit' }),
  sessions: rangeSchema(OPTION_RANGES.sessions),
  seed: rangeSchema(OPTION_RANGES.seed),
  workload: WorkloadConfigSchema,
  sampleIntervalMs: rangeSchema(OPTION_RANGES['sample-interval']),
  waitWorkersMs: rangeSchema(OPTION_RANGES['wait-workers']),
  thresholds: Type.Array(Type.String()),
  restoreAfter: Type.Boolean(),
  resetStats: Type.Boolean(),
  integrityCheck: Type.Boolean(),
  /** --explain: EXPLAIN ANALYZE one rolled-back operation before and after the run (absent: off). */
  explain: Type.Optional(Type.Boolean()),
  /** --allow-concurrent-runs: go ahead while another run holds the database (absent in older run.json: false). */
  allowConcurrentRuns: Type.Optional(Type.Boolean()),
  /** 0: use the workers already connected to Redis. */
  localWorkers: rangeSchema(OPTION_RANGES['local-workers']),
  workerConcurrency: rangeSchema(OPTION_RANGES['worker-concurrency']),
  resultsRoot: Type.String(),
  databaseName: Type.String(),
  /** Masked (no password): safe to log and to write into results. */
  databaseUrlMasked: Type.String(),
  redisUrlMasked: Type.String(),
});
export type RunConfig = Contract<typeof RunConfigSchema>;

/** A rule between fields of a workload that a schema cannot state. */
export interface WorkloadProblem {
  /** Relative to the workload: "scenario.refsMax". */
  readonly field: string;
  readonly expected: string;
  readonly value: unknown;
}

/** The first cross-field rule the workload breaks, or undefined. */
export function workloadProblem(workload: WorkloadConfig): WorkloadProblem | undefined {
  const { scenario, loop, limits } = workload;
  if (scenario.scenario === 'fixture' && scenario.fixture === undefined) {
    return { field: 'scenario.fixture', expected: 'a fixture name for the fixture scenario', value: undefined };
  }
  if (scenario.refsMax < scenario.refsMin) {
    return { field: 'scenario.refsMax', expected: `at least refsMin (${scenario.refsMin})`, value: scenario.refsMax };
  }
  if (loop.mode === 'closed' && loop.thinkMaxMs < loop.thinkMinMs) {
    return { field: 'loop.thinkMaxMs', expected: `at least thinkMinMs (${loop.thinkMinMs})`, value: loop.thinkMaxMs };
  }
  if ((limits.iterations === undefined) === (limits.durationMs === undefined)) {
    return { field: 'limits', expected: 'exactly one of iterations and durationMs', value: limits };
  }
  return undefined;
}

export const DEFAULT_SCENARIO_OPTIONS: ScenarioOptions = {
  scenario: 'single',
  refsMin: 10,
  refsMax: 100,
  hotDocs: 10,
  batchSize: 100,
  sorted: false,
  readRatio: 0.8,
  noopSleepMs: 0,
};

/** Default batch size by scenario (docs/architecture.md#scenarios): batch 100, cross-partition 4. */
export function defaultBatchSize(scenario: ScenarioName): number {
  return scenario === 'cross-partition' ? 4 : 100;
}

export function isWriteScenario(scenario: ScenarioName): boolean {
  return scenario !== 'noop';
}
