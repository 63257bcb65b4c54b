import seedrandom from 'seedrandom';

/**
 * The statistics behind compare's verdicts (docs/architecture.md#comparing-runs), pure and seeded:
 * the same inputs and seed give the same interval and verdict.
 *
 * Two methods, chosen by what the groups hold:
 * - between runs (both groups have ≥ 2 repeats): each run one observation; the difference of the
 *   group means with Welch's t interval (unequal variances, Welch–Satterthwaite degrees of freedom).
 *   Run-to-run spread (server drift, caches, other load) is what decides, and repeats are independent.
 * - within runs (a group with a single run): a circular block bootstrap over per-second intervals.
 *   Consecutive seconds are correlated (a lock queue lasts longer than a second), so whole blocks of
 *   ⌈√n⌉ intervals are resampled rather than single seconds, which would understate the spread.
 *   Each group is resampled on its own; the replicated differences give the standard error, and the
 *   interval is the difference ± t(0.975, 1.5 (blocks − 1)) standard errors (percentile intervals
 *   of so few blocks came out too narrow: 87% coverage on synthetic correlated data instead of 95%).
 */

export type Verdict = 'better' | 'worse' | 'no-difference';
export type Direction = 'higher' | 'lower';
export type Method = 'between-runs' | 'block-bootstrap';

export interface DifferenceEstimate {
  readonly baseline: number;
  readonly value: number;
  /** value − baseline, in the metric's unit. */
  readonly difference: number;
  readonly ci95: readonly [number, number];
}

export const DEFAULT_REPLICATES = 1000;

/** A uniform [0, 1) stream from a text seed (seedrandom xor4096, as shared/random.ts). */
export function seededUniform(seed: string): () => number {
  const prng = seedrandom.xor4096(`refswarm-compare:${seed}`);
  return () => prng.double();
}

/**
 * Block length: ⌈√n⌉, long enough to keep most of the correlation of a few-second lock queue inside
 * a block, but at most n/3 so that even a short run has three blocks to resample.
 */
export function blockLength(n: number): number {
  return Math.max(1, Math.min(Math.ceil(Math.sqrt(n)), Math.floor(n / 3)));
}

/** Consecutive intervals start, start + 1, … (wrapping around the end), `length` of them. */
export interface Block {
  readonly start: number;
  readonly length: number;
}

/**
 * A per-interval series to resample: its length, and its statistics (one or more, e.g. p50 and p99
 * of one merged histogram) over a sample given as blocks, so that a series may cache per block.
 */
export interface BootstrapSeries {
  readonly length: number;
  readonly statistics: (blocks: readonly Block[]) => readonly number[];
}

/** A series over plain items: its statistics see the resampled items in order. */
export function itemSeries<T>(items: readonly T[], statistics: (sample: readonly T[]) => readonly number[]): BootstrapSeries {
  return { length: items.length, statistics: (blocks) => statistics(blockItems(items, blocks)) };
}

export function blockItems<T>(items: readonly T[], blocks: readonly Block[]): T[] {
  const sample: T[] = [];
  for (const { start, length } of blocks) for (let k = 0; k < length; k++) sample.push(items[(start + k) % items.length]);
  return sample;
}

/** The whole series as one block: the point estimate. */
export const wholeSeries = (n: number): Block[] => [{ start: 0, length: n }];

/** One circular block-bootstrap resample of n intervals: blocks from random starts, the last one cut so the sample has n. */
export function blockResample(n: number, length: number, random: () => number): Block[] {
  const blocks: Block[] = [];
  for (let taken = 0; taken < n; taken += length) blocks.push({ start: Math.floor(random() * n), length: Math.min(length, n - taken) });
  return blocks;
}

/**
 * Each statistic of `series` minus the same of `baseline`, with a 95% percentile interval from
 * `replicates` block-bootstrap resamples of each side. Both series need at least one interval.
 */
export function bootstrapDifferences(
  baseline: BootstrapSeries,
  series: BootstrapSeries,
  seed: string,
  replicates: number = DEFAULT_REPLICATES,
): DifferenceEstimate[] {
  if (baseline.length === 0 || series.length === 0) throw new Error('bootstrapDifferences needs at least one interval on each side');
  const random = seededUniform(seed);
  const base = baseline.statistics(wholeSeries(baseline.length));
  const values = series.statistics(wholeSeries(series.length));
  const baseBlock = blockLength(baseline.length);
  const block = blockLength(series.length);
  const replicated = base.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    const resampled = series.statistics(blockResample(series.length, block, random));
    const resampledBase = baseline.statistics(blockResample(baseline.length, baseBlock, random));
    for (let i = 0; i < base.length; i++) replicated[i][r] = resampled[i] - resampledBase[i];
  }
  // Few blocks make a rough standard error: a t quantile on the degrees of freedom of overlapping
  // batch means, 1.5 (n/L − 1), of the shorter side, and the blocks' variance correction
  // √(b/(b − 1)), keep short runs honest.
  const blocks = Math.min(baseline.length / baseBlock, series.length / block);
  const widen = blocks > 1 ? tQuantile975(1.5 * (blocks - 1)) * Math.sqrt(blocks / (blocks - 1)) : tQuantile975(1);
  return base.map((b, i) => {
    const difference = values[i] - b;
    const half = widen * Math.sqrt(meanAndVariance(replicated[i]).variance);
    return { baseline: b, value: values[i], difference, ci95: [difference - half, difference + half] };
  });
}

/** bootstrapDifferences for one statistic of plain items. */
export function bootstrapDifference<T>(
  baselineItems: readonly T[],
  items: readonly T[],
  statistic: (sample: readonly T[]) => number,
  seed: string,
  replicates: number = DEFAULT_REPLICATES,
): DifferenceEstimate {
  const one = (sample: readonly T[]): number[] => [statistic(sample)];
  return bootstrapDifferences(itemSeries(baselineItems, one), itemSeries(items, one), seed, replicates)[0];
}

/** Difference of the means with Welch's 95% t interval; each side needs ≥ 2 values. */
export function welchDifference(baselineValues: readonly number[], values: readonly number[]): DifferenceEstimate {
  if (baselineValues.length < 2 || values.length < 2) throw new Error('welchDifference needs at least two runs on each side');
  const a = meanAndVariance(baselineValues);
  const b = meanAndVariance(values);
  const va = a.variance / baselineValues.length;
  const vb = b.variance / values.length;
  const standardError = Math.sqrt(va + vb);
  const difference = b.mean - a.mean;
  if (standardError === 0) return { baseline: a.mean, value: b.mean, difference, ci95: [difference, difference] };
  const df = (va + vb) ** 2 / (va ** 2 / (baselineValues.length - 1) + vb ** 2 / (values.length - 1));
  const half = tQuantile975(df) * standardError;
  return { baseline: a.mean, value: b.mean, difference, ci95: [difference - half, difference + half] };
}

/** better/worse only when the whole interval lies on one side of zero; lower or higher is better per metric. */
export function verdictOf(ci95: readonly [number, number], better: Direction): Verdict {
  if (ci95[0] > 0) return better === 'higher' ? 'better' : 'worse';
  if (ci95[1] < 0) return better === 'higher' ? 'worse' : 'better';
  return 'no-difference';
}

export function mean(values: ArrayLike<number> & Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

export function meanAndVariance(values: ArrayLike<number> & Iterable<number>): { mean: number; variance: number } {
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return { mean: m, variance: values.length < 2 ? 0 : squares / (values.length - 1) };
}

/** Linear interpolation between order statistics of a sorted sample (type 7, as R's default). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Student's t 0.975 quantiles by degrees of freedom (standard tables). */
const T975: ReadonlyArray<readonly [number, number]> = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262], [10, 2.228],
  [12, 2.179], [15, 2.131], [20, 2.086], [25, 2.06], [30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98],
];

/**
 * t(0.975, df) for a fractional Welch df: the table value at the next lower tabulated df, so the
 * interval is never narrower than the exact one (at most 3% wider between table rows).
 */
export function tQuantile975(df: number): number {
  for (let i = T975.length - 1; i >= 0; i--) if (df >= T975[i][0]) return T975[i][1];
  return T975[0][1];
}
