import { createHistogram, recordMicros, type Histogram } from '../shared/histogram.ts';
import type { OperationCounters } from '../shared/protocol/messages.ts';
import type { OperationOutcome } from '../shared/workload/contracts.ts';
import { PHASE_NAMES } from '../shared/phases.ts';
import type { MergedInterval } from './merged-interval.ts';

class Counters {
  ok = 0;
  failed = 0;
  rejected = 0;
  retried = 0;
  dropped = 0;
  byError: Record<string, number> = {};

  add(outcome: OperationOutcome): void {
    if (outcome.ok) this.ok++;
    else if (outcome.rejected) this.rejected++;
    else this.failed++;
    this.retried += outcome.tries - 1;
    for (const code of outcome.failedCodes) this.byError[code] = (this.byError[code] ?? 0) + 1;
  }

  snapshot(): OperationCounters {
    return {
      ok: this.ok,
      failed: this.failed,
      ...(this.rejected > 0 && { rejected: this.rejected }),
      retried: this.retried,
      ...(this.dropped > 0 ? { dropped: this.dropped } : {}),
      byError: { ...this.byError },
    };
  }

  reset(): void {
    this.ok = 0;
    this.failed = 0;
    this.rejected = 0;
    this.retried = 0;
    this.dropped = 0;
    this.byError = {};
  }
}

/**
 * What a session measured: counters for the whole session, and histograms plus counters for the
 * current interval, added into its worker's interval (MergedInterval) and reset at every interval boundary. Only recorded operations (after
 * warm-up) come here. Invariants: operations = ok + failed + rejected; retried counts extra tries, not
 * operations; dropped counts scheduled operations that never started (open loop, at the end of
 * --duration), apart from the operations; the latency histogram holds one value per ok operation
 * (the whole operation); a phase histogram holds one value per ok operation that went through the
 * phase in its successful try (shared/phases.ts), so phases never add values to the latency histogram.
 */
export class SessionRecorder {
  private readonly total = new Counters();
  private readonly interval = new Counters();
  private readonly latency: Histogram = createHistogram();
  /** Open loop only: service time apart from latency, and how far starts fell behind the schedule. */
  private readonly serviceTime: Histogram | undefined;
  private maxLagMs = 0;
  /** Per phase index, created the first time the phase records (a session sees few of the phases). */
  private readonly phases: Array<Histogram | undefined> = PHASE_NAMES.map(() => undefined);

  constructor(openLoop: boolean) {
    this.serviceTime = openLoop ? createHistogram() : undefined;
  }

  /**
   * latencyMicros: from the planned start (open loop) or the actual start (closed loop).
   * phaseMicros: the successful try's time per phase index, below zero where it did not go (PhaseClock).
   */
  record(outcome: OperationOutcome, latencyMicros: number, serviceMicros: number, lagMs: number, phaseMicros?: Float64Array): void {
    this.total.add(outcome);
    this.interval.add(outcome);
    if (outcome.ok) {
      recordMicros(this.latency, latencyMicros);
      if (this.serviceTime) recordMicros(this.serviceTime, serviceMicros);
      if (phaseMicros) this.recordPhases(phaseMicros);
    }
    if (lagMs > this.maxLagMs) this.maxLagMs = lagMs;
  }

  private recordPhases(phaseMicros: Float64Array): void {
    for (let phase = 0; phase < phaseMicros.length; phase++) {
      const micros = phaseMicros[phase]!;
      if (micros < 0) continue;
      recordMicros((this.phases[phase] ??= createHistogram()), micros);
    }
  }

  /** Scheduled operations that never started: not operations, counted apart. */
  drop(count: number): void {
    this.total.dropped += count;
    this.interval.dropped += count;
  }

  /** Operations recorded so far (ok + failed + rejected). */
  get operations(): number {
    return this.total.ok + this.total.failed + this.total.rejected;
  }

  /** Whether the current interval recorded any operation (or dropped one). */
  get hasIntervalData(): boolean {
    return this.interval.ok + this.interval.failed + this.interval.rejected + this.interval.dropped > 0;
  }

  totals(): OperationCounters {
    return this.total.snapshot();
  }

  /**
   * Adds the current interval's measurements into the worker's interval and starts the next one;
   * returns the operations the interval recorded (ok + failed + rejected).
   */
  drainInterval(into: MergedInterval): number {
    const { interval } = this;
    into.addCounters(interval.snapshot());
    into.addLatency(this.latency);
    if (this.serviceTime) into.addServiceTime(this.serviceTime, this.maxLagMs);
    this.phases.forEach((histogram, phase) => {
      if (!histogram || histogram.totalCount === 0) return;
      into.addPhase(phase, histogram);
      histogram.reset();
    });
    const operations = interval.ok + interval.failed + interval.rejected;
    interval.reset();
    this.latency.reset();
    this.serviceTime?.reset();
    this.maxLagMs = 0;
    return operations;
  }
}
