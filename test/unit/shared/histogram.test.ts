import test from 'ava';
import {
  HIGHEST_US,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  intervalPercentilesMs,
  mergeEncoded,
  recordMicros,
  summarizeMs,
} from '../../../shared/histogram.ts';

test('merging adds counts: the merged percentiles come from all values, never averaged', (t) => {
  const fast = createHistogram();
  const slow = createHistogram();
  for (let i = 0; i < 990; i++) recordMicros(fast, 1000);
  for (let i = 0; i < 10; i++) recordMicros(slow, 100_000);
  const merged = mergeEncoded([encodeHistogram(fast), encodeHistogram(slow)]);
  const summary = summarizeMs(merged);
  t.is(summary.count, 1000);
  t.is(summary.p50, 1);
  t.true(summary.p999 > 99 && summary.p999 < 101);
  t.true(summary.max > 99 && summary.max < 101);
});

test('encoding round-trips and out-of-range values are clamped, not thrown', (t) => {
  const h = createHistogram();
  recordMicros(h, 0);
  recordMicros(h, HIGHEST_US * 10);
  recordMicros(h, 1234.4);
  const back = decodeHistogram(encodeHistogram(h));
  t.is(back.totalCount, 3);
  t.is(back.minNonZeroValue, 1);
  t.true(back.maxValue >= HIGHEST_US * 0.999);
});

test('an empty histogram summarizes to zeros', (t) => {
  t.deepEqual(summarizeMs(createHistogram()), {
    count: 0, min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0,
  });
});

test("an interval's percentiles are summarizeMs's, without its passes over every value; zeros when empty", (t) => {
  const h = createHistogram();
  for (let i = 1; i <= 5000; i++) recordMicros(h, i * 37);
  const { p50, p99, max } = summarizeMs(h);
  t.deepEqual(intervalPercentilesMs(h), { p50, p99, max });
  t.deepEqual(intervalPercentilesMs(createHistogram()), { p50: 0, p99: 0, max: 0 });
});
