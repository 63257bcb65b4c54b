import { createHistogram, decodeHistogram, intervalPercentilesMs, summarizeMs, type Histogram, type LatencySummaryMs } from '../../shared/histogram.ts';
import type { IntervalSummary } from '../results/run-report.ts';
import type { TimedEvent } from '../run/run-aggregate.ts';
import type { SessionInterval, WorkerInterval } from '../../shared/protocol/messages.ts';
import { categoryOf, chainDepths, isWaitingOnLock, sharesOf, type LockSample, type SessionSample } from '../observe/lock-profile.ts';

/**
 * What the dashboard and /metrics show of a run while it goes on (docs/architecture.md#live-view):
 * the events the collector reads and the lock sampler's samples folded in as they come, the same
 * way run-aggregate.ts folds them (histograms added per interval, counters summed), and a snapshot
 * of it all on demand. Pure apart from the clock the caller passes in.
 */

export interface LiveRunInfo {
  readonly runId: string;
  readonly name: string;
  readonly scenario: string;
  readonly strategy: string;
  readonly shape: string;
  readonly sessions: number;
  readonly intervalMs: number;
  /** Worker id of each session, by session id. */
  readonly assignment: readonly string[];
}

export type LivePhase = 'starting' | 'running' | 'finished';

export interface LiveWorker {
  readonly id: string;
  readonly sessions: number;
  readonly active: number;
  readonly done: number;
  readonly lost: number;
}

export interface LiveBlocking {
  /** Sessions waiting on a heavyweight lock in the latest sample. */
  readonly blocked: number;
  /** The longest wait chain in the latest sample, waiter first (pids); empty when none waits. */
  readonly longestChain: readonly number[];
}

export interface LiveEnd {
  readonly status: 'completed' | 'incomplete' | 'failed';
  /** Why, when not completed. */
  readonly problem?: string;
  readonly integrity?: { readonly documentsChecked: number; readonly violations: number };
  /** Where report.html was written, when it was. */
  readonly reportPath?: string;
}

export interface LiveSnapshot {
  readonly info: LiveRunInfo;
  readonly phase: LivePhase;
  readonly elapsedSeconds: number;
  readonly ops: { readonly ok: number; readonly failed: number; readonly rejected: number; readonly retried: number };
  readonly byError: Readonly<Record<string, number>>;
  /** Per interval, as run.json's `intervals` (with per-interval lock-wait shares when sampled). */
  readonly intervals: readonly IntervalSummary[];
  /** The latest complete interval's ops/s, p50 and p99 (undefined before the first). */
  readonly latest: IntervalSummary | undefined;
  /** The whole run's latency so far (merged histogram, summarized) and the histogram itself. */
  readonly latencyMs: LatencySummaryMs;
  readonly latency: Histogram;
  readonly workers: readonly LiveWorker[];
  readonly blocking: LiveBlocking | undefined;
  /** Share of session-samples by wait event over the run so far (for /metrics). */
  readonly lockWaitShares: Readonly<Record<string, number>>;
  readonly end: LiveEnd | undefined;
}

interface IntervalTotals {
  ok: number;
  failed: number;
  /** Dropped once the interval is final (FINAL_AFTER_INTERVALS behind): its summary stays. */
  histogram: Histogram | undefined;
  summary?: IntervalSummary;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

function summarizePercentiles(totals: IntervalTotals): void {
  const summary = intervalPercentilesMs(totals.histogram!);
  totals.p50Ms = summary.p50;
  totals.p99Ms = summary.p99;
  totals.maxMs = summary.max;
}

/**
 * How many newer intervals must have arrived before an interval's histogram is summarized for good
 * and dropped, so that the live view holds a few numbers per interval, not a histogram (constant
 * memory over long runs). Workers send an interval within a few milliseconds of its end; an event
 * for an interval this far back is a straggler.
 */
const FINAL_AFTER_INTERVALS = 2;

interface LockTotals {
  sessionSamples: number;
  byEvent: Record<string, number>;
}

export class LiveRun {
  private startAtMs: number | undefined;
  private readonly intervals = new Map<number, IntervalTotals>();
  private readonly lockIntervals = new Map<number, LockTotals>();
  private readonly lockRun: LockTotals = { sessionSamples: 0, byEvent: {} };
  private readonly latency = createHistogram();
  /** Intervals up to this index are final: summarized, their histograms dropped. */
  private finalThrough = -1;
  private readonly byError: Record<string, number> = {};
  private readonly started = new Set<number>();
  private readonly done = new Set<number>();
  private lost: ReadonlySet<number> = new Set();
  private latestSample: LockSample | undefined;
  private end: LiveEnd | undefined;
  private ok = 0;
  private failed = 0;
  private rejected = 0;
  private retried = 0;

  constructor(readonly info: LiveRunInfo) {}

  start(startAtMs: number): void {
    this.startAtMs = startAtMs;
  }

  /** One event from the run's stream; `latency` is its decoded histogram when the caller has it already. */
  addEvent({ event }: TimedEvent, latency?: Histogram): void {
    if (event.type === 'interval' || event.type === 'worker-interval') {
      this.addInterval(event, latency ?? decodeHistogram(event.latency));
      return;
    }
    if (event.sessionId >= this.info.sessions) return;
    if (event.type === 'started') this.started.add(event.sessionId);
    else if (event.type === 'done') this.done.add(event.sessionId);
  }

  private addInterval({ index, counters }: SessionInterval | WorkerInterval, histogram: Histogram): void {
    let totals = this.intervals.get(index);
    if (!totals) this.intervals.set(index, (totals = { ok: 0, failed: 0, histogram: createHistogram() }));
    // A final interval keeps its percentiles: a straggler adds to its counts only.
    totals.histogram?.add(histogram);
    totals.ok += counters.ok;
    totals.failed += counters.failed;
    totals.summary = undefined;
    this.latency.add(histogram);
    this.ok += counters.ok;
    this.failed += counters.failed;
    this.rejected += counters.rejected ?? 0;
    this.retried += counters.retried;
    for (const [code, count] of Object.entries(counters.byError)) this.byError[code] = (this.byError[code] ?? 0) + count;
    for (; this.finalThrough < index - FINAL_AFTER_INTERVALS; this.finalThrough++) {
      const final = this.intervals.get(this.finalThrough + 1);
      if (!final?.histogram) continue;
      summarizePercentiles(final);
      final.histogram = undefined;
    }
  }

  /** One lock-sampler sample: counted under its interval, and kept as the latest for the blocking view. */
  addLockSample(sample: LockSample): void {
    this.latestSample = sample;
    if (this.startAtMs === undefined || sample.atMs < this.startAtMs) return;
    const index = Math.floor((sample.atMs - this.startAtMs) / this.info.intervalMs);
    let totals = this.lockIntervals.get(index);
    if (!totals) this.lockIntervals.set(index, (totals = { sessionSamples: 0, byEvent: {} }));
    for (const session of sample.sessions) {
      const category = categoryOf(session);
      for (const t of [totals, this.lockRun]) {
        t.sessionSamples++;
        t.byEvent[category] = (t.byEvent[category] ?? 0) + 1;
      }
    }
  }

  setLost(lost: Iterable<number>): void {
    this.lost = new Set(lost);
  }

  finish(end: LiveEnd): void {
    this.end = end;
  }

  snapshot(nowMs: number): LiveSnapshot {
    const intervals = this.intervalSummaries(nowMs);
    const latestComplete = intervals.filter((i) => this.startAtMs === undefined || this.startAtMs + (i.t * 1000 + this.info.intervalMs) <= nowMs);
    return {
      info: this.info,
      phase: this.end ? 'finished' : this.startAtMs === undefined ? 'starting' : 'running',
      elapsedSeconds: this.startAtMs === undefined ? 0 : Math.max(0, (nowMs - this.startAtMs) / 1000),
      ops: { ok: this.ok, failed: this.failed, rejected: this.rejected, retried: this.retried },
      byError: { ...this.byError },
      intervals,
      latest: (latestComplete.length > 0 ? latestComplete : intervals).at(-1),
      latencyMs: summarizeMs(this.latency),
      latency: this.latency,
      workers: this.workers(),
      blocking: this.latestSample && blockingOf(this.latestSample.sessions),
      lockWaitShares: sharesOf(this.lockRun.byEvent, this.lockRun.sessionSamples),
      end: this.end,
    };
  }

  private intervalSummaries(nowMs: number): IntervalSummary[] {
    const out: IntervalSummary[] = [];
    const { intervalMs } = this.info;
    for (const index of [...this.intervals.keys()].sort((a, b) => a - b)) {
      const totals = this.intervals.get(index)!;
      if (!totals.summary) {
        const start = (this.startAtMs ?? 0) + index * intervalMs;
        // The interval still under way counts the time it has had so far, not a whole interval.
        const seconds = Math.max(0.001, Math.min(intervalMs, nowMs - start) / 1000);
        if (totals.histogram) summarizePercentiles(totals);
        totals.summary = {
          t: (index * intervalMs) / 1000,
          ok: totals.ok,
          failed: totals.failed,
          opsPerSec: Math.round((totals.ok / seconds) * 10) / 10,
          p50Ms: totals.p50Ms ?? 0,
          p99Ms: totals.p99Ms ?? 0,
          maxMs: totals.maxMs ?? 0,
        };
      }
      const locks = this.lockIntervals.get(index);
      out.push(locks && locks.sessionSamples > 0 ? { ...totals.summary, lockWaits: sharesOf(locks.byEvent, locks.sessionSamples) } : totals.summary);
    }
    return out;
  }

  private workers(): LiveWorker[] {
    const byWorker = new Map<string, { sessions: number; active: number; done: number; lost: number }>();
    this.info.assignment.forEach((id, session) => {
      let w = byWorker.get(id);
      if (!w) byWorker.set(id, (w = { sessions: 0, active: 0, done: 0, lost: 0 }));
      w.sessions++;
      if (this.done.has(session)) w.done++;
      else if (this.lost.has(session)) w.lost++;
      else if (this.started.has(session)) w.active++;
    });
    return [...byWorker].map(([id, w]) => ({ id, ...w }));
  }
}

/** Blocked sessions in one sample and its longest wait chain, followed from the deepest waiter. */
export function blockingOf(sessions: readonly SessionSample[]): LiveBlocking {
  const depths = chainDepths(sessions);
  let deepest: number | undefined;
  for (const [pid, depth] of depths) if (deepest === undefined || depth > depths.get(deepest)!) deepest = pid;
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const chain: number[] = [];
  for (let pid = deepest; pid !== undefined && !chain.includes(pid); ) {
    chain.push(pid);
    const blockers = byPid.get(pid)?.blockingPids ?? [];
    // Follow the blocker that is itself deepest in its chain: that is the longest way to the root.
    pid = [...blockers].sort((a, b) => (depths.get(b) ?? 0) - (depths.get(a) ?? 0))[0];
  }
  return { blocked: sessions.filter(isWaitingOnLock).length, longestChain: chain };
}
