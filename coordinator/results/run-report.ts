import type { DatasetShape } from '../../shared/dataset.ts';
import type { LatencySummaryMs } from '../../shared/histogram.ts';
import type { RunConfig } from '../../shared/run-config.ts';

/**
 * run.json: a stable contract (docs/architecture.md#results). Written by the coordinator, read by
 * `report`, `compare`, `sweep` and thresholds. Sections that need the server's extensions may
 * record their absence.
 */

export const RUN_REPORT_VERSION = 1;

/** The dataset a run ran on: its shape, and whether it was loaded with --distinct-pairs. */
export type RunDataset = DatasetShape & { readonly distinctPairs?: boolean };

export interface WorkerSummary {
  readonly id: string;
  readonly host: string;
  readonly sessions: number;
}

export interface SessionResultSummary {
  readonly sessionId: number;
  readonly worker: string;
  readonly status: 'completed' | 'aborted' | 'failed' | 'lost';
  readonly ops: number;
  readonly digest: string | null;
  readonly lateMs: number | null;
}

export interface IntervalSummary {
  /** Seconds since the common start (interval start). */
  readonly t: number;
  readonly ok: number;
  readonly failed: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Lock-wait profile of this interval (share of session-samples per event), when sampled. */
  readonly lockWaits?: Readonly<Record<string, number>>;
}

export interface PgStatsSection {
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  readonly delta: Readonly<Record<string, unknown>>;
  readonly perOp: Readonly<Record<string, number | null>>;
  /** Views or extensions this server lacks, with why. */
  readonly missing: Readonly<Record<string, string>>;
}

export interface LockWaitSection {
  readonly samples: number;
  readonly sessionSamples: number;
  readonly byEvent: Readonly<Record<string, number>>;
  readonly blocked: Readonly<Record<string, unknown>>;
}

export interface IntegritySection {
  readonly documentsChecked: number;
  readonly violations: number;
  readonly examples: readonly Readonly<Record<string, unknown>>[];
}

export interface RunReport {
  readonly version: typeof RUN_REPORT_VERSION;
  readonly runId: string;
  readonly name: string;
  readonly config: RunConfig;
  readonly dataset: RunDataset;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly sessions: {
    readonly requested: number;
    readonly completed: number;
    readonly lost: number;
    readonly maxConcurrent: number;
    readonly maxLateStartMs: number;
  };
  readonly workers: readonly WorkerSummary[];
  readonly ops: {
    readonly ok: number;
    readonly failed: number;
    readonly retried: number;
    readonly byError: Readonly<Record<string, number>>;
  };
  readonly throughput: { readonly opsPerSec: number };
  readonly latencyMs: LatencySummaryMs;
  readonly serviceTimeMs?: LatencySummaryMs;
  readonly scheduleLagMs?: { readonly max: number };
  readonly sessionResults: readonly SessionResultSummary[];
  readonly intervals: readonly IntervalSummary[];
  readonly pg?: PgStatsSection;
  readonly lockWaits?: LockWaitSection;
  readonly integrity?: IntegritySection;
  readonly thresholds?: readonly { readonly expression: string; readonly passed: boolean; readonly actual: string }[];
  /** Documents some session tried to rewrite, ascending: what `refswarm restore --run DIR` puts back. */
  readonly touchedDocuments?: readonly number[];
}
