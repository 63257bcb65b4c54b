import { createHistogram, encodeHistogram, type Histogram } from '../shared/histogram.ts';
import type { OperationCounters, SessionIntervalPart, WorkerInterval } from '../shared/protocol/messages.ts';
import { PHASE_NAMES } from '../shared/phases.ts';

/** The measurement fields of an interval event, encoded. */
export type IntervalMeasurements = Pick<WorkerInterval, 'counters' | 'latency' | 'serviceTime' | 'phases' | 'maxLagMs' | 'lastEndMs'>;

/**
 * One interval of several sessions of a run on this worker, added up as they hand it over: the
 * histograms added (never averaged) and the counters summed, plus each session's own part. Encoded
 * once, into one event (worker/interval-merger.ts).
 */
export class MergedInterval {
  private ok = 0;
  private failed = 0;
  private rejected = 0;
  private retried = 0;
  private dropped = 0;
  private readonly byError: Record<string, number> = {};
  private readonly latency: Histogram = createHistogram();
  private serviceTime: Histogram | undefined;
  /** Per phase index (shared/phases.ts), created when a session brings that phase. */
  private readonly phases: Array<Histogram | undefined> = PHASE_NAMES.map(() => undefined);
  private maxLagMs: number | undefined;
  private lastEndMs: number | undefined;
  readonly sessions: SessionIntervalPart[] = [];

  addCounters(counters: OperationCounters): void {
    this.ok += counters.ok;
    this.failed += counters.failed;
    this.rejected += counters.rejected ?? 0;
    this.retried += counters.retried;
    this.dropped += counters.dropped ?? 0;
    for (const code in counters.byError) this.byError[code] = (this.byError[code] ?? 0) + counters.byError[code]!;
  }

  addLatency(latency: Histogram): void {
    this.latency.add(latency);
  }

  /** Open loop: service time and the largest schedule lag. */
  addServiceTime(serviceTime: Histogram, maxLagMs: number): void {
    (this.serviceTime ??= createHistogram()).add(serviceTime);
    this.maxLagMs = Math.max(this.maxLagMs ?? 0, maxLagMs);
  }

  addPhase(phase: number, histogram: Histogram): void {
    (this.phases[phase] ??= createHistogram()).add(histogram);
  }

  addSession(part: SessionIntervalPart, lastEndMs: number | undefined): void {
    this.sessions.push(part);
    if (lastEndMs !== undefined) this.lastEndMs = Math.max(this.lastEndMs ?? lastEndMs, lastEndMs);
  }

  measurements(): IntervalMeasurements {
    let phases: Record<string, string> | undefined;
    this.phases.forEach((histogram, phase) => {
      if (histogram && histogram.totalCount > 0) (phases ??= {})[PHASE_NAMES[phase]!] = encodeHistogram(histogram);
    });
    return {
      counters: {
        ok: this.ok,
        failed: this.failed,
        ...(this.rejected > 0 && { rejected: this.rejected }),
        retried: this.retried,
        ...(this.dropped > 0 && { dropped: this.dropped }),
        byError: { ...this.byError },
      },
      latency: encodeHistogram(this.latency),
      ...(phases && { phases }),
      ...(this.serviceTime && { serviceTime: encodeHistogram(this.serviceTime), maxLagMs: this.maxLagMs }),
      ...(this.lastEndMs !== undefined && { lastEndMs: this.lastEndMs }),
    };
  }
}
