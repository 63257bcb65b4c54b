/**
 * The resolved configuration of a run: parsed and validated once by `refswarm run` (coordinator/
 * config/run-flags.ts), then only read. The workload part travels to workers inside every session job.
 */

export const SCENARIOS = ['single', 'disjoint', 'hot', 'batch', 'cross-partition', 'mixed', 'noop'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const STRATEGIES = ['current', 'differential', 'merge'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const SHAPES = ['bare', 'dms'] as const;
export type ShapeName = (typeof SHAPES)[number];

export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

export interface ScenarioOptions {
  readonly scenario: ScenarioName;
  readonly refsMin: number;
  readonly refsMax: number;
  readonly hotDocs: number;
  readonly batchSize: number;
  readonly sorted: boolean;
  readonly readRatio: number;
  readonly noopSleepMs: number;
}

export type LoopOptions =
  | { readonly mode: 'closed'; readonly thinkMinMs: number; readonly thinkMaxMs: number }
  | { readonly mode: 'open'; readonly ratePerSession: number };

/** Exactly one of iterations and durationMs is set. */
export interface RunLimits {
  readonly iterations?: number;
  readonly durationMs?: number;
  readonly warmupMs: number;
}

/** Everything a session needs to know about what to do (identical for all sessions of a run). */
export interface WorkloadConfig {
  readonly scenario: ScenarioOptions;
  readonly strategy: StrategyName;
  readonly shape: ShapeName;
  readonly isolation: IsolationLevel;
  readonly maxTries: number;
  readonly loop: LoopOptions;
  readonly limits: RunLimits;
}

export interface RunConfig {
  readonly name: string;
  readonly sessions: number;
  readonly seed: number;
  readonly workload: WorkloadConfig;
  readonly sampleIntervalMs: number;
  readonly waitWorkersMs: number;
  readonly thresholds: readonly string[];
  readonly restoreAfter: boolean;
  readonly resetStats: boolean;
  readonly integrityCheck: boolean;
  /** 0: use the workers already connected to Redis. */
  readonly localWorkers: number;
  readonly workerConcurrency: number;
  readonly resultsRoot: string;
  readonly databaseName: string;
  /** Masked (no password): safe to log and to write into results. */
  readonly databaseUrlMasked: string;
  readonly redisUrlMasked: string;
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
