import type { DatasetShape } from '../../shared/dataset.ts';
import type { SharedClock } from '../../shared/redis-clock.ts';
import type { DeadlockReport } from '../../shared/protocol/messages.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import type { RunReport } from '../results/run-report.ts';
import type { CollectedReadBacks } from '../run/read-back-collector.ts';

/**
 * Things that watch a run from the coordinator's side without being part of its orchestration:
 * statistics snapshots, the lock-wait sampler, the integrity check. coordinator/run/run.ts calls them
 * in order; each fills its own sections of run.json.
 */

export interface RunObserverContext {
  readonly runId: string;
  readonly config: RunConfig;
  readonly dataset: DatasetShape;
  /** The dataset was loaded with --distinct-pairs: a document's dataset set is its distinct set (absent: false). */
  readonly distinctPairs?: boolean;
  /** The layout setup built (absent: referential-id). */
  readonly schema?: SchemaLayout;
  /** Full URL of the run's database (secrets included): for connecting only, never for output. */
  readonly databaseUrl: string;
  /** application_name prefix of every session of this run. */
  readonly applicationTag: string;
  readonly signal: AbortSignal;
  /**
   * The run's shared clock (Redis TIME), which startAtMs and endAtMs are on: whatever an observer
   * stamps is stamped on it, or a coordinator whose own clock differs drops or misplaces it.
   */
  readonly clock: SharedClock;
}

/** What the sessions did, as the coordinator collected it. */
export interface RunOutcome {
  /** Shared-clock epoch ms of the common start and of the end. */
  readonly startAtMs: number;
  readonly endAtMs: number;
  readonly intervalMs: number;
  readonly opsTotal: number;
  /** documentId → digests of every reference set some session committed to it. */
  readonly committed: ReadonlyMap<number, ReadonlySet<string>>;
  /** Every document some session tried to rewrite (or, lost, may have). */
  readonly touched: ReadonlySet<number>;
  /** Documents lost sessions may have rewritten after their last interval event: their state is unknown. */
  readonly uncertain?: ReadonlySet<number>;
  /** Deadlocks the sessions reported (victims), with the reporting session. */
  readonly deadlocks?: readonly SessionDeadlock[];
  /** --verify-writes: what the sessions read back after their writes (absent when off). */
  readonly readBacks?: CollectedReadBacks;
}

export type SessionDeadlock = DeadlockReport & { readonly sessionId: number };

/** An observer's share of run.json, plus optional per-interval lock-wait profiles (interval index → event → share). */
export type ObserverContribution = Partial<Pick<RunReport, 'pg' | 'lockWaits' | 'deadlocks' | 'integrity' | 'explain'>> & {
  readonly intervalLockWaits?: ReadonlyMap<number, Readonly<Record<string, number>>>;
};

export interface RunObserver {
  readonly name: string;
  /** After the capacity check, before any session is enqueued (e.g. the "before" snapshot). */
  beforeRun?(context: RunObserverContext): Promise<void>;
  /** At the common start time (e.g. start sampling). */
  onStart?(context: RunObserverContext, startAtMs: number): Promise<void>;
  /** A short fragment for the live progress line, e.g. "3 waiting on locks". */
  progressFragment?(): string | undefined;
  /**
   * Deadlocks sessions reported, as their interval events arrive (about an interval after each error),
   * the same ones RunOutcome.deadlocks lists at the end (reportedDeadlocks gives them from an event).
   */
  onDeadlocks?(deadlocks: readonly SessionDeadlock[]): void;
  /** After every session ended or was lost. */
  afterRun(context: RunObserverContext, outcome: RunOutcome): Promise<ObserverContribution>;
  /** The run ended without results (afterRun will not come): release what beforeRun/onStart opened. */
  abandon?(): Promise<void>;
}
