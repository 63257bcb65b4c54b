import test from 'ava';
import {
  blockLength,
  blockResample,
  bootstrapDifference,
  mean,
  seededUniform,
  tQuantile975,
  verdictOf,
  welchDifference,
  type Verdict,
} from '../../../coordinator/compare/statistics.ts';

/** Normal draws (Box–Muller) from a seeded stream, optionally AR(1)-correlated like per-second ops/s. */
function normalSeries(seed: string, n: number, centre: number, spread: number, correlation = 0): number[] {
  const random = seededUniform(seed);
  const values: number[] = [];
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    previous = correlation * previous + Math.sqrt(1 - correlation ** 2) * z;
    values.push(centre + spread * previous);
  }
  return values;
}

function bootstrapVerdict(a: readonly number[], b: readonly number[], seed: string): Verdict {
  return verdictOf(bootstrapDifference(a, b, mean, seed, 500).ci95, 'higher');
}

test('block bootstrap: identical correlated distributions are judged no-difference in at least 95% of seeded trials', (t) => {
  let same = 0;
  const trials = 200;
  for (let i = 0; i < trials; i++) {
    const a = normalSeries(`a${i}`, 60, 100, 10, 0.5);
    const b = normalSeries(`b${i}`, 60, 100, 10, 0.5);
    if (bootstrapVerdict(a, b, `trial${i}`) === 'no-difference') same++;
  }
  t.true(same / trials >= 0.95, `${same} of ${trials} no-difference`);
});

test('block bootstrap: a 10% shift with 60 correlated intervals a side (5% per-second spread) is detected, the right way round', (t) => {
  for (let i = 0; i < 20; i++) {
    const a = normalSeries(`a${i}`, 60, 100, 5, 0.5);
    const b = normalSeries(`b${i}`, 60, 110, 5, 0.5);
    t.is(bootstrapVerdict(a, b, `trial${i}`), 'better');
    t.is(verdictOf(bootstrapDifference(a, b, mean, `trial${i}`, 500).ci95, 'lower'), 'worse');
  }
});

test('between runs (Welch): identical distributions, 5 repeats a side, no-difference in at least 95% of seeded trials', (t) => {
  let same = 0;
  const trials = 400;
  for (let i = 0; i < trials; i++) {
    const a = normalSeries(`wa${i}`, 5, 100, 5);
    const b = normalSeries(`wb${i}`, 5, 100, 5);
    if (verdictOf(welchDifference(a, b).ci95, 'higher') === 'no-difference') same++;
  }
  t.true(same / trials >= 0.95, `${same} of ${trials} no-difference`);
});

test('between runs (Welch): a 10% shift with 5 repeats and a 3% run-to-run spread is detected', (t) => {
  let detected = 0;
  for (let i = 0; i < 50; i++) {
    const a = normalSeries(`wa${i}`, 5, 100, 3);
    const b = normalSeries(`wb${i}`, 5, 110, 3);
    if (verdictOf(welchDifference(a, b).ci95, 'higher') === 'better') detected++;
  }
  t.true(detected >= 45, `${detected} of 50 detected`);
});

test('the same inputs and seed give the same interval', (t) => {
  const a = normalSeries('a', 30, 100, 10, 0.5);
  const b = normalSeries('b', 30, 100, 10, 0.5);
  t.deepEqual(bootstrapDifference(a, b, mean, 's'), bootstrapDifference(a, b, mean, 's'));
  t.notDeepEqual(bootstrapDifference(a, b, mean, 's').ci95, bootstrapDifference(a, b, mean, 'other').ci95);
});

test('Welch interval of known values: difference 2, standard error 1, df 8 → 2 ± 2.306', (t) => {
  // Variances 2.5 each over 5 values: standard error sqrt(0.5 + 0.5) = 1, df = 8.
  const estimate = welchDifference([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);
  t.is(estimate.difference, 2);
  t.deepEqual(estimate.ci95.map((v) => Number(v.toFixed(3))), [-0.306, 4.306]);
});

test('t quantiles: tabulated values, the lower row for fractional df, never below 1.98', (t) => {
  t.is(tQuantile975(4), 2.776);
  t.is(tQuantile975(4.9), 2.776);
  t.is(tQuantile975(11), 2.228);
  t.is(tQuantile975(10_000), 1.98);
  t.is(tQuantile975(0.5), 12.706);
});

test('verdicts: only an interval wholly on one side of zero is a difference', (t) => {
  t.is(verdictOf([1, 2], 'higher'), 'better');
  t.is(verdictOf([1, 2], 'lower'), 'worse');
  t.is(verdictOf([-2, -1], 'lower'), 'better');
  t.is(verdictOf([-1, 1], 'higher'), 'no-difference');
});

test('block resamples have the series length, blocks of ⌈√n⌉ (at most n/3)', (t) => {
  t.is(blockLength(16), 4);
  t.is(blockLength(6), 2, 'at most n/3: three blocks even in a short run');
  t.is(blockLength(17), 5);
  t.is(blockLength(1), 1);
  const blocks = blockResample(10, 3, seededUniform('x'));
  t.is(blocks.reduce((sum, b) => sum + b.length, 0), 10);
  t.true(blocks.every((b) => b.start >= 0 && b.start < 10));
});
