import { Type } from '@sinclair/typebox';
import { PHASE_NAME_PATTERN } from '../phases.ts';
import { DATABASE_NAME_PREFIX } from '../connection.ts';
import { DatasetShapeSchema } from '../dataset.ts';
import { OPTION_RANGES, rangeSchema } from '../option-ranges.ts';
import { WorkloadConfigSchema } from '../run-config.ts';
import { Count, Finite, KeyedRecord, type Contract } from './contract-schema.ts';

/**
 * The one message vocabulary between coordinator and workers. Everything that crosses Redis is one
 * of these schemas, carries `protocol`, and is validated on arrival
 * (shared/protocol/message-validation.ts): it may come from another version of refswarm. The types
 * are derived from the schemas.
 */

export const PROTOCOL_VERSION = 1;

const Protocol = Type.Literal(PROTOCOL_VERSION);
const Identifier = Type.String({ pattern: '^[0-9A-Za-z_-]{1,64}$', description: 'an identifier (1-64 letters, digits, - or _)' });
const Text = (maxLength?: number) => Type.String({ minLength: 1, ...(maxLength !== undefined && { maxLength }) });

/** A BullMQ job: one session. Connection secrets never travel: workers use their own DATABASE_URL host. */
export const SessionJobSchema = Type.Object({
  protocol: Protocol,
  runId: Identifier,
  /** 0-based, below sessionCount; the session's random stream is seeded by (seed, sessionId). */
  sessionId: Type.Integer({ minimum: 0, maximum: OPTION_RANGES.sessions.max - 1 }),
  sessionCount: rangeSchema(OPTION_RANGES.sessions),
  seed: rangeSchema(OPTION_RANGES.seed),
  /** Database name on the worker's PostgreSQL server. */
  database: Type.String({
    pattern: `^${DATABASE_NAME_PREFIX}[a-z0-9_]{0,${63 - DATABASE_NAME_PREFIX.length}}$`,
    description: `a refswarm database name (${DATABASE_NAME_PREFIX}*)`,
  }),
  /** application_name of the session's connection (PostgreSQL keeps 63 bytes); the lock-wait sampler selects by its prefix. */
  applicationName: Text(63),
  workload: WorkloadConfigSchema,
  dataset: DatasetShapeSchema,
  intervalMs: Type.Integer({ minimum: 10, maximum: 3_600_000 }),
});
export type SessionJob = Contract<typeof SessionJobSchema>;

export const OperationCountersSchema = Type.Object({
  /** Operations that succeeded (after retries). */
  ok: Count(),
  /** Operations that failed for good (after retries). */
  failed: Count(),
  /**
   * Operations refused as expected: they carried an unknown referential id (--unknown-ratio) and
   * wrote nothing. Neither ok nor failed; absent when none (and from versions before it existed).
   */
  rejected: Type.Optional(Count()),
  /** Extra tries spent on retried operations (not operations). */
  retried: Count(),
  /**
   * Open loop: operations scheduled before the end of --duration that never started because the
   * session was behind its schedule (not operations: neither ok nor failed). Absent: none.
   */
  dropped: Type.Optional(Count()),
  /** Failed tries by SQLSTATE (or a refswarm code such as "connection"), retried ones included. */
  byError: Type.Record(Type.String(), Count()),
});
export type OperationCounters = Contract<typeof OperationCountersSchema>;

/** The most read-back sets one event carries (WriteReadBackSchema.seen); the rest are counted in `cut`. */
export const READ_BACK_SEEN_MAX = 200;

/**
 * --verify-writes (docs/architecture.md#integrity-check): what a session's read-backs since its
 * previous event came to. The session cannot tell another operation's set from an anomaly (it knows
 * only its own writes), so it sends every set that differs from the one it had just written and the
 * coordinator classifies them against every committed set.
 */
export const WriteReadBackSchema = Type.Object({
  /** Document rewrites whose reference set was read back. */
  writesChecked: Count(),
  /** Read-back statements (one per operation that committed) and their total time, µs. */
  readBacks: Count(),
  micros: Count(),
  /** Read-backs that failed with a database error: their writes are not checked. */
  failed: Type.Optional(Count()),
  /**
   * Sets read back that differ from the one the session had just written to that document, each
   * (document, digest) sent once per session; `operation` is the position of the write in the
   * session's stream (from 1, warm-up included).
   */
  seen: Type.Array(Type.Object({ documentId: Count(), digest: Text(64), operation: Count() }), { maxItems: READ_BACK_SEEN_MAX }),
  /** Such sets left out because `seen` was full. */
  cut: Count(),
});
export type WriteReadBack = Contract<typeof WriteReadBackSchema>;

/**
 * --verify-writes: per document id, the position in the session's stream of the operation that
 * first committed each set, parallel to `committed` (so the coordinator can name who wrote a set).
 */
const CommittedOperations = KeyedRecord('document ids', '^[1-9][0-9]*$', Type.Array(Count()));

const eventBase = {
  protocol: Protocol,
  runId: Identifier,
  sessionId: Type.Integer({ minimum: 0, maximum: OPTION_RANGES.sessions.max - 1 }),
  workerId: Identifier,
};

/** Connected to PostgreSQL and waiting for the common start time. */
export const SessionReadySchema = Type.Object({ ...eventBase, type: Type.Literal('ready'), connectMs: Type.Number({ minimum: 0 }) });
export type SessionReady = Contract<typeof SessionReadySchema>;

/** The session's first operation began; lateMs = its shared-clock start minus the run's start time. */
export const SessionStartedSchema = Type.Object({ ...eventBase, type: Type.Literal('started'), lateMs: Finite() });
export type SessionStarted = Contract<typeof SessionStartedSchema>;

/** One edge of a deadlock cycle as the victim's error DETAIL names it (shared/workload/deadlock-detail.ts). */
export const DeadlockEdgeSchema = Type.Object({
  pid: Count(),
  lockMode: Text(64),
  lockType: Text(64),
  relationOid: Type.Optional(Count()),
  blockedBy: Count(),
});

/**
 * A deadlock this session was the victim of (docs/architecture.md#deadlock-forensics): the cycle's
 * edges with backend pids, the victim's own pid, operation and documents. The coordinator maps the
 * other pids to sessions, operations and documents from the lock-wait samples.
 */
export const DeadlockReportSchema = Type.Object({
  /** Shared-clock ms of the error. */
  atMs: Finite(),
  pid: Count(),
  op: Count(),
  documents: Type.Array(Count()),
  partitions: Type.Array(Count()),
  edges: Type.Array(DeadlockEdgeSchema),
});
export type DeadlockReport = Contract<typeof DeadlockReportSchema>;

/** What an interval measured, whether one session's (SessionIntervalSchema) or a worker's sessions' added (WorkerIntervalSchema). */
const intervalMeasurements = {
  index: Count(),
  counters: OperationCountersSchema,
  /** Encoded HDR histogram of latency in µs (from intended start in open loop). */
  latency: Text(),
  /** Encoded HDR histogram of service time in µs: open loop only. */
  serviceTime: Type.Optional(Text()),
  /**
   * Per phase name (shared/phases.ts), the encoded HDR histogram in µs of the phases the interval's
   * ok operations went through; absent when none (and from older workers).
   */
  phases: Type.Optional(KeyedRecord('phase names', PHASE_NAME_PATTERN, Text())),
  /** Open loop: the largest delay of an actual start behind its schedule in this interval, ms. */
  maxLagMs: Type.Optional(Type.Number({ minimum: 0 })),
  /** Shared-clock ms at which the (latest) session's last recorded operation so far ended (absent: none yet). */
  lastEndMs: Type.Optional(Finite()),
};

/**
 * What one session wrote and drew since its previous interval, so that a session whose worker dies
 * does not take it along: reference-set digests committed per document id, documents it started
 * rewriting for the first time, and how far its operation stream was drawn.
 */
const sessionProgress = {
  committed: Type.Optional(KeyedRecord('document ids', '^[1-9][0-9]*$', Type.Array(Type.String()))),
  touched: Type.Optional(Type.Array(Count())),
  committedOperations: Type.Optional(CommittedOperations),
  readBack: Type.Optional(WriteReadBackSchema),
  /** Operations drawn from the session's stream so far: a lost session's later ones can be drawn again. */
  drawn: Type.Optional(Count()),
  /** Deadlocks this session was the victim of since its previous interval event (absent: none). */
  deadlocks: Type.Optional(Type.Array(DeadlockReportSchema)),
};

/**
 * What a session measured in one interval (index = floor((t - startAt) / intervalMs) on the shared
 * clock). Warm-up operations are never in an interval. Workers now send WorkerIntervalSchema instead;
 * the coordinator still reads this one (older workers, runs kept in Redis).
 */
export const SessionIntervalSchema = Type.Object({
  ...eventBase,
  type: Type.Literal('interval'),
  ...intervalMeasurements,
  ...sessionProgress,
});
export type SessionInterval = Contract<typeof SessionIntervalSchema>;

/** One session's part of a worker's interval: what the coordinator keeps per session. */
export const SessionIntervalPartSchema = Type.Object({
  sessionId: eventBase.sessionId,
  /** Operations the session recorded in the interval (ok + failed + rejected). */
  operations: Count(),
  ...sessionProgress,
});
export type SessionIntervalPart = Contract<typeof SessionIntervalPartSchema>;

/**
 * A worker's sessions of one run in one interval, their histograms added and counters summed before
 * sending (docs/architecture.md#intervals), so that the coordinator's work per interval grows with
 * workers, not sessions. `sessions` names every session whose interval is in it, each with its own
 * operation count and progress: lost sessions are still accounted for exactly. A worker may send
 * more than one for an interval (a session's timer that fired late): they add up.
 */
export const WorkerIntervalSchema = Type.Object({
  protocol: Protocol,
  runId: Identifier,
  workerId: Identifier,
  type: Type.Literal('worker-interval'),
  ...intervalMeasurements,
  sessions: Type.Array(SessionIntervalPartSchema, { minItems: 1, maxItems: OPTION_RANGES['worker-concurrency'].max }),
});
export type WorkerInterval = Contract<typeof WorkerIntervalSchema>;

export const SESSION_STATUSES = ['completed', 'aborted', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The session ended. Its interval messages already carry every measurement; this carries the totals. */
export const SessionDoneSchema = Type.Object({
  ...eventBase,
  type: Type.Literal('done'),
  status: Type.Union(SESSION_STATUSES.map((s) => Type.Literal(s))),
  reason: Type.Optional(Text(2000)),
  counters: OperationCountersSchema,
  /** Digest of the operation sequence the session generated (depends only on seed, session, config, dataset). */
  digest: Text(),
  lateMs: Finite(),
  /** Shared-clock ms at which the session's last recorded operation ended (absent when it recorded none). */
  lastEndMs: Type.Optional(Finite()),
  /**
   * For the integrity check: per document id, the digests of every reference set this session
   * committed to it (shared/workload/reference-set-digest.ts).
   */
  committed: KeyedRecord('document ids', '^[1-9][0-9]*$', Type.Array(Type.String())),
  /** Documents this session tried to rewrite (committed or not): restore and the integrity check visit them. */
  touched: Type.Array(Count()),
  committedOperations: Type.Optional(CommittedOperations),
  /** --verify-writes: what the read-backs came to since the last interval event. */
  readBack: Type.Optional(WriteReadBackSchema),
});
export type SessionDone = Contract<typeof SessionDoneSchema>;

export const SessionEventSchema = Type.Union([SessionReadySchema, SessionStartedSchema, SessionIntervalSchema, SessionDoneSchema]);
export type SessionEvent = Contract<typeof SessionEventSchema>;

/** Event-loop delay of a process over one interval, ms beyond the monitor's timer resolution. */
export const EventLoopDelaySchema = Type.Object({
  p50: Type.Number({ minimum: 0 }),
  p99: Type.Number({ minimum: 0 }),
  max: Type.Number({ minimum: 0 }),
});

/**
 * How hard a worker process worked in interval `index` of a run (the run's intervals, on the shared
 * clock): one per worker per interval while the run has sessions there, not one per session
 * (docs/architecture.md#generator-health). CPU use is `cpuMs` over `wallMs` (all of the process's
 * threads, so it may exceed one core).
 */
export const WorkerHealthSchema = Type.Object({
  protocol: Protocol,
  runId: Identifier,
  workerId: Identifier,
  type: Type.Literal('health'),
  index: Count(),
  /** Wall time the measurement covered (the last one of a run is a partial interval), ms. */
  wallMs: Type.Number({ minimum: 0 }),
  /** CPU time the worker process used in it (user + system), ms. */
  cpuMs: Type.Number({ minimum: 0 }),
  eventLoopDelayMs: EventLoopDelaySchema,
  /** The run's sessions running on this worker when the interval ended. */
  sessions: Count(),
});
export type WorkerHealth = Contract<typeof WorkerHealthSchema>;

/** Everything on a run's event stream: what sessions send, their intervals as their worker merged them, and each worker's health. */
export const RunEventSchema = Type.Union([SessionReadySchema, SessionStartedSchema, SessionIntervalSchema, SessionDoneSchema, WorkerIntervalSchema, WorkerHealthSchema]);
export type RunEvent = Contract<typeof RunEventSchema>;

/** What a run's figures are made of: every event on its stream but the workers' health. */
export type MeasurementEvent = SessionEvent | WorkerInterval;

/** The sessions an event speaks for (a worker's interval speaks for several). */
export function sessionIdsOf(event: MeasurementEvent): number[] {
  return event.type === 'worker-interval' ? event.sessions.map((part) => part.sessionId) : [event.sessionId];
}

/** What a worker process publishes about itself while it is alive (heartbeat). */
export const WorkerAnnouncementSchema = Type.Object({
  protocol: Protocol,
  workerId: Identifier,
  host: Text(255),
  pid: Count(),
  concurrency: rangeSchema(OPTION_RANGES['worker-concurrency']),
  /** BullMQ queue name this worker consumes (its own: the coordinator assigns sessions to workers). */
  queue: Text(255),
  version: Text(64),
  startedAt: Text(64),
  /** The worker's host and runtime (absent from older workers): run.json `environment.workers`. */
  cpus: Type.Optional(Count()),
  cpuModel: Type.Optional(Type.String({ maxLength: 255 })),
  memoryBytes: Type.Optional(Count()),
  nodeVersion: Type.Optional(Text(64)),
  /** The git commit the worker's sources were checked out at, when they are a git checkout. */
  gitCommit: Type.Optional(Type.String({ pattern: '^[0-9a-f]{7,64}$' })),
});
export type WorkerAnnouncement = Contract<typeof WorkerAnnouncementSchema>;

export const APPLICATION_NAME_PREFIX = 'rs_';

/** application_name prefix shared by a run's sessions (fits PostgreSQL's 63 bytes). */
export function runApplicationTag(runId: string): string {
  return `${APPLICATION_NAME_PREFIX}${runId}`;
}

export function sessionApplicationName(runId: string, sessionId: number): string {
  return `${runApplicationTag(runId)}_${sessionId}`;
}
