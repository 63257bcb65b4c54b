import type { LoopOptions } from '../shared/run-config.ts';
import type { RandomStream } from '../shared/random.ts';

/**
 * When a session's next operation is planned to start (shared-clock ms).
 * - closed loop: the first at the common start, then each one a think time after the previous one
 *   ended, the think time uniform in [thinkMinMs, thinkMaxMs] from the session's own 'think' stream;
 * - open loop: a fixed schedule of ratePerSession operations per second, whatever the previous one
 *   took. Latency is then measured from the planned start (no coordinated omission). Each session's
 *   schedule is shifted by sessionId/sessionCount of a period, so that a run's sessions do not all
 *   fire at the same instants.
 *
 * An open loop's schedule is a promise the run may not keep: when the server cannot keep up, the
 * operations still owed when the run's duration ends are dropped, not run late (`scheduledBetween`
 * counts them). A closed loop plans nothing ahead, so it never owes any.
 */
export interface Pacer {
  /** True when latency counts from the planned start (open loop). */
  readonly fromPlannedStart: boolean;
  /** Planned start of operation n (0-based); `previousEndMs` is when operation n-1 ended. */
  plannedStartMs(n: number, previousEndMs: number): number;
  /** How many operations from n on are planned in [fromMs, toMs): 0 in closed loop. */
  scheduledBetween(n: number, fromMs: number, toMs: number): number;
}

export function createPacer(
  loop: LoopOptions,
  startAtMs: number,
  sessionId: number,
  sessionCount: number,
  think: RandomStream,
): Pacer {
  if (loop.mode === 'open') {
    const periodMs = 1000 / loop.ratePerSession;
    const firstMs = startAtMs + (periodMs * sessionId) / sessionCount;
    const plannedStartMs = (n: number): number => firstMs + n * periodMs;
    // The first k with plannedStartMs(k) >= atMs, computed as the loop compares (no rounding surprise).
    const firstAtOrAfter = (atMs: number): number => {
      let k = Math.max(0, Math.ceil((atMs - firstMs) / periodMs));
      while (k > 0 && plannedStartMs(k - 1) >= atMs) k--;
      while (plannedStartMs(k) < atMs) k++;
      return k;
    };
    return {
      fromPlannedStart: true,
      plannedStartMs,
      scheduledBetween: (n, fromMs, toMs) => Math.max(0, firstAtOrAfter(toMs) - Math.max(n, firstAtOrAfter(fromMs))),
    };
  }
  const { thinkMinMs, thinkMaxMs } = loop;
  const spread = thinkMaxMs - thinkMinMs;
  return {
    fromPlannedStart: false,
    scheduledBetween: () => 0,
    plannedStartMs: (n, previousEndMs) => {
      if (n === 0) return startAtMs;
      if (thinkMaxMs === 0) return previousEndMs;
      return previousEndMs + thinkMinMs + think.next() * spread;
    },
  };
}
