import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { Type } from '@sinclair/typebox';
import { Count, Finite, type Contract } from './protocol/contract-schema.ts';

/**
 * Latency histograms: integer microseconds, 1 µs to 1 h, 3 significant digits
 * (docs/architecture.md#measurement). JS histograms only: WASM ones cannot be added to JS ones, and
 * JS recording is fast enough.
 */
export type { Histogram };

export const LOWEST_US = 1;
export const HIGHEST_US = 3_600_000_000;
export const SIGNIFICANT_DIGITS = 3;
const BIT_BUCKET_SIZE = 32;

export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    bitBucketSize: BIT_BUCKET_SIZE,
    useWebAssembly: false,
    autoResize: false,
  });
}

/** Records a latency, clamped into the trackable range so an outlier never throws. */
export function recordMicros(histogram: Histogram, micros: number): void {
  const value = Math.min(HIGHEST_US, Math.max(LOWEST_US, Math.round(micros)));
  histogram.recordValue(value);
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, BIT_BUCKET_SIZE, false);
}

/** Adds histograms (never averages percentiles); returns a new histogram. */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const merged = createHistogram();
  for (const h of histograms) merged.add(h);
  return merged;
}

export function mergeEncoded(encoded: Iterable<string>): Histogram {
  const merged = createHistogram();
  for (const e of encoded) merged.add(decodeHistogram(e));
  return merged;
}

/** The latency block of run.json (`latencyMs`, `serviceTimeMs`), in milliseconds: summarizeMs. */
export const LatencySummaryMsSchema = Type.Object({
  count: Count(),
  min: Finite(),
  mean: Finite(),
  stdev: Finite(),
  p50: Finite(),
  p90: Finite(),
  p95: Finite(),
  p99: Finite(),
  p999: Finite(),
  max: Finite(),
});
export type LatencySummaryMs = Contract<typeof LatencySummaryMsSchema>;

const ms = (micros: number): number => Math.round(micros) / 1000;

export function summarizeMs(histogram: Histogram): LatencySummaryMs {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    count,
    min: ms(histogram.minNonZeroValue),
    mean: ms(histogram.mean),
    stdev: ms(histogram.stdDeviation),
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
  };
}

/**
 * p50, p99 and max (ms): what an interval's summary shows. summarizeMs's mean and standard deviation
 * each walk every recorded value (about 6 ms for a 10,000-session interval, each interval); two
 * percentiles and the max cost about 0.05 ms.
 */
export function intervalPercentilesMs(histogram: Histogram): { p50: number; p99: number; max: number } {
  if (histogram.totalCount === 0) return { p50: 0, p99: 0, max: 0 };
  return { p50: ms(histogram.getValueAtPercentile(50)), p99: ms(histogram.getValueAtPercentile(99)), max: ms(histogram.maxValue) };
}

/** HdrHistogram's percentile distribution text (the .hgrm format), values in milliseconds. */
export function percentileDistribution(histogram: Histogram): string {
  return histogram.outputPercentileDistribution(5, 1000);
}

/**
 * How many recorded values are at or below each bound (µs, ascending): the cumulative buckets of a
 * Prometheus histogram, read from the HDR histogram's own recorded values (each counted at the
 * highest value equivalent to it, so a bound never splits a bucket of equivalent values).
 */
export function countsAtOrBelow(histogram: Histogram, boundsUs: readonly number[]): number[] {
  const counts = boundsUs.map(() => 0);
  if (!(histogram instanceof hdr.JsHistogram)) throw new Error('countsAtOrBelow reads JS histograms only (createHistogram builds them)');
  const values = histogram.recordedValuesIterator;
  values.reset();
  while (values.hasNext()) {
    const step = values.next();
    const top = histogram.highestEquivalentValue(step.valueIteratedTo);
    for (let b = boundsUs.length - 1; b >= 0 && boundsUs[b] >= top; b--) counts[b] += step.countAtValueIteratedTo;
  }
  return counts;
}
