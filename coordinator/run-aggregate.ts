import type { DatasetShape } from '../shared/dataset.ts';
import { createHistogram, decodeHistogram, summarizeMs, type Histogram } from '../shared/histogram.ts';
import type { SessionDone, SessionEvent } from '../shared/messages.ts';
import type { RunConfig } from '../shared/run-config.ts';
import { RUN_REPORT_VERSION, type IntervalSummary, type RunReport, type SessionResultSummary } from '../shared/run-report.ts';
import type { SessionAssignment } from './session-assignment.ts';

/**
 * Turns what every session sent into the run's figures: histograms are added (never averaged),
 * counters summed, intervals merged across sessions. Invariant: ops.ok + ops.failed = every
 * recorded operation, ops.ok = latency count; retried tries are counted apart.
 */

/** An event as it arrived, stamped with its stream entry time (Redis TIME, the shared clock). */
export interface TimedEvent {
  readonly event: SessionEvent;
  readonly atMs: number;
}

export interface AggregateInput {
  readonly runId: string;
  readonly config: RunConfig;
  readonly dataset: DatasetShape;
  readonly assignment: SessionAssignment;
  /** Worker id → host, for the workers that got sessions. */
  readonly hosts: ReadonlyMap<string, string>;
  /** Shared-clock ms of the common start and of the moment the coordinator saw the run end. */
  readonly startAtMs: number;
  readonly endAtMs: number;
  readonly intervalMs: number;
  /** Every validated event, in stream order. */
  readonly events: readonly TimedEvent[];
  /** Sessions declared lost (worker gone, job failed, run interrupted) → why. */
  readonly lost: ReadonlyMap<number, string>;
  /** The coordinator stopped the run early: sessions it aborted are not lost. */
  readonly interrupted?: boolean;
}

export interface IntervalHistogram {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly histogram: Histogram;
}

export interface RunAggregate {
  readonly report: RunReport;
  readonly latency: Histogram;
  readonly serviceTime?: Histogram;
  /** Per interval index (ascending), the latency histogram merged across sessions. */
  readonly intervals: readonly IntervalHistogram[];
  readonly committed: ReadonlyMap<number, ReadonlySet<string>>;
  readonly touched: ReadonlySet<number>;
}

interface IntervalTotals {
  ok: number;
  failed: number;
  histogram: Histogram;
}

interface SessionTotals {
  ops: number;
  lateMs: number | null;
  done?: SessionDone;
}

export function aggregateRun(input: AggregateInput): RunAggregate {
  const { config, events, intervalMs, startAtMs } = input;
  const latency = createHistogram();
  let serviceTime: Histogram | undefined;
  let maxLagMs: number | undefined;
  const intervals = new Map<number, IntervalTotals>();
  const sessions: SessionTotals[] = Array.from({ length: config.sessions }, () => ({ ops: 0, lateMs: null }));
  const byError: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let retried = 0;
  let active = 0;
  let maxConcurrent = 0;
  let lastDoneAtMs = -Infinity;
  const started = new Set<number>();
  const committed = new Map<number, Set<string>>();
  const touched = new Set<number>();

  for (const { event, atMs } of events) {
    const session = sessions[event.sessionId];
    if (session === undefined) continue;
    switch (event.type) {
      case 'ready':
        break;
      case 'started':
        session.lateMs = event.lateMs;
        if (!started.has(event.sessionId)) {
          started.add(event.sessionId);
          active++;
          maxConcurrent = Math.max(maxConcurrent, active);
        }
        break;
      case 'interval': {
        const histogram = decodeHistogram(event.latency);
        latency.add(histogram);
        let totals = intervals.get(event.index);
        if (!totals) {
          totals = { ok: 0, failed: 0, histogram: createHistogram() };
          intervals.set(event.index, totals);
        }
        totals.histogram.add(histogram);
        totals.ok += event.counters.ok;
        totals.failed += event.counters.failed;
        ok += event.counters.ok;
        failed += event.counters.failed;
        retried += event.counters.retried;
        for (const [code, count] of Object.entries(event.counters.byError)) byError[code] = (byError[code] ?? 0) + count;
        session.ops += event.counters.ok + event.counters.failed;
        if (event.serviceTime !== undefined) {
          serviceTime ??= createHistogram();
          serviceTime.add(decodeHistogram(event.serviceTime));
        }
        if (event.maxLagMs !== undefined) maxLagMs = Math.max(maxLagMs ?? 0, event.maxLagMs);
        break;
      }
      case 'done':
        if (session.done) break;
        session.done = event;
        session.lateMs ??= event.lateMs;
        lastDoneAtMs = Math.max(lastDoneAtMs, atMs);
        if (started.has(event.sessionId)) active--;
        for (const [documentId, digests] of Object.entries(event.committed)) {
          const id = Number(documentId);
          let set = committed.get(id);
          if (!set) committed.set(id, (set = new Set()));
          for (const digest of digests) set.add(digest);
        }
        for (const documentId of event.touched) touched.add(documentId);
        break;
    }
  }

  const measuredStartMs = startAtMs + config.workload.limits.warmupMs;
  const measuredEndMs = Number.isFinite(lastDoneAtMs) && input.lost.size === 0 ? lastDoneAtMs : input.endAtMs;
  const measuredSeconds = Math.max(0.001, (measuredEndMs - measuredStartMs) / 1000);

  const intervalHistograms: IntervalHistogram[] = [];
  const intervalSummaries: IntervalSummary[] = [];
  for (const index of [...intervals.keys()].sort((a, b) => a - b)) {
    const totals = intervals.get(index)!;
    const startMs = startAtMs + index * intervalMs;
    const endMs = Math.max(startMs + 1, Math.min(startMs + intervalMs, measuredEndMs));
    intervalHistograms.push({ index, startMs, endMs, histogram: totals.histogram });
    const summary = summarizeMs(totals.histogram);
    intervalSummaries.push({
      t: (index * intervalMs) / 1000,
      ok: totals.ok,
      failed: totals.failed,
      opsPerSec: round1(totals.ok / ((endMs - startMs) / 1000)),
      p50Ms: summary.p50,
      p99Ms: summary.p99,
      maxMs: summary.max,
    });
  }

  const sessionResults: SessionResultSummary[] = sessions.map((session, sessionId) => ({
    sessionId,
    worker: input.assignment.bySession[sessionId] ?? '',
    status: session.done ? session.done.status : 'lost',
    ops: session.done ? session.done.counters.ok + session.done.counters.failed : session.ops,
    digest: session.done ? session.done.digest : null,
    lateMs: session.lateMs,
  }));
  const lateStarts = sessionResults.flatMap((r) => (r.lateMs === null ? [] : [r.lateMs]));

  const report: RunReport = {
    version: RUN_REPORT_VERSION,
    runId: input.runId,
    name: config.name,
    config,
    dataset: input.dataset,
    startedAt: new Date(startAtMs).toISOString(),
    endedAt: new Date(input.endAtMs).toISOString(),
    durationMs: Math.max(0, input.endAtMs - startAtMs),
    sessions: {
      requested: config.sessions,
      completed: sessionResults.filter((r) => r.status === 'completed').length,
      // Aborted without an interrupted run: its worker was stopped under it. It did not do its share either.
      lost: sessionResults.filter((r) => r.status === 'lost' || (r.status === 'aborted' && !input.interrupted)).length,
      maxConcurrent,
      maxLateStartMs: lateStarts.length > 0 ? Math.max(...lateStarts) : 0,
    },
    workers: [...input.assignment.byWorker].map(([id, list]) => ({ id, host: input.hosts.get(id) ?? '', sessions: list.length })),
    ops: { ok, failed, retried, byError: sortedRecord(byError) },
    throughput: { opsPerSec: round1(ok / measuredSeconds) },
    latencyMs: summarizeMs(latency),
    ...(serviceTime ? { serviceTimeMs: summarizeMs(serviceTime) } : {}),
    ...(maxLagMs !== undefined ? { scheduleLagMs: { max: maxLagMs } } : {}),
    sessionResults,
    intervals: intervalSummaries,
    ...(touched.size > 0 ? { touchedDocuments: [...touched].sort((a, b) => a - b) } : {}),
  };
  return { report, latency, serviceTime, intervals: intervalHistograms, committed, touched };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
