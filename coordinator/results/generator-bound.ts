import type { GeneratorInterval } from './run-report-sections.ts';

/**
 * When the load generator, not the server, limited a run (docs/architecture.md#generator-health).
 *
 * A worker interval is *saturated* when
 * - its event-loop delay p99 reached LAGGING_EVENT_LOOP_P99_MS: at least 1% of the loop's turns in
 *   that interval were held up that long, and every operation that completed behind one of them had
 *   the delay added to its measured latency; or
 * - its CPU use reached SATURATED_CPU_SHARE of one core: a Node process runs its JavaScript (the
 *   sessions' loops, node-postgres's parsing, the histograms) on one thread, so near a full core
 *   callbacks queue up and latencies include the generator's own waiting.
 * Only intervals measured for at least JUDGED_SHARE_OF_INTERVAL of an interval are judged (a run's
 * last, partial interval gives a CPU share over a few milliseconds), and none wholly in warm-up.
 *
 * A measurement that covers several intervals (the timer itself was held up that long) counts for
 * as many intervals as it spans.
 *
 * A run is *generator-bound* when some worker was saturated in at least MIN_SATURATED_INTERVALS
 * intervals and in more than BOUND_SHARE_OF_INTERVALS of its judged intervals: one hiccup (a garbage
 * collection, a scheduler stall on a shared host, the burst at the common start) is tolerated, and so
 * are a few in a long run; a worker that cannot keep up for a tenth of the run is not. The
 * coordinator's figures are shown but not judged: it measures no latency.
 */

export const LAGGING_EVENT_LOOP_P99_MS = 50;
export const SATURATED_CPU_SHARE = 0.9;
export const JUDGED_SHARE_OF_INTERVAL = 0.5;
export const BOUND_SHARE_OF_INTERVALS = 0.1;
export const MIN_SATURATED_INTERVALS = 2;

export const GENERATOR_BOUND_RULE =
  `a worker saturated (event-loop delay p99 >= ${LAGGING_EVENT_LOOP_P99_MS} ms or CPU >= ${SATURATED_CPU_SHARE * 100}% of one core) ` +
  `in at least ${MIN_SATURATED_INTERVALS} and more than ${BOUND_SHARE_OF_INTERVALS * 100}% of its judged intervals`;

export type HealthFigures = Pick<GeneratorInterval, 'cpu' | 'eventLoopDelayMs'>;

export function isSaturated(figures: HealthFigures): boolean {
  return figures.eventLoopDelayMs.p99 >= LAGGING_EVENT_LOOP_P99_MS || figures.cpu >= SATURATED_CPU_SHARE;
}

/** How many intervals a measurement counts for: those it spans (at least one). */
export function intervalsSpanned(wallMs: number, intervalMs: number): number {
  return Math.max(1, Math.round(wallMs / intervalMs));
}

/** Whether an interval's measurement is long enough, and late enough, to be judged. */
export function isJudged(wallMs: number, intervalEndMs: number, window: { readonly intervalMs: number; readonly recordFromMs: number }): boolean {
  return wallMs >= JUDGED_SHARE_OF_INTERVAL * window.intervalMs && intervalEndMs > window.recordFromMs;
}

/** Whether a process with these counts binds the run. */
export function bindsRun(saturatedIntervals: number, judgedIntervals: number): boolean {
  return saturatedIntervals >= MIN_SATURATED_INTERVALS && saturatedIntervals > BOUND_SHARE_OF_INTERVALS * judgedIntervals;
}
