import { Type } from '@sinclair/typebox';
import { PHASE_NAME_PATTERN } from '../../shared/phases.ts';
import { DatasetShapeSchema } from '../../shared/dataset.ts';
import { LatencySummaryMsSchema } from '../../shared/histogram.ts';
import { Count, Finite, KeyedRecord, type Contract } from '../../shared/protocol/contract-schema.ts';
import { SESSION_STATUSES } from '../../shared/protocol/messages.ts';
import { RunConfigSchema } from '../../shared/run-config.ts';
import { DEFAULT_SCHEMA_LAYOUT, SCHEMA_LAYOUTS, type SchemaLayout } from '../../shared/schema-layout.ts';
import { StartSpreadSchema } from '../run/start-spread.ts';
import {
  DeadlockSectionSchema,
  EnvironmentSectionSchema,
  ExplainSectionSchema,
  GeneratorSectionSchema,
  IntegritySectionSchema,
  LockWaitSectionSchema,
  PgStatsSectionSchema,
} from './run-report-sections.ts';

export type {
  BlockedSummary,
  EnvironmentSection,
  ExplainSection,
  GeneratorSection,
  IntegritySection,
  LockWaitSection,
  PgStatsSection,
} from './run-report-sections.ts';

/**
 * run.json: a stable contract (docs/architecture.md#results), declared once here (the observers'
 * sections in run-report-sections.ts, the latency block beside summarizeMs in shared/histogram.ts).
 * Written by the coordinator, read by `report`, `compare`, `sweep` and thresholds, checked on reading
 * (read-run-report.ts). Sections that need the server's extensions may record their absence.
 */

export const RUN_REPORT_VERSION = 1;

/**
 * The dataset a run ran on: its shape, whether it was loaded with --distinct-pairs, and the layout
 * setup built (--schema; absent in run.json files written before layouts existed: referential-id).
 */
export const RunDatasetSchema = Type.Object({
  ...DatasetShapeSchema.properties,
  distinctPairs: Type.Optional(Type.Boolean()),
  schema: Type.Optional(Type.Union(SCHEMA_LAYOUTS.map((s) => Type.Literal(s)))),
});
export type RunDataset = Contract<typeof RunDatasetSchema>;

export function datasetLayout(dataset: RunDataset): SchemaLayout {
  return dataset.schema ?? DEFAULT_SCHEMA_LAYOUT;
}

export const WorkerSummarySchema = Type.Object({ id: Type.String(), host: Type.String(), sessions: Count() });
export type WorkerSummary = Contract<typeof WorkerSummarySchema>;

export const SessionResultSummarySchema = Type.Object({
  sessionId: Count(),
  worker: Type.String(),
  status: Type.Union([...SESSION_STATUSES, 'lost' as const].map((s) => Type.Literal(s))),
  /** Why it did not complete: the reason it gave in `done`, or why it was declared lost. */
  reason: Type.Optional(Type.String()),
  ops: Count(),
  digest: Type.Union([Type.String(), Type.Null()]),
  lateMs: Type.Union([Finite(), Type.Null()]),
});
export type SessionResultSummary = Contract<typeof SessionResultSummarySchema>;

export const IntervalSummarySchema = Type.Object({
  /** Seconds since the common start (interval start). */
  t: Finite(),
  ok: Count(),
  failed: Count(),
  opsPerSec: Finite(),
  p50Ms: Finite(),
  p99Ms: Finite(),
  maxMs: Finite(),
  /** Lock-wait profile of this interval (share of session-samples per event), when sampled. */
  lockWaits: Type.Optional(Type.Record(Type.String(), Finite())),
  /** p99 of each phase (run.json `phases`) in this interval, ms; absent when no phase recorded. */
  phaseP99Ms: Type.Optional(KeyedRecord('phase names', PHASE_NAME_PATTERN, Finite())),
});
export type IntervalSummary = Contract<typeof IntervalSummarySchema>;

export const ThresholdResultSchema = Type.Object({ expression: Type.String(), passed: Type.Boolean(), actual: Type.String() });

export const RunReportSchema = Type.Object({
  version: Type.Literal(RUN_REPORT_VERSION),
  runId: Type.String(),
  name: Type.String(),
  config: RunConfigSchema,
  dataset: RunDatasetSchema,
  startedAt: Type.String(),
  endedAt: Type.String(),
  durationMs: Finite(),
  sessions: Type.Object({
    requested: Count(),
    completed: Count(),
    /** Ended `aborted` (the run was stopped, or its worker was), `failed`, or lost (no `done`): each apart. */
    aborted: Type.Optional(Count()),
    failed: Type.Optional(Count()),
    lost: Count(),
    maxConcurrent: Count(),
    maxLateStartMs: Finite(),
    /** How late the sessions' first operations started after the common instant; absent when none started (and in older runs). */
    startSpreadMs: Type.Optional(StartSpreadSchema),
  }),
  workers: Type.Array(WorkerSummarySchema),
  ops: Type.Object({
    ok: Count(),
    failed: Count(),
    /** Rewrites refused for the unknown referential id they carried (--unknown-ratio); absent when none. */
    rejected: Type.Optional(Count()),
    retried: Count(),
    /** Open loop: operations scheduled before the end of --duration that never started (not in ok or failed). */
    dropped: Type.Optional(Count()),
    byError: Type.Record(Type.String(), Count()),
  }),
  /** ok operations per second of the measured window: from the end of warm-up to the last recorded operation's end. */
  throughput: Type.Object({ opsPerSec: Finite(), windowMs: Type.Optional(Finite()) }),
  latencyMs: LatencySummaryMsSchema,
  serviceTimeMs: Type.Optional(LatencySummaryMsSchema),
  /**
   * Per phase name (shared/phases.ts: lock, update, strategy, commit, call, read), the latency of that
   * phase of the ok operations' successful tries, as latencyMs; histograms in phases.hlog. Absent when
   * no operation went through a phase (noop) and in runs made before phases were measured.
   */
  phases: Type.Optional(KeyedRecord('phase names', PHASE_NAME_PATTERN, LatencySummaryMsSchema)),
  scheduleLagMs: Type.Optional(Type.Object({ max: Finite() })),
  sessionResults: Type.Array(SessionResultSummarySchema),
  intervals: Type.Array(IntervalSummarySchema),
  pg: Type.Optional(PgStatsSectionSchema),
  lockWaits: Type.Optional(LockWaitSectionSchema),
  /** Deadlocks the sessions were victims of, parsed and grouped by pattern (absent: a run before it existed). */
  deadlocks: Type.Optional(DeadlockSectionSchema),
  integrity: Type.Optional(IntegritySectionSchema),
  /** With --explain: the strategy's plans on one rolled-back operation before and after the run. */
  explain: Type.Optional(ExplainSectionSchema),
  thresholds: Type.Optional(Type.Array(ThresholdResultSchema)),
  /** What the run ran on: server version and non-default settings, hosts, runtimes, dataset checksum (absent in older files). */
  environment: Type.Optional(EnvironmentSectionSchema),
  /** The load generator's own health per worker and interval, and whether it bound the run (absent in older files). */
  generator: Type.Optional(GeneratorSectionSchema),
  /**
   * Runs that used the same database at the same time (--allow-concurrent-runs): the integrity check
   * and the pg deltas include their writes.
   */
  concurrentRuns: Type.Optional(Type.Array(Type.Object({ runId: Type.String(), name: Type.String(), startedAt: Type.String() }))),
  /** Documents some session tried to rewrite, ascending: what `refswarm restore --run DIR` puts back. */
  touchedDocuments: Type.Optional(Type.Array(Count())),
});
export type RunReport = Contract<typeof RunReportSchema>;
