import type { Histogram } from '../../shared/histogram.ts';
import { percentileDistribution } from '../../shared/histogram.ts';

/**
 * The latency percentile spectrum (value at each percentile, as HdrHistogram's .hgrm lists it).
 * The report draws it on a log scale of 1/(1-p). One source for both paths: a run's merged histogram
 * at the end of a run, and latency.hgrm when `refswarm report` re-renders a run's directory.
 */

export interface SpectrumPoint {
  /** Fraction 0..1. */
  readonly percentile: number;
  readonly valueMs: number;
  readonly totalCount: number;
}

/** Parses the .hgrm text (values already in milliseconds, as shared/histogram.ts writes them). */
export function spectrumFromHgrm(text: string): SpectrumPoint[] {
  const points: SpectrumPoint[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) continue;
    const [value, percentile, totalCount] = fields.map(Number);
    if (![value, percentile, totalCount].every(Number.isFinite)) continue;
    if (percentile < 0 || percentile > 1) continue;
    points.push({ percentile, valueMs: value, totalCount });
  }
  return points;
}

export function spectrumFromHistogram(histogram: Histogram): SpectrumPoint[] {
  return histogram.totalCount === 0 ? [] : spectrumFromHgrm(percentileDistribution(histogram));
}
