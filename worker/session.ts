import { datasetIndex, type DatasetIndex } from '../shared/dataset.ts';
import type { DeadlockReport, SessionDone, SessionEvent, SessionIntervalPart, SessionJob, SessionStatus } from '../shared/protocol/messages.ts';
import { sessionStream } from '../shared/random.ts';
import type { SharedClock } from '../shared/redis-clock.ts';
import type { WorkloadConfig } from '../shared/run-config.ts';
import type { Operation } from '../shared/workload/operation.ts';
import type { OperationOutcome, OperationStream, OperationStreamParams, SessionDb } from '../shared/workload/contracts.ts';
import { sessionSqlTags, type SqlTagWriter } from '../shared/workload/sql-tag.ts';
import type { SessionIntervalHandover } from './interval-merger.ts';
import { createPacer, type Pacer } from './pacing.ts';
import type { RunHandle } from './run-start-watcher.ts';
import { PhaseClock } from './phase-clock.ts';
import { SessionRecorder } from './session-recorder.ts';
import { Sleeper, yieldToEventLoop } from './sleeper.ts';
import { TIMER_SLACK_MS } from './start-barrier.ts';
import { WriteVerifier } from './write-verifier.ts';
import { intervalEndMs, intervalIndexAt, isRecordedInterval, sessionTimeline, type SessionTimeline } from './session-timeline.ts';

/**
 * One session: its own connection, `ready`, the common start, the operation loop (closed or open),
 * its interval handed to the worker at every interval boundary (sent merged with the worker's other
 * sessions'), and `done` with the totals. Everything measured travels in intervals; `done` carries
 * counters, digest and what the integrity check needs.
 *
 * Limits: `iterations` counts recorded operations only (warm-up is by time, --warmup); `durationMs`
 * is measured from the end of warm-up. Only ok operations enter the latency histogram.
 */

/** How long a session waits for the coordinator's start time before giving up. */
export const START_WAIT_BOUND_MS = 5 * 60_000;
/** On stop: how long the operation in flight may take before it is cancelled, then cut off. */
export const IN_FLIGHT_GRACE_MS = 2000;
export const CANCEL_GRACE_MS = 1000;

/** The session's connection: the executor's SessionDb plus what the session itself needs. */
export interface SessionConnectionHandle extends SessionDb {
  cancelInFlight(): Promise<void>;
  close(): Promise<void>;
}

/** What a session adds to an operation: its phase clock and its SQL tag. */
export interface OperationExtras {
  readonly phases?: PhaseClock;
  readonly tag?: string;
}

/** The workload model (the operation stream and executor), injected so the loop does not depend on SQL. */
export interface WorkloadModel {
  createOperationStream(params: OperationStreamParams): OperationStream;
  executeOperation(db: SessionDb, op: Operation, workload: WorkloadConfig, index: DatasetIndex, extras?: OperationExtras): Promise<OperationOutcome>;
  /**
   * --verify-writes: the reference-set digests the documents hold now; undefined when the read failed
   * (worker/write-read-back.ts). A model without it cannot run a job with --verify-writes.
   */
  readBackDigests?(db: SessionDb, documentIds: readonly number[], workload: WorkloadConfig, index: DatasetIndex): Promise<Map<number, string> | undefined>;
}

export interface SessionEnvironment {
  readonly workerId: string;
  readonly clock: SharedClock;
  readonly workloadModel: WorkloadModel;
  connect(job: SessionJob, signal: AbortSignal): Promise<SessionConnectionHandle>;
  publish(event: SessionEvent): Promise<void>;
  /** Hands the session's interval to its worker, which sends it merged with its other sessions' (worker/interval-merger.ts). */
  handOverInterval(handover: SessionIntervalHandover): void;
  joinRun(runId: string): RunHandle;
  /** Aborted when the worker process stops. */
  readonly stopping: AbortSignal;
  log(line: string): void;
}

export async function runSession(job: SessionJob, env: SessionEnvironment): Promise<SessionDone> {
  // Building the session builds its operation stream, which refuses a workload that does not fit
  // the dataset: that must not leave the run's start poller joined.
  const run = env.joinRun(job.runId);
  let session: Session;
  try {
    session = new Session(job, env, AbortSignal.any([env.stopping, run.stopSignal]));
    await session.execute(run);
  } finally {
    run.release();
  }
  const done = session.doneEvent(run.stopSignal.aborted && !env.stopping.aborted);
  await env.publish(done);
  return done;
}

class Session {
  private readonly stream: OperationStream;
  private readonly index: DatasetIndex;
  private readonly recorder: SessionRecorder;
  private readonly phases = new PhaseClock();
  /** Writes the operation's SQL tag; undefined with --no-sql-tags. */
  private readonly sqlTag: SqlTagWriter | undefined;
  /** documentId → digest of every set committed to it → the operation that first committed it. */
  private readonly committed = new Map<number, Map<string, number>>();
  private readonly touched = new Set<number>();
  /** Written since the last interval event: sent with the next one (the operations only with --verify-writes). */
  private readonly newlyCommitted = new Map<number, string[]>();
  private readonly newlyCommittedOperations = new Map<number, number[]>();
  /** --verify-writes only. */
  private readonly verifier: WriteVerifier | undefined;
  private readonly readBackDigests: WorkloadModel['readBackDigests'];
  private newlyTouched: number[] = [];
  /** Deadlocks this session was the victim of since the last interval event. */
  private newDeadlocks: DeadlockReport[] = [];
  private drawn = 0;
  private db: SessionConnectionHandle | undefined;
  private status: SessionStatus = 'completed';
  private reason: string | undefined;
  private lateMs = 0;
  private lastRecordedEndMs: number | undefined;
  private timeline: SessionTimeline | undefined;
  private intervalIndex = 0;
  private intervalTimer: NodeJS.Timeout | undefined;
  private cutTimer: NodeJS.Timeout | undefined;
  private readonly sleeper: Sleeper;

  constructor(
    private readonly job: SessionJob,
    private readonly env: SessionEnvironment,
    private readonly signal: AbortSignal,
  ) {
    this.sqlTag = job.workload.sqlTags === true ? sessionSqlTags(job.runId, job.sessionId) : undefined;
    this.stream = env.workloadModel.createOperationStream({
      seed: job.seed,
      sessionId: job.sessionId,
      sessionCount: job.sessionCount,
      scenario: job.workload.scenario,
      dataset: job.dataset,
    });
    this.index = datasetIndex(job.dataset);
    this.recorder = new SessionRecorder(job.workload.loop.mode === 'open');
    this.sleeper = new Sleeper(signal);
    this.verifier = job.workload.verifyWrites === true ? new WriteVerifier() : undefined;
    this.readBackDigests = env.workloadModel.readBackDigests;
    if (this.verifier && !this.readBackDigests) {
      throw new Error('this worker cannot read writes back (its workload model has no readBackDigests): run without --verify-writes');
    }
  }

  async execute(run: RunHandle): Promise<void> {
    const onAbort = (): void => this.cutOffInFlight();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (this.signal.aborted) return;
      if (!(await this.connect())) return;
      const startAtMs = await this.waitForStart(run.startAt);
      if (startAtMs === undefined) return;
      // Everything is prepared before the common start, the first operation included, so that waking
      // up costs each session little; the worker's one start barrier wakes every session at once.
      const timeline = sessionTimeline(startAtMs, this.job.workload.limits, this.job.intervalMs);
      const { job } = this;
      const pacer = createPacer(job.workload.loop, startAtMs, job.sessionId, job.sessionCount, sessionStream(job.seed, job.sessionId, 'think'));
      const first = this.draw();
      await this.sleeper.until(run.released);
      if (this.signal.aborted) return;
      this.timeline = timeline;
      this.startIntervals();
      await this.loop(timeline, pacer, first);
    } catch (error) {
      if (!this.signal.aborted) {
        this.status = 'failed';
        this.reason = error instanceof Error ? error.message : String(error);
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
      this.sleeper.dispose();
      clearTimeout(this.intervalTimer);
      clearTimeout(this.cutTimer);
      if (this.timeline) this.sendIntervalIfDue(this.timeline, this.intervalIndex);
      await this.db?.close();
    }
  }

  doneEvent(runStopped: boolean): SessionDone {
    if (this.signal.aborted && this.status === 'completed') {
      this.status = 'aborted';
      this.reason = runStopped ? 'the run was stopped' : 'the worker is stopping';
    }
    const committed: Record<string, string[]> = {};
    const committedOperations: Record<string, number[]> = {};
    for (const [documentId, digests] of this.committed) {
      committed[documentId] = [...digests.keys()];
      committedOperations[documentId] = [...digests.values()];
    }
    const readBack = this.verifier?.take();
    return {
      ...this.eventBase(),
      type: 'done',
      status: this.status,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      counters: this.recorder.totals(),
      digest: this.stream.digest(),
      lateMs: this.lateMs,
      ...(this.lastRecordedEndMs === undefined ? {} : { lastEndMs: this.lastRecordedEndMs }),
      committed,
      touched: [...this.touched].sort((a, b) => a - b),
      ...(this.verifier && { committedOperations }),
      ...(readBack && { readBack }),
    };
  }

  private eventBase(): { protocol: 1; runId: string; sessionId: number; workerId: string } {
    return { protocol: 1, runId: this.job.runId, sessionId: this.job.sessionId, workerId: this.env.workerId };
  }

  private async connect(): Promise<boolean> {
    const began = performance.now();
    try {
      this.db = await this.env.connect(this.job, this.signal);
    } catch (error) {
      this.status = 'failed';
      this.reason = error instanceof Error ? error.message : String(error);
      return false;
    }
    await this.env.publish({ ...this.eventBase(), type: 'ready', connectMs: performance.now() - began });
    return true;
  }

  /** The run's start time, or undefined when the session was stopped (or nobody started it in time). */
  private async waitForStart(startAt: Promise<number>): Promise<number | undefined> {
    const bound = AbortSignal.any([this.signal, AbortSignal.timeout(START_WAIT_BOUND_MS)]);
    const gaveUp = new Promise<undefined>((resolve) => {
      if (bound.aborted) resolve(undefined);
      else bound.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    const startAtMs = await Promise.race([startAt, gaveUp]);
    if (startAtMs === undefined && !this.signal.aborted) {
      this.status = 'aborted';
      this.reason = `no start time from the coordinator within ${START_WAIT_BOUND_MS / 1000} s`;
    }
    return startAtMs;
  }

  /**
   * Sleeps until the shared clock reaches `atMs` (never returns early), or until stopped. Timers fire
   * up to a millisecond late; where that would count as latency (`precise`: the open loop's schedule) the last millisecond is waited out by yielding to the event loop instead.
   */
  private async sleepUntil(atMs: number, precise = false): Promise<void> {
    for (let now = this.env.clock.now(); now < atMs && !this.signal.aborted; now = this.env.clock.now()) {
      const remaining = atMs - now;
      if (!precise) await this.sleeper.sleep(Math.max(1, remaining));
      else if (remaining > TIMER_SLACK_MS) await this.sleeper.sleep(remaining - TIMER_SLACK_MS);
      else await yieldToEventLoop();
    }
  }

  private draw(): Operation {
    this.drawn++;
    return this.stream.next();
  }

  /** `first`: operation 0, drawn before the start. */
  private async loop(timeline: SessionTimeline, pacer: Pacer, first: Operation): Promise<void> {
    const { job, env } = this;
    const clock = env.clock;
    const db = this.db!;
    const { workload } = job;
    const execute = env.workloadModel.executeOperation;
    const fromPlannedStart = pacer.fromPlannedStart;
    const iterations = workload.limits.iterations ?? Number.POSITIVE_INFINITY;
    let previousEndMs = timeline.startAtMs;
    for (let n = 0; ; n++) {
      const plannedMs = pacer.plannedStartMs(n, previousEndMs);
      if (plannedMs >= timeline.endAtMs) return;
      if (plannedMs > clock.now()) await this.sleepUntil(plannedMs, fromPlannedStart);
      if (this.signal.aborted) return;
      const startedMs = clock.now();
      // The run ends at its duration even when the session is behind its schedule: what it still
      // owes is dropped (counted when it would have been recorded), not run late.
      if (startedMs >= timeline.endAtMs) {
        this.recorder.drop(pacer.scheduledBetween(n, timeline.recordFromMs, timeline.endAtMs));
        return;
      }
      const op = n === 0 ? first : this.draw();
      // Its number in the session's stream (1-based): the first was drawn before the start.
      const operation = this.drawn;
      if (op.kind === 'rewrite') for (const d of op.documents) this.noteTouched(d.documentId);
      const tag = this.sqlTag && op.kind !== 'idle' ? this.tagOf(this.sqlTag, operation, op) : undefined;
      const executing = execute(db, op, workload, this.index, { phases: this.phases, tag });
      // Late against its own first planned start: an open loop's stagger between sessions is not lateness.
      if (n === 0) this.sendStarted(startedMs - plannedMs);
      const outcome = await executing;
      const endedMs = clock.now();
      previousEndMs = endedMs;
      for (const c of outcome.committed) this.noteCommitted(c.documentId, c.setDigest, operation);
      if (outcome.deadlocks) this.noteDeadlocks(outcome.deadlocks, operation, documentIds(op), endedMs);
      // An operation cut off by a stop is not a failure of the system under test.
      if (this.signal.aborted && !outcome.ok) return;
      if (this.verifier && this.readBackDigests && outcome.committed.length > 0) {
        // After endedMs: the read-back is timed apart, never part of the operation's latency.
        await this.verifyWrites(this.verifier, this.readBackDigests, db, outcome.committed, operation);
        previousEndMs = clock.now();
      }
      if (plannedMs >= timeline.recordFromMs) {
        const latencyMs = endedMs - (fromPlannedStart ? plannedMs : startedMs);
        const lagMs = fromPlannedStart ? startedMs - plannedMs : 0;
        this.recorder.record(outcome, latencyMs * 1000, (endedMs - startedMs) * 1000, lagMs, this.phases.micros);
        this.lastRecordedEndMs = endedMs;
        if (this.recorder.operations >= iterations) return;
      }
    }
  }

  private tagOf(sqlTag: SqlTagWriter, operation: number, op: Operation): string {
    const documents = documentIds(op);
    return sqlTag(operation, documents, documents.map((id) => this.index.documentPartitionKeys[id]));
  }

  private noteDeadlocks(cycles: NonNullable<OperationOutcome['deadlocks']>, op: number, documents: readonly number[], atMs: number): void {
    const pid = this.db?.backendPid?.() ?? 0;
    const partitions = documents.map((id) => this.index.documentPartitionKeys[id]);
    const nowPerfMs = performance.now();
    for (const { edges, atPerfMs } of cycles) {
      this.newDeadlocks.push({ atMs: atMs - (nowPerfMs - atPerfMs), pid, op, documents: [...documents], partitions, edges: [...edges] });
    }
  }

  private noteTouched(documentId: number): void {
    if (this.touched.has(documentId)) return;
    this.touched.add(documentId);
    this.newlyTouched.push(documentId);
  }

  private noteCommitted(documentId: number, setDigest: string, operation: number): void {
    let digests = this.committed.get(documentId);
    if (!digests) this.committed.set(documentId, (digests = new Map()));
    if (digests.has(setDigest)) return;
    digests.set(setDigest, operation);
    const fresh = this.newlyCommitted.get(documentId);
    if (fresh) fresh.push(setDigest);
    else this.newlyCommitted.set(documentId, [setDigest]);
    if (!this.verifier) return;
    const operations = this.newlyCommittedOperations.get(documentId);
    if (operations) operations.push(operation);
    else this.newlyCommittedOperations.set(documentId, [operation]);
  }

  /** --verify-writes: reads back what the operation's documents hold, timed apart from the operation. */
  private async verifyWrites(
    verifier: WriteVerifier,
    readBackDigests: NonNullable<WorkloadModel['readBackDigests']>,
    db: SessionDb,
    committed: OperationOutcome['committed'],
    operation: number,
  ): Promise<void> {
    const began = performance.now();
    const held = await readBackDigests(db, committed.map((c) => c.documentId), this.job.workload, this.index);
    const micros = Math.round((performance.now() - began) * 1000);
    if (held !== undefined) verifier.record(committed, held, operation, micros);
    // A read-back cut off by a stop is not a failure.
    else if (!this.signal.aborted) verifier.recordFailure(micros);
  }

  /** What was written since the previous interval event; starts the next batch. */
  private takeWrites(): Omit<SessionIntervalPart, 'sessionId' | 'operations'> {
    const readBack = this.verifier?.take();
    const writes = {
      drawn: this.drawn,
      ...(this.newlyCommitted.size > 0 && { committed: Object.fromEntries(this.newlyCommitted) }),
      ...(this.newlyCommittedOperations.size > 0 && { committedOperations: Object.fromEntries(this.newlyCommittedOperations) }),
      ...(this.newlyTouched.length > 0 && { touched: this.newlyTouched }),
      ...(readBack && { readBack }),
      ...(this.newDeadlocks.length > 0 && { deadlocks: this.newDeadlocks }),
    };
    this.newlyCommitted.clear();
    this.newlyCommittedOperations.clear();
    this.newlyTouched = [];
    this.newDeadlocks = [];
    return writes;
  }

  private sendStarted(lateMs: number): void {
    this.lateMs = lateMs;
    // Sent on the next turn of the event loop: every session released with this one sends its first
    // operation before any spends time on an event.
    setImmediate(() => this.env.publish({ ...this.eventBase(), type: 'started', lateMs }).catch((error) => this.logPublishError(error)));
  }

  /** A timer at every interval boundary of the shared clock sends what the interval measured. */
  private startIntervals(): void {
    const timeline = this.timeline!;
    const clock = this.env.clock;
    this.intervalIndex = intervalIndexAt(timeline, clock.now());
    const tick = (): void => {
      this.sendIntervalIfDue(timeline, this.intervalIndex);
      // A late timer (busy event loop) skips the intervals it missed; their operations land in this one.
      this.intervalIndex = Math.max(this.intervalIndex + 1, intervalIndexAt(timeline, clock.now()));
      this.intervalTimer = setTimeout(tick, Math.max(0, intervalEndMs(timeline, this.intervalIndex) - clock.now()));
    };
    this.intervalTimer = setTimeout(tick, Math.max(0, intervalEndMs(timeline, this.intervalIndex) - clock.now()));
  }

  /** Intervals that overlap the recorded window are sent (even empty); later ones only with operations that ended late. */
  private sendIntervalIfDue(timeline: SessionTimeline, index: number): void {
    if (isRecordedInterval(timeline, index) || this.recorder.hasIntervalData) this.sendInterval(index);
  }

  private sendInterval(index: number): void {
    const { runId, sessionId } = this.job;
    this.env.handOverInterval({ runId, index, sessionId, recorder: this.recorder, progress: this.takeWrites(), lastEndMs: this.lastRecordedEndMs });
  }

  /** Stop requested: give the operation in flight a grace period, then cancel it, then cut the connection. */
  private cutOffInFlight(): void {
    this.cutTimer = setTimeout(() => {
      void this.db?.cancelInFlight();
      this.cutTimer = setTimeout(() => void this.db?.close(), CANCEL_GRACE_MS);
    }, IN_FLIGHT_GRACE_MS);
  }

  private logPublishError(error: unknown): void {
    this.env.log(`session ${this.job.sessionId} of run ${this.job.runId}: cannot send an event: ${(error as Error).message}`);
  }
}

/** The documents an operation writes or reads (none for noop and idle). */
function documentIds(op: Operation): number[] {
  if (op.kind === 'rewrite') return op.documents.map((d) => d.documentId);
  return 'documentId' in op ? [op.documentId] : [];
}
