import type { DatasetShape } from '../dataset.ts';
import type { ScenarioOptions } from '../run-config.ts';
import type { DeadlockEdge } from './deadlock-detail.ts';
import type { Operation } from './operation.ts';

/**
 * The seam between the session loop (worker/session.ts: timing, histograms, messages) and the
 * workload model (shared/workload/*: what to do; worker/operation-executor.ts: how to do it in SQL).
 */

export interface OperationStreamParams {
  readonly seed: number;
  readonly sessionId: number;
  readonly sessionCount: number;
  readonly scenario: ScenarioOptions;
  readonly dataset: DatasetShape;
}

/** An endless, deterministic sequence of operations; the session loop decides how many it takes. */
export interface OperationStream {
  next(): Operation;
  /** Digest of every operation handed out so far (hex). */
  digest(): string;
}

/** What executing one operation (with its retries) came to. */
export interface OperationOutcome {
  readonly ok: boolean;
  /**
   * The operation carried an unknown referential id (--unknown-ratio) and the strategy refused it,
   * writing nothing: the expected answer, counted apart from ok and failed. Absent otherwise.
   */
  readonly rejected?: true;
  /** Tries made in all (1 when the first succeeded or failed for good without a retry). */
  readonly tries: number;
  /** SQLSTATE (or refswarm code such as "connection") of every failed try, in order. */
  readonly failedCodes: readonly string[];
  /** Reference sets committed by this operation: documentId → set digest. */
  readonly committed: ReadonlyArray<{ readonly documentId: number; readonly setDigest: string }>;
  /** Service time of the try that counted (µs), for open loop reporting. */
  readonly serviceMicros: number;
  /**
   * Every try that failed on a deadlock (40P01): its cycle, parsed from the error's DETAIL, and when
   * the error came (performance.now(), which the session turns into shared-clock time). Absent: none.
   */
  readonly deadlocks?: ReadonlyArray<{ readonly edges: readonly DeadlockEdge[]; readonly atPerfMs: number }>;
}

/** A session's PostgreSQL connection as the executor sees it (worker/session-connection.ts implements it). */
export interface SessionDb {
  /**
   * `name`, when given, makes it a named prepared statement (parsed once per connection, as pg's
   * QueryConfig.name does); the executor passes one for every statement of the hot path.
   */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /** Re-opens a lost connection with backoff; throws when the server stays gone past the bound. */
  reconnect(): Promise<void>;
  /** The backend pid of the current connection (what a deadlock's DETAIL names); absent where unknown. */
  backendPid?(): number | undefined;
}
