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
 */
export interface Pacer {
  /** True when latency counts from the planned start (open loop). */
  readonly fromPlannedStart: boolean;
  /** Planned start of operation n (0-based); `previousEndMs` is when operation n-1 ended. */
  plannedStartMs(n: number, previousEndMs: number): number;
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
    return { fromPlannedStart: true, plannedStartMs: (n) => firstMs + n * periodMs };
  }
  const { thinkMinMs, thinkMaxMs } = loop;
  const spread = thinkMaxMs - thinkMinMs;
  return {
    fromPlannedStart: false,
    plannedStartMs: (n, previousEndMs) => {
      if (n === 0) return startAtMs;
      if (thinkMaxMs === 0) return previousEndMs;
      return previousEndMs + thinkMinMs + think.next() * spread;
    },
  };
}
