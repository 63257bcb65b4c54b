import type { SharedClock } from './redis-clock.ts';
import { startProcessHealthMeter, type ProcessHealthMeter, type ProcessHealthSample } from './process-health.ts';

/**
 * This process's health (process-health.ts) sampled per interval of a run: from the common start,
 * at every interval boundary of the shared clock (interval k covers [startAt + k·intervalMs,
 * startAt + (k+1)·intervalMs)), and once more, partial, when stopped. Workers and the coordinator
 * measure themselves the same way (docs/architecture.md#generator-health).
 */

/**
 * The meter starts this long before the common start: sessions wake up for the start on timers due
 * just before it, and a session loop that never yields would otherwise keep the meter's own timer
 * from firing until it is over, and the window that held the loop would never be measured.
 */
const METER_LEAD_MS = 20;

export interface IntervalHealthSampler {
  /** Stops sampling; sends the last, partial interval if sampling had begun. Idempotent. */
  stop(): void;
}

export function sampleHealthPerInterval(
  clock: SharedClock,
  startAtMs: number,
  intervalMs: number,
  onSample: (index: number, sample: ProcessHealthSample) => void,
): IntervalHealthSampler {
  let meter: ProcessHealthMeter | undefined;
  let stopped = false;
  let index = 0;
  const indexAt = (atMs: number): number => Math.max(0, Math.floor((atMs - startAtMs) / intervalMs));
  const untilEndOf = (k: number): number => Math.max(0, startAtMs + (k + 1) * intervalMs - clock.now());
  const tick = (): void => {
    onSample(index, meter!.take());
    // A late timer (the very lag measured) skips the intervals it missed: they are in this sample.
    index = Math.max(index + 1, indexAt(clock.now()));
    timer = setTimeout(tick, untilEndOf(index));
  };
  let timer = setTimeout(() => {
    meter = startProcessHealthMeter();
    index = indexAt(clock.now());
    timer = setTimeout(tick, untilEndOf(index));
  }, Math.max(0, startAtMs - METER_LEAD_MS - clock.now()));
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      if (!meter) return;
      onSample(index, meter.take());
      meter.stop();
    },
  };
}
