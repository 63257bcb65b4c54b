import test from 'ava';
import { createHistogram, mergeHistograms, recordMicros } from '../../../shared/histogram.ts';
import { readIntervalLog, readPhaseLog, writeIntervalLog, writePhaseLog, type IntervalHistogram } from '../../../shared/hlog.ts';

const START = 1_764_000_000_123;

function intervals(): IntervalHistogram[] {
  return [0, 1, 2, 4].map((second) => {
    const histogram = createHistogram();
    for (let i = 1; i <= 200 * (second + 1); i++) recordMicros(histogram, i * 53 + second * 1000);
    return { startMs: START + second * 1000, endMs: START + (second + 1) * 1000, histogram };
  });
}

test('the log decodes back to the merged totals, interval by interval', (t) => {
  const written = intervals();
  const back = readIntervalLog(writeIntervalLog(written, START));
  t.is(back.length, written.length);
  back.forEach((interval, i) => {
    t.is(interval.startMs, written[i].startMs);
    t.is(interval.endMs, written[i].endMs);
    t.is(interval.histogram.totalCount, written[i].histogram.totalCount);
    const w = written[i].histogram;
    t.is(interval.histogram.maxValue, w.getValueAtPercentile(100), 'max to the histogram precision');
  });
  const merged = mergeHistograms(written.map((w) => w.histogram));
  const mergedBack = mergeHistograms(back.map((b) => b.histogram));
  t.is(mergedBack.totalCount, merged.totalCount);
  for (const p of [50, 90, 99, 99.9, 100]) t.is(mergedBack.getValueAtPercentile(p), merged.getValueAtPercentile(p));
  t.is(mergedBack.mean, merged.mean);
});

test('the log is in the HdrHistogram interval log format, timestamps relative to the start', (t) => {
  const text = writeIntervalLog(intervals(), START);
  const lines = text.split('\n');
  t.is(lines[0], '#[Histogram log format version 1.3]');
  t.true(lines.some((l) => l.startsWith('#[StartTime: 1764000000.123 ')));
  t.true(lines.some((l) => l.startsWith('#[BaseTime: 1764000000.123 ')));
  t.true(lines.includes('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"'));
  const data = lines.filter((l) => /^\d/.test(l));
  t.is(data.length, 4);
  t.regex(data[0], /^0\.000,1\.000,\d+\.\d{3},HISTF/);
  t.regex(data[3], /^4\.000,1\.000,/);
});

test('intervals are written in time order whatever order they come in', (t) => {
  const back = readIntervalLog(writeIntervalLog(intervals().reverse(), START));
  t.deepEqual(
    back.map((b) => b.startMs - START),
    [0, 1000, 2000, 4000],
  );
});

test('an empty run gives a log with a header and no intervals', (t) => {
  const text = writeIntervalLog([], START);
  t.true(text.startsWith('#[Histogram log format version'));
  t.deepEqual(readIntervalLog(text), []);
});

test('the phase log holds one tagged histogram per phase and reads back by name', (t) => {
  const phases = new Map(intervals().slice(0, 2).map((interval, i) => [i === 0 ? 'lock' : 'strategy', interval.histogram] as const));
  const text = writePhaseLog(phases, START, START + 4000);
  t.regex(text, /^Tag=lock,0\.000,4\.000,/m);
  const back = readPhaseLog(text);
  t.deepEqual([...back.keys()], ['lock', 'strategy']);
  for (const [name, histogram] of phases) {
    t.is(back.get(name)!.totalCount, histogram.totalCount);
    t.is(back.get(name)!.getValueAtPercentile(99), histogram.getValueAtPercentile(99));
  }
  t.is(phases.get('lock')!.tag, 'NO TAG', 'the run\'s histograms are not tagged in place');
});
