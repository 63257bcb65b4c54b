import { Type } from '@sinclair/typebox';
import { Count, Finite, type Contract } from '../../shared/protocol/contract-schema.ts';

/**
 * The sections of run.json that the run's observers (coordinator/observe/) fill: PostgreSQL's
 * statistics (`pg`), the lock-wait profile (`lockWaits`) and the integrity check (`integrity`).
 * Declared once here; the observers build these types and the renderers read them.
 */

const NumberRecord = () => Type.Record(Type.String(), Finite());

/** The numeric columns of a statistics row, by name (cast to float8 in SQL, so plain numbers). */
export const CountersSchema = NumberRecord();
export type Counters = Contract<typeof CountersSchema>;

const KeyedCounters = () => Type.Record(Type.String(), CountersSchema);

export const StatementRowSchema = Type.Object({ queryid: Type.String(), query: Type.String(), counters: CountersSchema });
export type StatementRow = Contract<typeof StatementRowSchema>;

/** pg_table_size (TOAST, FSM and VM included), pg_indexes_size and pg_total_relation_size, in bytes (sql/observability/relation-sizes.sql). */
const ByteSizes = () => ({ tableBytes: Finite(), indexBytes: Finite(), totalBytes: Finite() });

export const RelationSizeSchema = Type.Object({ table: Type.String(), relation: Type.String(), ...ByteSizes() });
export type RelationSize = Contract<typeof RelationSizeSchema>;

export const TableSizesSchema = Type.Object({
  partitions: Count(),
  ...ByteSizes(),
  /** What pg_total_relation_size says of the partitioned parent itself (0: why sizes are summed). */
  parentTotalRelationSize: Finite(),
});
export type TableSizes = Contract<typeof TableSizesSchema>;

/** How much a table grew between two snapshots (a delta's `sizes`). */
export const SizeChangeSchema = Type.Object(ByteSizes());
export type SizeChange = Contract<typeof SizeChangeSchema>;

/**
 * The counters a snapshot reads and a delta holds the difference of, source by source (a delta's
 * `statements` are the ones that took the most time between the snapshots).
 */
const CounterSources = () => ({
  /** pg_stat_user_tables per dms table, partitions summed into their parent. */
  tables: Type.Optional(KeyedCounters()),
  /** pg_statio_user_tables per dms table, partitions summed. */
  tableIo: Type.Optional(KeyedCounters()),
  /** pg_stat_database of this database (numeric columns). */
  database: Type.Optional(CountersSchema),
  /** pg_stat_user_functions of the dms schema. */
  functions: Type.Optional(KeyedCounters()),
  /** pg_stat_statements of this database: totals over all statements, and the top ones by time. */
  statementTotals: Type.Optional(CountersSchema),
  statements: Type.Optional(Type.Array(StatementRowSchema)),
  /** pg_stat_wal (cluster-wide). */
  wal: Type.Optional(CountersSchema),
  /** pg_stat_io rows keyed "backend_type/object/context" (cluster-wide, PostgreSQL 16+). */
  io: Type.Optional(KeyedCounters()),
  /** pgstattuple_approx per partition of dms.reference (in a delta, also their `total`). */
  referenceTuples: Type.Optional(KeyedCounters()),
});

/** One snapshot of PostgreSQL's statistics for the run's database (coordinator/observe/pg-snapshot.ts). */
export const PgSnapshotSchema = Type.Object({
  takenAt: Type.String(),
  serverVersionNum: Finite(),
  ...CounterSources(),
  /** pg_current_wal_lsn() as text (cluster-wide). */
  walLsn: Type.Optional(Type.String()),
  /** Sizes per dms table (partitions summed) and per relation. */
  sizes: Type.Optional(Type.Record(Type.String(), TableSizesSchema)),
  relationSizes: Type.Optional(Type.Array(RelationSizeSchema)),
  /** Sources this server lacks or that failed, with why. */
  missing: Type.Record(Type.String(), Type.String()),
});
export type PgSnapshot = Contract<typeof PgSnapshotSchema>;

export const WAL_BYTES_SOURCES = ['pg_stat_statements', 'pg_stat_wal', 'wal_position'] as const;

/** What a run cost the server: the difference of two snapshots (coordinator/observe/pg-delta.ts). */
export const PgDeltaSchema = Type.Object({
  ...CounterSources(),
  /** WAL written between the snapshots by the whole cluster, from the WAL position. */
  walLsnBytes: Type.Optional(Finite()),
  /** Size change per table. */
  sizes: Type.Optional(Type.Record(Type.String(), SizeChangeSchema)),
  /** Where perOp.walBytes came from: this database's statements, or the cluster's WAL. */
  walBytesSource: Type.Optional(Type.Union(WAL_BYTES_SOURCES.map((s) => Type.Literal(s)))),
});
export type PgDelta = Contract<typeof PgDeltaSchema>;

/** run.json `pg`. When a snapshot could not be taken, before, after and delta are empty and `missing.snapshots` says why. */
export const PgStatsSectionSchema = Type.Object({
  before: Type.Partial(PgSnapshotSchema),
  after: Type.Partial(PgSnapshotSchema),
  delta: PgDeltaSchema,
  /** Per-operation figures (deadTuples, walBytes, …); null when the source is missing or no operation ran. */
  perOp: Type.Record(Type.String(), Type.Union([Finite(), Type.Null()])),
  /** Views or extensions this server lacks, with why. */
  missing: Type.Record(Type.String(), Type.String()),
});
export type PgStatsSection = Contract<typeof PgStatsSectionSchema>;

/** Session-samples that another backend blocked (coordinator/observe/lock-profile.ts). */
export const BlockedSummarySchema = Type.Object({
  /** Session-samples that were blocked by another backend. */
  sessionSamples: Count(),
  /** Share of all session-samples. */
  share: Finite(),
  maxBlockedInSample: Count(),
  maxChainDepth: Count(),
  /** Blocked session-samples by chain depth ("1", "2", ...). */
  byChainDepth: NumberRecord(),
  /** Blocked session-samples by the relation of the row or table they wait for. */
  byRelation: NumberRecord(),
  /** Blocked session-samples by lock "type:mode" (e.g. "transactionid:ShareLock", "tuple:ExclusiveLock"). */
  byLockType: NumberRecord(),
});
export type BlockedSummary = Contract<typeof BlockedSummarySchema>;

/** What one top-level statement's samples waited on (pg_wait_sampling joined to pg_stat_statements). */
export const StatementWaitsSchema = Type.Object({
  queryid: Type.String(),
  /** Its pg_stat_statements text (absent when pg_stat_statements does not know it). */
  query: Type.Optional(Type.String()),
  /** The phase (shared/phases.ts) it belongs to, when it is one of the executor's statements. */
  phase: Type.Optional(Type.String()),
  samples: Count(),
  /** Samples per category, as byEvent. */
  byEvent: NumberRecord(),
});
export type StatementWaits = Contract<typeof StatementWaitsSchema>;

export const WAIT_SOURCES = ['pg_wait_sampling', 'client-sampler'] as const;

/** A document ranked by the blocked session-samples of sessions rewriting (or reading) it (coordinator/observe/lock-attribution.ts). */
export const ContendedDocumentSchema = Type.Object({ document: Count(), partition: Count(), blockedSamples: Count() });

/**
 * A partition key (DocumentPartitionKey: the partition itself on --schema alias-id's LIST partitions,
 * hashed into one on referential-id's HASH partitions): blocked session-samples whose operation
 * touched it, and its tagged session-samples per wait category.
 */
export const ContendedPartitionSchema = Type.Object({ partition: Count(), blockedSamples: Count(), byEvent: NumberRecord() });

/**
 * A root blocker: a session that blocked others while not blocked itself, one entry per (session,
 * operation); what it was running, for how long, and how many blocked session-samples it was the root of.
 */
export const RootBlockerSchema = Type.Object({
  session: Count(),
  op: Count(),
  documents: Type.Array(Count()),
  /** The head of its latest statement (comments stripped). */
  statement: Type.Optional(Type.String()),
  /** Its state and wait category when last seen blocking ("idle in transaction", "CPU", "IO:DataFileRead"). */
  state: Type.String(),
  /** Blocked session-samples whose wait chain ends at it, and samples it was seen as a root. */
  blockedSamples: Count(),
  samples: Count(),
  /** The longest its transaction had run when seen as a root, ms. */
  longestXactMs: Finite(),
});
export type RootBlocker = Contract<typeof RootBlockerSchema>;

/** run.json `lockWaits`. A sampler that never started leaves zero samples, an empty `blocked` and its `failure`. */
export const LockWaitSectionSchema = Type.Object({
  samples: Count(),
  sessionSamples: Count(),
  /** Session-samples per category ("CPU", "Lock:transactionid", "Idle", …), largest first. */
  byEvent: NumberRecord(),
  /** The same as shares of all session-samples. */
  shares: Type.Optional(NumberRecord()),
  blocked: Type.Partial(BlockedSummarySchema),
  /** Why the sampler did not run. */
  failure: Type.Optional(Type.String()),
  /** Samples that failed while the sampler ran, and the last error. */
  failedSamples: Type.Optional(Count()),
  lastError: Type.Optional(Type.String()),
  /**
   * Where sessionSamples, byEvent and shares come from: pg_wait_sampling's in-server profile of the
   * run's backends (every 10 ms) when the server has it, else the client sampler (every
   * --sample-interval). blocked and the per-interval profiles come from the client sampler either way.
   * Absent in runs made before the source was recorded (client sampler).
   */
  source: Type.Optional(Type.Union(WAIT_SOURCES.map((s) => Type.Literal(s)))),
  /** Why pg_wait_sampling was not the source (when it was not). */
  sourceNote: Type.Optional(Type.String()),
  /** pg_wait_sampling's sampling period, ms. */
  periodMs: Type.Optional(Finite()),
  /** With pg_wait_sampling: the client sampler's own counts, for comparison. */
  clientSampler: Type.Optional(Type.Object({ sessionSamples: Count(), byEvent: NumberRecord() })),
  /** With pg_wait_sampling: per top-level statement, what it waited on (largest first). */
  statements: Type.Optional(Type.Array(StatementWaitsSchema)),
  /** With pg_wait_sampling: per phase (its statements summed, every statement counted), samples per category. */
  byPhase: Type.Optional(Type.Record(Type.String(), NumberRecord())),
  // From the SQL tags (absent: --no-sql-tags, or a run before tags existed).
  /** The most contended documents, ranked by blocked session-samples. */
  documents: Type.Optional(Type.Array(ContendedDocumentSchema)),
  /** Partitions ranked by blocked session-samples, with their wait categories (the heat map). */
  partitions: Type.Optional(Type.Array(ContendedPartitionSchema)),
  rootBlockers: Type.Optional(Type.Array(RootBlockerSchema)),
  /** What one sample cost the sampler, wall time in ms (its queries and their parsing): mean and max. */
  sampleTimeMs: Type.Optional(Type.Object({ mean: Finite(), max: Finite() })),
  /** Blocked session-samples whose session showed no SQL tag (e.g. between two statements). */
  untaggedBlockedSamples: Type.Optional(Count()),
});
export type LockWaitSection = Contract<typeof LockWaitSectionSchema>;

export const INTEGRITY_DIAGNOSES = [
  'union of two committed sets',
  'union of the dataset set and a committed set',
  'dataset set kept, committed sets lost',
  'no references',
  'matches no committed set',
  /** A lost session may have rewritten it after its last interval event: neither right nor wrong. */
  'unknown (lost session)',
] as const;
export type IntegrityDiagnosis = (typeof INTEGRITY_DIAGNOSES)[number];

export const IntegrityExampleSchema = Type.Object({
  documentId: Count(),
  diagnosis: Type.Union(INTEGRITY_DIAGNOSES.map((d) => Type.Literal(d))),
  /** Reference rows the document holds. */
  rows: Count(),
  /** Sizes of the sets committed to it (the dataset set's size when none was). */
  expectedRows: Type.Array(Count()),
  committedSets: Count(),
});
export type IntegrityExample = Contract<typeof IntegrityExampleSchema>;

/** An operation of a session: its position in the session's stream, from 1 (warm-up included). */
export const SessionOperationSchema = Type.Object({ sessionId: Count(), operation: Count() });

/**
 * What a state read back after a write may be, beyond what the final state may be: a union of the
 * reading session's own set and two others (it knows which set it wrote, so this needs no search).
 */
export const OBSERVED_DIAGNOSES = [...INTEGRITY_DIAGNOSES, 'union of three committed sets'] as const;
export type ObservedDiagnosis = (typeof OBSERVED_DIAGNOSES)[number];

/** A state a session read back right after its write that no single operation wrote. */
export const ObservedAnomalySchema = Type.Object({
  documentId: Count(),
  diagnosis: Type.Union(OBSERVED_DIAGNOSES.map((d) => Type.Literal(d))),
  /** Reference rows the document held when read back. */
  rows: Count(),
  /** The session that read it back, and the write after which it did. */
  seenBy: SessionOperationSchema,
  /**
   * The sets it is the union of (a union diagnosis; else empty): the dataset's original set, or a
   * committed set with the operations that wrote it (at most 4 listed).
   */
  mixed: Type.Array(Type.Object({ set: Type.Union([Type.Literal('dataset'), Type.Literal('committed')]), rows: Count(), writtenBy: Type.Array(SessionOperationSchema) })),
});
export type ObservedAnomaly = Contract<typeof ObservedAnomalySchema>;

/** run.json `integrity.observed` (--verify-writes; coordinator/observe/observed-writes.ts). */
export const ObservedWritesSchema = Type.Object({
  /** Document rewrites whose reference set was read back right after they committed. */
  writesChecked: Count(),
  /** Anomalous states read back, distinct by document and digest. */
  anomalies: Count(),
  /** anomalies per 1,000 writes checked. */
  per1000: Type.Number({ minimum: 0 }),
  /** Those whose diagnosis names the writes they mix first, then the rest, at most 10. */
  examples: Type.Array(ObservedAnomalySchema),
  /** anomalies per diagnosis, largest first ("matches no committed set" includes unions of four sets or more). */
  byDiagnosis: Type.Optional(Type.Record(Type.String(), Count())),
  /** States read back that another operation had written (distinct by document and digest): not anomalies. */
  otherSets: Type.Optional(Count()),
  /** Read-back statements (one per operation that committed), their total and mean time in µs (not in any latency). */
  readBacks: Type.Optional(Count()),
  readBackMicrosTotal: Type.Optional(Count()),
  readBackMicrosMean: Type.Optional(Type.Number({ minimum: 0 })),
  /** Read-backs that failed with a database error (their writes are not checked). */
  failedReadBacks: Type.Optional(Count()),
  /** Differing states the sessions did not send (more than an event carries): anomalies may be undercounted. */
  cut: Type.Optional(Count()),
  /** Differing states on documents a lost session may have written unknown sets to: not judged. */
  unknown: Type.Optional(Count()),
});
export type ObservedWrites = Contract<typeof ObservedWritesSchema>;

/** run.json `integrity` (coordinator/observe/integrity.ts). */
export const IntegritySectionSchema = Type.Object({
  documentsChecked: Count(),
  violations: Count(),
  examples: Type.Array(IntegrityExampleSchema),
  /** Documents that hold no known set, but that a lost session may have rewritten after its last interval event. */
  unknown: Type.Optional(Count()),
  unknownExamples: Type.Optional(Type.Array(IntegrityExampleSchema)),
  /** --verify-writes: anomalous states read back right after each write, even those a later write covered. */
  observed: Type.Optional(ObservedWritesSchema),
});
export type IntegritySection = Contract<typeof IntegritySectionSchema>;

/** Block counts of a plan's top node (EXPLAIN's BUFFERS, which include the nodes below it). */
export const ExplainBuffersSchema = Type.Object({
  sharedHit: Count(),
  sharedRead: Count(),
  sharedDirtied: Count(),
  sharedWritten: Count(),
});

/** One statement's plan, as EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) or auto_explain returned it. */
export const ExplainPlanSchema = Type.Object({
  /** What was explained: the statement's name (workload/call-current) or, nested, its query text's first line. */
  statement: Type.String(),
  /** Execution time of the top node, ms (Actual Total Time × loops, or Execution Time when given). */
  totalTimeMs: Finite(),
  planningTimeMs: Type.Optional(Finite()),
  /** Nested plans of one statement text are kept once: how many times it ran (time and buffers summed). */
  calls: Type.Optional(Count()),
  buffers: ExplainBuffersSchema,
  /** The plan as indented text, one node a line (coordinator/observe/explain-plan.ts). */
  text: Type.String(),
  /** PostgreSQL's JSON plan as it came, for tools. */
  json: Type.Unknown(),
});
export type ExplainPlan = Contract<typeof ExplainPlanSchema>;

/** One rolled-back operation, explained. */
export const ExplainCaptureSchema = Type.Object({
  takenAt: Type.String(),
  /** The statements of the operation as the run's shape runs them, in order. */
  plans: Type.Array(ExplainPlanSchema),
  /**
   * The statements inside the strategy function (auto_explain's nested plans, foreign key checks
   * included), one per statement text in order of first run, with its calls, summed time and buffers.
   */
  nested: Type.Array(ExplainPlanSchema),
});
export type ExplainCapture = Contract<typeof ExplainCaptureSchema>;

/** run.json `explain` (coordinator/observe/explain-observer.ts, with --explain): before and after the run. */
export const ExplainSectionSchema = Type.Object({
  /** The operation explained, e.g. "rewrite of document 17 (42 references)". */
  operation: Type.String(),
  before: Type.Optional(ExplainCaptureSchema),
  after: Type.Optional(ExplainCaptureSchema),
  /** What could not be captured, and why (e.g. auto_explain not loadable: no nested plans). */
  missing: Type.Record(Type.String(), Type.String()),
});
export type ExplainSection = Contract<typeof ExplainSectionSchema>;

/** One participant of a deadlock pattern: its role in the cycle, the lock it waited for, and (from the first instance) who it was. */
export const DeadlockParticipantSchema = Type.Object({
  /** "A", "B", ...: the cycle rotated to its canonical start, participants lettered in order. */
  role: Type.String(),
  /** The first instance's session (absent: the lock-wait sampler never saw its backend). */
  session: Type.Optional(Count()),
  op: Type.Optional(Count()),
  /** "transaction", "tuple", "relation", ... and the mode ("ShareLock"). */
  lockType: Type.String(),
  lockMode: Type.String(),
  relation: Type.Optional(Type.String()),
  documents: Type.Array(Count()),
});

export const DeadlockPatternSchema = Type.Object({
  count: Count(),
  cycle: Type.Array(DeadlockParticipantSchema),
  /** Documents in the operations of two or more participants (first instance): what they fought over. */
  sharedDocuments: Type.Optional(Type.Array(Count())),
});
export type DeadlockPattern = Contract<typeof DeadlockPatternSchema>;

/** run.json `deadlocks` (coordinator/observe/deadlock-forensics.ts): the deadlocks sessions reported, grouped by pattern. */
export const DeadlockSectionSchema = Type.Object({
  count: Count(),
  /** Most frequent first. */
  patterns: Type.Array(DeadlockPatternSchema),
});
export type DeadlockSection = Contract<typeof DeadlockSectionSchema>;

/** One process's health in one interval of the run (docs/architecture.md#generator-health). */
export const GeneratorIntervalSchema = Type.Object({
  /** Seconds since the common start (interval start), as in `intervals`. */
  t: Finite(),
  /** Wall time measured (a run's last interval is partial), ms. */
  wallMs: Finite(),
  /** CPU use as a share of one core (all of the process's threads: may exceed 1). */
  cpu: Finite(),
  eventLoopDelayMs: Type.Object({ p50: Finite(), p99: Finite(), max: Finite() }),
  /** Whether this interval counts against the process (see `rule`). */
  saturated: Type.Boolean(),
});
export type GeneratorInterval = Contract<typeof GeneratorIntervalSchema>;

/** A worker's (or the coordinator's) health over the run. */
export const GeneratorProcessSchema = Type.Object({
  id: Type.String(),
  host: Type.String(),
  /** Intervals judged: measured for at least half an interval, not wholly in warm-up. */
  judgedIntervals: Count(),
  saturatedIntervals: Count(),
  /** Over the judged intervals: mean and highest CPU share, highest event-loop p99 and max. */
  cpu: Type.Object({ mean: Finite(), max: Finite() }),
  eventLoopDelayMs: Type.Object({ p99: Finite(), max: Finite() }),
  intervals: Type.Array(GeneratorIntervalSchema),
});
export type GeneratorProcess = Contract<typeof GeneratorProcessSchema>;

/**
 * Whether the load generator, not the server, limited what the run measured: `bound` when some
 * worker was saturated (event loop lagging or CPU near a full core) in too many of its intervals
 * (coordinator/results/generator-bound.ts states the rule, `rule` repeats it).
 */
export const GeneratorSectionSchema = Type.Object({
  bound: Type.Boolean(),
  rule: Type.String(),
  /** One line per worker that made the run bound. */
  reasons: Type.Array(Type.String()),
  workers: Type.Array(GeneratorProcessSchema),
  /** The coordinator's own figures: shown, not judged (it measures no latency). */
  coordinator: Type.Optional(GeneratorProcessSchema),
});
export type GeneratorSection = Contract<typeof GeneratorSectionSchema>;

/** A host a refswarm process ran on, and its runtime. */
export const HostEnvironmentSchema = Type.Object({
  host: Type.String(),
  cpus: Type.Optional(Count()),
  cpuModel: Type.Optional(Type.String()),
  memoryBytes: Type.Optional(Count()),
  nodeVersion: Type.Optional(Type.String()),
  refswarmVersion: Type.Optional(Type.String()),
  gitCommit: Type.Optional(Type.String()),
});
export type HostEnvironment = Contract<typeof HostEnvironmentSchema>;

/**
 * What a run ran on, so that `compare` can warn when runs differ in it: the server (version, every
 * setting not at its default), the coordinator's and each worker's host and runtime, the dataset
 * (its manifest checksum). No connection URL or secret is recorded.
 */
export const EnvironmentSectionSchema = Type.Object({
  server: Type.Optional(
    Type.Object({
      version: Type.String(),
      versionNum: Count(),
      /** pg_settings whose source is not `default` (nor the client's own session), name → value with unit. */
      settings: Type.Record(Type.String(), Type.String()),
    }),
  ),
  coordinator: HostEnvironmentSchema,
  /** Worker id → its host and runtime (as announced; older workers announce only the host). */
  workers: Type.Array(Type.Composite([Type.Object({ id: Type.String() }), HostEnvironmentSchema])),
  /** sha256 of the dataset's generated COPY streams (coordinator/database/manifest.ts). */
  datasetChecksum: Type.Optional(Type.String()),
  /** Why a part could not be read (e.g. the server's settings). */
  missing: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type EnvironmentSection = Contract<typeof EnvironmentSectionSchema>;
