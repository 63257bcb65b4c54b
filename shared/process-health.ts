import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * How hard this process works, measured in windows (one per interval): its event-loop delay and its
 * CPU use. A load generator whose event loop lags adds that lag to every latency it measures, and one
 * that saturates its core measures itself rather than the server (docs/architecture.md#generator-health).
 *
 * Event-loop delay comes from perf_hooks.monitorEventLoopDelay: a timer every RESOLUTION_MS records
 * how long it actually took to fire; the resolution itself is subtracted, so an idle loop reads about 0.
 * CPU use is process.cpuUsage() (user + system, every thread of the process) over wall time: a share
 * of one core, which can exceed 1 when the garbage collector's or libuv's threads work in parallel.
 */

const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

/** One window's figures. */
export interface ProcessHealthSample {
  /** Wall time the window covered, ms. */
  readonly wallMs: number;
  /** CPU time the process used in it (user + system), ms. */
  readonly cpuMs: number;
  /** Event-loop delay beyond the timer's resolution, ms. */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface ProcessHealthMeter {
  /** The figures since the previous take (or since the meter started), and a fresh window. */
  take(): ProcessHealthSample;
  stop(): void;
}

export function startProcessHealthMeter(): ProcessHealthMeter {
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let since = performance.now();
  let cpu = process.cpuUsage();
  return {
    take() {
      const now = performance.now();
      const used = process.cpuUsage(cpu);
      const wallMs = now - since;
      const sample: ProcessHealthSample = {
        wallMs: round3(wallMs),
        cpuMs: round3((used.user + used.system) / 1000),
        eventLoopDelayMs: delay.count > 0 ? delayFigures(delay) : heldThroughout(wallMs),
      };
      delay.reset();
      since = now;
      cpu = process.cpuUsage();
      return sample;
    },
    stop() {
      delay.disable();
    },
  };
}

/** CPU use as a share of one core (0 when the window is empty). */
export function cpuShare(sample: Pick<ProcessHealthSample, 'wallMs' | 'cpuMs'>): number {
  return sample.wallMs > 0 ? sample.cpuMs / sample.wallMs : 0;
}

function delayFigures(delay: IntervalHistogram): ProcessHealthSample['eventLoopDelayMs'] {
  return { p50: beyondResolution(delay.percentile(50)), p99: beyondResolution(delay.percentile(99)), max: beyondResolution(delay.max) };
}

/**
 * The monitor's timer never fired in the window: over more than two of its periods, the loop was
 * held the whole time (a session loop that never yields to timers does that), which the histogram
 * cannot show. Counted as one delay as long as the window.
 */
function heldThroughout(wallMs: number): ProcessHealthSample['eventLoopDelayMs'] {
  const held = wallMs > 2 * RESOLUTION_MS ? round3(wallMs - RESOLUTION_MS) : 0;
  return { p50: held, p99: held, max: held };
}

function beyondResolution(nanoseconds: number): number {
  return round3(Math.max(0, nanoseconds / NS_PER_MS - RESOLUTION_MS));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
