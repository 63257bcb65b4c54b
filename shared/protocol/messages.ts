import type { DatasetShape } from '../dataset.ts';
import type { WorkloadConfig } from '../run-config.ts';

/**
 * The one message vocabulary between coordinator and workers. Everything that crosses Redis is one
 * of these types, carries `protocol`, and is validated on arrival
 * (shared/protocol/message-validation.ts): it may come from another version of refswarm.
 */

export const PROTOCOL_VERSION = 1;

/** A BullMQ job: one session. Connection secrets never travel: workers use their own DATABASE_URL host. */
export interface SessionJob {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly runId: string;
  /** 0-based; the session's random stream is seeded by (seed, sessionId). */
  readonly sessionId: number;
  readonly sessionCount: number;
  readonly seed: number;
  /** Database name on the worker's PostgreSQL server. */
  readonly database: string;
  /** application_name of the session's connection; the lock-wait sampler selects by its prefix. */
  readonly applicationName: string;
  readonly workload: WorkloadConfig;
  readonly dataset: DatasetShape;
  readonly intervalMs: number;
}

export interface OperationCounters {
  /** Operations that succeeded (after retries). */
  readonly ok: number;
  /** Operations that failed for good (after retries). */
  readonly failed: number;
  /** Extra tries spent on retried operations (not operations). */
  readonly retried: number;
  /** Failed tries by SQLSTATE (or a refswarm code such as "connection"), retried ones included. */
  readonly byError: Readonly<Record<string, number>>;
}

interface SessionEventBase {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly runId: string;
  readonly sessionId: number;
  readonly workerId: string;
}

/** Connected to PostgreSQL and waiting for the common start time. */
export interface SessionReady extends SessionEventBase {
  readonly type: 'ready';
  readonly connectMs: number;
}

/** The session's first operation began; lateMs = its shared-clock start minus the run's start time. */
export interface SessionStarted extends SessionEventBase {
  readonly type: 'started';
  readonly lateMs: number;
}

/**
 * What a session measured in one interval (index = floor((t - startAt) / intervalMs) on the shared
 * clock). Warm-up operations are never in an interval.
 */
export interface SessionInterval extends SessionEventBase {
  readonly type: 'interval';
  readonly index: number;
  readonly counters: OperationCounters;
  /** Encoded HDR histogram of latency in µs (from intended start in open loop). */
  readonly latency: string;
  /** Encoded HDR histogram of service time in µs: open loop only. */
  readonly serviceTime?: string;
  /** Open loop: the largest delay of an actual start behind its schedule in this interval, ms. */
  readonly maxLagMs?: number;
}

export type SessionStatus = 'completed' | 'aborted' | 'failed';

/** The session ended. Its interval messages already carry every measurement; this carries the totals. */
export interface SessionDone extends SessionEventBase {
  readonly type: 'done';
  readonly status: SessionStatus;
  readonly reason?: string;
  readonly counters: OperationCounters;
  /** Digest of the operation sequence the session generated (depends only on seed, session, config, dataset). */
  readonly digest: string;
  readonly lateMs: number;
  /** Shared-clock ms at which the session's last recorded operation ended (absent when it recorded none). */
  readonly lastEndMs?: number;
  /**
   * For the integrity check: per document id, the digests of every reference set this session
   * committed to it (shared/workload/reference-set-digest.ts).
   */
  readonly committed: Readonly<Record<string, readonly string[]>>;
  /** Documents this session tried to rewrite (committed or not): restore and the integrity check visit them. */
  readonly touched: readonly number[];
}

export type SessionEvent = SessionReady | SessionStarted | SessionInterval | SessionDone;

/** What a worker process publishes about itself while it is alive (heartbeat). */
export interface WorkerAnnouncement {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  /** BullMQ queue name this worker consumes (its own: the coordinator assigns sessions to workers). */
  readonly queue: string;
  readonly version: string;
  readonly startedAt: string;
}

export const APPLICATION_NAME_PREFIX = 'rs_';

/** application_name prefix shared by a run's sessions (fits PostgreSQL's 63 bytes). */
export function runApplicationTag(runId: string): string {
  return `${APPLICATION_NAME_PREFIX}${runId}`;
}

export function sessionApplicationName(runId: string, sessionId: number): string {
  return `${runApplicationTag(runId)}_${sessionId}`;
}
