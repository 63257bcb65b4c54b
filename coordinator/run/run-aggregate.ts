import { createHistogram, decodeHistogram, intervalPercentilesMs, summarizeMs, type Histogram } from '../../shared/histogram.ts';
import type { IntervalHistogram } from '../../shared/hlog.ts';
import type { MeasurementEvent, SessionDone, SessionInterval, SessionIntervalPart, WorkerInterval } from '../../shared/protocol/messages.ts';
import { UsageError } from '../../shared/errors.ts';
import { isWriteScenario, type RunConfig } from '../../shared/run-config.ts';
import { orderedPhases } from '../../shared/phases.ts';
import { RUN_REPORT_VERSION, type IntervalSummary, type RunDataset, type RunReport, type SessionResultSummary } from '../results/run-report.ts';
import { documentsOfOperations, lookaheadOperations } from './lost-session-writes.ts';
import { accountSession, countSessions } from './session-accounting.ts';
import { startSpread } from './start-spread.ts';
import type { SessionAssignment } from './session-assignment.ts';
import { ReadBackCollector, type CollectedReadBacks } from './read-back-collector.ts';
import type { SessionDeadlock } from '../observe/run-observers.ts';
import { reportedDeadlocks } from '../observe/reported-deadlocks.ts';

/**
 * Turns what every session sent into the run's figures: histograms are added (never averaged),
 * counters summed, intervals merged across sessions. Invariant: ops.ok + ops.failed + ops.rejected = every
 * recorded operation, ops.ok = latency count; retried tries and dropped (never started) operations
 * are counted apart.
 */

/** An event as it arrived, stamped with its stream entry time (Redis TIME, the shared clock). */
export interface TimedEvent {
  readonly event: MeasurementEvent;
  readonly atMs: number;
}

export interface AggregateInput {
  readonly runId: string;
  readonly config: RunConfig;
  readonly dataset: RunDataset;
  readonly assignment: SessionAssignment;
  /** Worker id → host, for the workers that got sessions. */
  readonly hosts: ReadonlyMap<string, string>;
  /** Shared-clock ms of the common start and of the moment the coordinator saw the run end. */
  readonly startAtMs: number;
  readonly endAtMs: number;
  readonly intervalMs: number;
  /** Every validated event, in stream order. */
  readonly events: readonly TimedEvent[];
  /** Sessions declared lost (worker gone, job failed, run interrupted) → why; a `done` wins over it. */
  readonly lost: ReadonlyMap<number, string>;
}

/**
 * Where each interval's latency histogram, merged across sessions, goes once no session can add to
 * it any more: intervals.hlog as the run goes (interval-log-file.ts), or a list (CollectedIntervals).
 */
export interface IntervalSink {
  append(interval: IntervalHistogram): void;
}

export class CollectedIntervals implements IntervalSink {
  readonly intervals: IntervalHistogram[] = [];

  append(interval: IntervalHistogram): void {
    this.intervals.push(interval);
  }
}

export interface RunAggregate {
  readonly report: RunReport;
  readonly latency: Histogram;
  readonly serviceTime?: Histogram;
  /** Per phase name (shared/phases.ts, in its order), the run's histogram of that phase. */
  readonly phases: ReadonlyMap<string, Histogram>;
  /** The interval index of each of report.intervals, in the same order. */
  readonly intervalIndexes: readonly number[];
  readonly committed: ReadonlyMap<number, ReadonlySet<string>>;
  /** Every document some session touched, and those lost sessions may have touched after their last interval. */
  readonly touched: ReadonlySet<number>;
  /** Documents lost sessions may have rewritten after their last interval event: their state is unknown. */
  readonly uncertain: ReadonlySet<number>;
  /** Deadlocks sessions reported, as they arrived. */
  readonly deadlocks: readonly SessionDeadlock[];
  /** --verify-writes: what the sessions read back after their writes (absent when off). */
  readonly readBacks?: CollectedReadBacks;
}

interface IntervalTotals {
  ok: number;
  failed: number;
  histogram: Histogram;
  /** Per phase name, the interval's histogram of that phase. */
  phases?: Map<string, Histogram>;
}

interface SessionTotals {
  ops: number;
  /** The latest interval index it sent; -1 before its first. */
  intervalIndex: number;
  lateMs: number | null;
  /** Operations drawn from its stream as of its latest interval event, and that event's index. */
  drawn: number;
  drawnIndex: number;
  done?: SessionDone;
}

/** What is known only when the run is over. */
export type AggregateEnd = Omit<AggregateInput, 'events'>;

/**
 * The aggregate built one event at a time, as the collector reads them, so that the end of a run
 * costs no more than a few merges and no raw histogram is kept: each is decoded once, added to its
 * interval, and dropped. Memory does not grow with the run's length: an interval is settled (added
 * to the run's total, handed to the sink, summarized in a few numbers and forgotten) once every
 * session that has not ended has sent a later one and some operation ended after it, so that
 * neither its histogram nor its end can change any more. Only a session that goes silent without
 * ending (lost) holds intervals open, until the end of the run.
 */
export class RunAggregator {
  private readonly sessions: SessionTotals[];
  /** Intervals not settled yet. */
  private readonly intervals = new Map<number, IntervalTotals>();
  /** Every settled interval's latency, added; likewise per phase. */
  private readonly latency = createHistogram();
  private readonly phaseTotals: Record<string, Histogram> = {};
  private readonly settled: { index: number; summary: IntervalSummary }[] = [];
  private stream: { sink: IntervalSink; startAtMs: number; intervalMs: number } | undefined;
  private highestIndex = -1;
  private readonly byError: Record<string, number> = {};
  private readonly started = new Set<number>();
  private readonly committed = new Map<number, Set<string>>();
  private readonly touched = new Set<number>();
  private readonly deadlocks: SessionDeadlock[] = [];
  private readonly readBacks = new ReadBackCollector();
  /** The most operations a session drew in one interval: how far a lost session's stream is drawn again. */
  private maxDrawnPerInterval = 0;
  private serviceTime: Histogram | undefined;
  private maxLagMs: number | undefined;
  private ok = 0;
  private failed = 0;
  private rejected = 0;
  private retried = 0;
  private dropped = 0;
  private active = 0;
  private maxConcurrent = 0;
  /** When the last interval or done event arrived: the end for sessions that do not say when they worked (older workers). */
  private lastReportAtMs = -Infinity;
  /**
   * When the last recorded operation ended, as sessions measured it (from intervals and `done`): a
   * lost session's last interval counts, and the wait for its heartbeat to time out does not.
   */
  private lastOperationEndMs = -Infinity;

  constructor(sessionCount: number) {
    this.sessions = Array.from({ length: sessionCount }, () => ({ ops: 0, intervalIndex: -1, lateMs: null, drawn: 0, drawnIndex: -1 }));
  }

  /** From the common start on: settled intervals go to `sink` (intervals are `intervalMs` long from `startAtMs`). */
  streamIntervals(sink: IntervalSink, startAtMs: number, intervalMs: number): void {
    this.stream = { sink, startAtMs, intervalMs };
  }

  /** Folds one event in; for an interval, returns its decoded latency histogram (live progress reuses it). */
  add({ event, atMs }: TimedEvent): Histogram | undefined {
    switch (event.type) {
      case 'worker-interval':
        return this.addInterval(event, event.sessions, atMs);
      case 'interval':
        return this.sessions[event.sessionId] === undefined ? undefined : this.addInterval(event, [partOf(event)], atMs);
    }
    const session = this.sessions[event.sessionId];
    if (session === undefined) return undefined;
    switch (event.type) {
      case 'ready':
        return undefined;
      case 'started':
        session.lateMs = event.lateMs;
        if (!this.started.has(event.sessionId)) {
          this.started.add(event.sessionId);
          this.active++;
          this.maxConcurrent = Math.max(this.maxConcurrent, this.active);
        }
        return undefined;
      case 'done':
        if (session.done) return undefined;
        session.done = event;
        session.lateMs ??= event.lateMs;
        this.lastReportAtMs = Math.max(this.lastReportAtMs, atMs);
        if (event.lastEndMs !== undefined) this.lastOperationEndMs = Math.max(this.lastOperationEndMs, event.lastEndMs);
        if (this.started.has(event.sessionId)) this.active--;
        this.addWrites(event.committed, event.touched);
        this.readBacks.add(event.sessionId, event.readBack, event.committed, event.committedOperations);
        return undefined;
    }
  }

  /** One interval of one or more sessions (a worker's merged interval, or one session's from an older worker). */
  private addInterval(event: SessionInterval | WorkerInterval, parts: readonly SessionIntervalPart[], atMs: number): Histogram {
    const histogram = decodeHistogram(event.latency);
    let totals = this.intervals.get(event.index);
    if (!totals) {
      totals = { ok: 0, failed: 0, histogram: createHistogram() };
      this.intervals.set(event.index, totals);
    }
    totals.histogram.add(histogram);
    const { counters } = event;
    totals.ok += counters.ok;
    totals.failed += counters.failed;
    this.ok += counters.ok;
    this.failed += counters.failed;
    this.rejected += counters.rejected ?? 0;
    this.retried += counters.retried;
    this.dropped += counters.dropped ?? 0;
    for (const [code, count] of Object.entries(counters.byError)) this.byError[code] = (this.byError[code] ?? 0) + count;
    if (event.serviceTime !== undefined) {
      this.serviceTime ??= createHistogram();
      this.serviceTime.add(decodeHistogram(event.serviceTime));
    }
    for (const [name, encoded] of Object.entries(event.phases ?? {})) {
      totals.phases ??= new Map();
      let phase = totals.phases.get(name);
      if (!phase) totals.phases.set(name, (phase = createHistogram()));
      phase.add(decodeHistogram(encoded));
    }
    if (event.maxLagMs !== undefined) this.maxLagMs = Math.max(this.maxLagMs ?? 0, event.maxLagMs);
    if (event.lastEndMs !== undefined) this.lastOperationEndMs = Math.max(this.lastOperationEndMs, event.lastEndMs);
    this.lastReportAtMs = Math.max(this.lastReportAtMs, atMs);
    for (const part of parts) this.addSessionPart(part, event.index);
    this.deadlocks.push(...reportedDeadlocks(event));
    // Once per interval at most (when the first session sends the next one), not once per event.
    if (event.index > this.highestIndex) {
      this.highestIndex = event.index;
      this.settle();
    }
    return histogram;
  }

  /** What one session's interval says of that session: its operations, writes and progress (its deadlocks: addInterval). */
  private addSessionPart(part: SessionIntervalPart, index: number): void {
    const session = this.sessions[part.sessionId];
    if (session === undefined) return;
    session.ops += part.operations;
    this.addWrites(part.committed ?? {}, part.touched ?? []);
    this.readBacks.add(part.sessionId, part.readBack, part.committed, part.committedOperations);
    if (part.drawn !== undefined && part.drawn >= session.drawn && index > session.drawnIndex) {
      const perInterval = (part.drawn - session.drawn) / (index - session.drawnIndex);
      this.maxDrawnPerInterval = Math.max(this.maxDrawnPerInterval, perInterval);
      session.drawn = part.drawn;
      session.drawnIndex = index;
    }
    session.intervalIndex = Math.max(session.intervalIndex, index);
  }

  /** Settles the intervals no session can change any more (see the class comment). */
  private settle(): void {
    if (!this.stream || !Number.isFinite(this.lastOperationEndMs)) return;
    let through = Number.POSITIVE_INFINITY;
    for (const session of this.sessions) if (!session.done) through = Math.min(through, session.intervalIndex);
    const { startAtMs, intervalMs } = this.stream;
    for (const index of [...this.intervals.keys()].sort((a, b) => a - b)) {
      const endMs = startAtMs + (index + 1) * intervalMs;
      if (index > through || endMs > this.lastOperationEndMs) break;
      this.settleInterval(index, endMs);
    }
  }

  private settleInterval(index: number, endMs: number): void {
    const { sink, startAtMs, intervalMs } = this.stream!;
    const totals = this.intervals.get(index)!;
    this.intervals.delete(index);
    this.latency.add(totals.histogram);
    const startMs = startAtMs + index * intervalMs;
    sink.append({ startMs, endMs, histogram: totals.histogram });
    const phaseP99Ms: Record<string, number> = {};
    for (const [name, histogram] of totals.phases ?? []) {
      (this.phaseTotals[name] ??= createHistogram()).add(histogram);
      phaseP99Ms[name] = intervalPercentilesMs(histogram).p99;
    }
    const summary = intervalPercentilesMs(totals.histogram);
    this.settled.push({
      index,
      summary: {
        t: (index * intervalMs) / 1000,
        ok: totals.ok,
        failed: totals.failed,
        opsPerSec: round1(totals.ok / ((endMs - startMs) / 1000)),
        p50Ms: summary.p50,
        p99Ms: summary.p99,
        maxMs: summary.max,
        ...(totals.phases && { phaseP99Ms: Object.fromEntries(orderedPhases(phaseP99Ms)) }),
      },
    });
  }

  private addWrites(committed: Readonly<Record<string, readonly string[]>>, touched: readonly number[]): void {
    for (const [documentId, digests] of Object.entries(committed)) {
      const id = Number(documentId);
      let set = this.committed.get(id);
      if (!set) this.committed.set(id, (set = new Set()));
      for (const digest of digests) set.add(digest);
    }
    for (const documentId of touched) this.touched.add(documentId);
  }

  /** What lost sessions may have rewritten after their last interval event (lost-session-writes.ts). */
  private uncertainDocuments(end: AggregateEnd): Set<number> {
    const uncertain = new Set<number>();
    const { config } = end;
    if (!isWriteScenario(config.workload.scenario.scenario)) return uncertain;
    const count = lookaheadOperations(this.maxDrawnPerInterval);
    const { distinctPairs: _, ...dataset } = end.dataset;
    try {
      this.sessions.forEach((session, sessionId) => {
        if (session.done) return;
        const from = Math.max(0, session.drawn - 1);
        const params = { seed: config.seed, sessionId, sessionCount: config.sessions, scenario: config.workload.scenario, dataset };
        for (const id of documentsOfOperations(params, from, count + (session.drawn - from))) uncertain.add(id);
      });
    } catch (error) {
      // A workload that does not fit the dataset: no session could draw an operation either.
      if (!(error instanceof UsageError)) throw error;
    }
    return uncertain;
  }

  finish(end: AggregateEnd): RunAggregate {
    const { config, intervalMs, startAtMs } = end;
    const measuredStartMs = startAtMs + config.workload.limits.warmupMs;
    const measuredEndMs = Number.isFinite(this.lastOperationEndMs)
      ? this.lastOperationEndMs
      : Number.isFinite(this.lastReportAtMs)
        ? this.lastReportAtMs
        : end.endAtMs;
    const measuredSeconds = Math.max(0.001, (measuredEndMs - measuredStartMs) / 1000);

    // The run's histogram is the sum of its intervals': one add per interval, not per message.
    if (!this.stream) throw new Error('RunAggregator.finish: streamIntervals was never called');
    for (const index of [...this.intervals.keys()].sort((a, b) => a - b)) {
      const startMs = startAtMs + index * intervalMs;
      this.settleInterval(index, Math.max(startMs + 1, Math.min(startMs + intervalMs, measuredEndMs)));
    }
    // An interval sent again after it settled (a session that came back) is a second entry of its own.
    const settled = [...this.settled].sort((a, b) => a.index - b.index);

    const sessionResults: SessionResultSummary[] = this.sessions.map((session, sessionId) => {
      const { status, reason } = accountSession(session.done, end.lost.get(sessionId));
      return {
        sessionId,
        worker: end.assignment.bySession[sessionId] ?? '',
        status,
        ...(reason === undefined ? {} : { reason }),
        ops: session.done ? session.done.counters.ok + session.done.counters.failed + (session.done.counters.rejected ?? 0) : session.ops,
        digest: session.done ? session.done.digest : null,
        lateMs: session.lateMs,
      };
    });
    const counts = countSessions(sessionResults);
    const phases = new Map(orderedPhases(this.phaseTotals));
    const lateStarts = sessionResults.flatMap((r) => (r.lateMs === null ? [] : [r.lateMs]));
    // Sessions that never started carry lateMs 0 in their `done`: the spread counts those that did.
    const spread = startSpread(sessionResults.flatMap((r) => (this.started.has(r.sessionId) && r.lateMs !== null ? [r.lateMs] : [])));
    const uncertain = this.uncertainDocuments(end);
    const touched = new Set([...this.touched, ...uncertain]);

    const report: RunReport = {
      version: RUN_REPORT_VERSION,
      runId: end.runId,
      name: config.name,
      config,
      dataset: end.dataset,
      startedAt: new Date(startAtMs).toISOString(),
      endedAt: new Date(end.endAtMs).toISOString(),
      durationMs: Math.max(0, end.endAtMs - startAtMs),
      sessions: {
        requested: config.sessions,
        completed: counts.completed,
        aborted: counts.aborted,
        failed: counts.failed,
        lost: counts.lost,
        maxConcurrent: this.maxConcurrent,
        maxLateStartMs: lateStarts.length > 0 ? Math.max(...lateStarts) : 0,
        ...(spread ? { startSpreadMs: spread } : {}),
      },
      workers: [...end.assignment.byWorker].map(([id, list]) => ({ id, host: end.hosts.get(id) ?? '', sessions: list.length })),
      ops: {
        ok: this.ok,
        failed: this.failed,
        ...(this.rejected > 0 && { rejected: this.rejected }),
        retried: this.retried,
        dropped: this.dropped,
        byError: sortedRecord(this.byError),
      },
      throughput: { opsPerSec: round1(this.ok / measuredSeconds), windowMs: Math.round(measuredSeconds * 1000) },
      latencyMs: summarizeMs(this.latency),
      ...(this.serviceTime ? { serviceTimeMs: summarizeMs(this.serviceTime) } : {}),
      ...(phases.size > 0 && { phases: Object.fromEntries([...phases].map(([name, h]) => [name, summarizeMs(h)])) }),
      ...(this.maxLagMs !== undefined ? { scheduleLagMs: { max: this.maxLagMs } } : {}),
      sessionResults,
      intervals: settled.map((s) => s.summary),
      ...(touched.size > 0 ? { touchedDocuments: [...touched].sort((a, b) => a - b) } : {}),
    };
    return {
      report,
      latency: this.latency,
      serviceTime: this.serviceTime,
      phases,
      intervalIndexes: settled.map((s) => s.index),
      committed: this.committed,
      touched,
      uncertain,
      deadlocks: this.deadlocks,
      ...(config.workload.verifyWrites === true && { readBacks: this.readBacks.result() }),
    };
  }
}

/** The whole aggregate from a list of events (report --run-id rebuilds runs this way); intervals go to `sink`. */
export function aggregateRun(input: AggregateInput, sink: IntervalSink = new CollectedIntervals()): RunAggregate {
  const aggregator = new RunAggregator(input.config.sessions);
  aggregator.streamIntervals(sink, input.startAtMs, input.intervalMs);
  for (const event of input.events) aggregator.add(event);
  return aggregator.finish(input);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A session's own interval event (older workers) as its part of an interval. */
function partOf(event: SessionInterval): SessionIntervalPart {
  const { counters, sessionId, committed, touched, committedOperations, readBack, drawn, deadlocks } = event;
  return {
    sessionId,
    operations: counters.ok + counters.failed + (counters.rejected ?? 0),
    ...(committed && { committed }),
    ...(touched && { touched }),
    ...(committedOperations && { committedOperations }),
    ...(readBack && { readBack }),
    ...(drawn !== undefined && { drawn }),
    ...(deadlocks && { deadlocks }),
  };
}
