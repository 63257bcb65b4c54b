import type { RunLimits } from '../shared/run-config.ts';

/**
 * When a session records and when it ends, on the shared clock (epoch ms). Warm-up is by time: the
 * operations planned before `recordFromMs` run but are not recorded; `--duration` is measured from
 * there. Intervals are aligned to the run's common start: interval k covers
 * [startAtMs + k·intervalMs, startAtMs + (k+1)·intervalMs).
 */
export interface SessionTimeline {
  readonly startAtMs: number;
  readonly recordFromMs: number;
  /** No operation is planned at or after this instant; Infinity with an iteration limit. */
  readonly endAtMs: number;
  readonly intervalMs: number;
}

export function sessionTimeline(startAtMs: number, limits: RunLimits, intervalMs: number): SessionTimeline {
  const recordFromMs = startAtMs + limits.warmupMs;
  const endAtMs = limits.durationMs === undefined ? Number.POSITIVE_INFINITY : recordFromMs + limits.durationMs;
  return { startAtMs, recordFromMs, endAtMs, intervalMs };
}

export function intervalIndexAt(timeline: SessionTimeline, atMs: number): number {
  return Math.max(0, Math.floor((atMs - timeline.startAtMs) / timeline.intervalMs));
}

export function intervalEndMs(timeline: SessionTimeline, index: number): number {
  return timeline.startAtMs + (index + 1) * timeline.intervalMs;
}

/** Whether interval `index` overlaps the recorded window (intervals wholly inside warm-up are not sent). */
export function isRecordedInterval(timeline: SessionTimeline, index: number): boolean {
  const from = timeline.startAtMs + index * timeline.intervalMs;
  return intervalEndMs(timeline, index) > timeline.recordFromMs && from < timeline.endAtMs;
}
