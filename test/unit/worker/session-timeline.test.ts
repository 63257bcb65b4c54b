import test from 'ava';
import { intervalEndMs, intervalIndexAt, isRecordedInterval, sessionTimeline } from '../../../worker/session-timeline.ts';

test('an iteration-limited session records from the end of warm-up and has no end time', (t) => {
  const timeline = sessionTimeline(10_000, { iterations: 5, warmupMs: 2500 }, 1000);
  t.is(timeline.recordFromMs, 12_500);
  t.is(timeline.endAtMs, Number.POSITIVE_INFINITY);
});

test('--duration is measured after warm-up', (t) => {
  const timeline = sessionTimeline(10_000, { durationMs: 5000, warmupMs: 2000 }, 1000);
  t.is(timeline.recordFromMs, 12_000);
  t.is(timeline.endAtMs, 17_000);
});

test('intervals are aligned to the common start', (t) => {
  const timeline = sessionTimeline(10_000, { durationMs: 5000, warmupMs: 0 }, 1000);
  t.is(intervalIndexAt(timeline, 10_000), 0);
  t.is(intervalIndexAt(timeline, 10_999.9), 0);
  t.is(intervalIndexAt(timeline, 11_000), 1);
  t.is(intervalIndexAt(timeline, 9_000), 0, 'before the start counts as the first interval');
  t.is(intervalEndMs(timeline, 0), 11_000);
  t.is(intervalEndMs(timeline, 3), 14_000);
});

test('intervals wholly inside warm-up or after the end are not recorded; a partial one is', (t) => {
  const timeline = sessionTimeline(0, { durationMs: 3000, warmupMs: 1500 }, 1000);
  t.deepEqual(
    [0, 1, 2, 3, 4, 5].map((k) => isRecordedInterval(timeline, k)),
    [false, true, true, true, true, false],
  );
  const aligned = sessionTimeline(0, { iterations: 10, warmupMs: 2000 }, 1000);
  t.false(isRecordedInterval(aligned, 1), 'interval 1 ends exactly where recording begins');
  t.true(isRecordedInterval(aligned, 2));
  t.true(isRecordedInterval(aligned, 1_000_000));
});
