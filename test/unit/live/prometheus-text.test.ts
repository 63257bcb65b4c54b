import test from 'ava';
import { LiveRun } from '../../../coordinator/live/live-run.ts';
import { LATENCY_BUCKETS_SECONDS, prometheusText } from '../../../coordinator/live/prometheus-text.ts';
import { createHistogram, encodeHistogram, recordMicros } from '../../../shared/histogram.ts';

const START = 1_700_000_000_000;

function snapshotWith(latenciesUs: readonly number[], name = 'n') {
  const live = new LiveRun({ runId: 'r-1', name, scenario: 'single', strategy: 'current', shape: 'bare', sessions: 1, intervalMs: 1000, assignment: ['w1'] });
  live.start(START);
  const h = createHistogram();
  for (const v of latenciesUs) recordMicros(h, v);
  live.addEvent({
    atMs: START + 1000,
    event: { protocol: 1, runId: 'r-1', sessionId: 0, workerId: 'w1', type: 'interval', index: 0, counters: { ok: latenciesUs.length, failed: 2, retried: 1, byError: { '40P01': 2 } }, latency: encodeHistogram(h) },
  });
  return live.snapshot(START + 1000);
}

const sample = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1]);

test('latency buckets are cumulative counts of the merged HDR histogram, +Inf its total, sum its mean × count', (t) => {
  const text = prometheusText(snapshotWith([150, 800, 1500, 30_000, 2_000_000]));
  const buckets = LATENCY_BUCKETS_SECONDS.map((b) => sample(text, new RegExp(`^refswarm_latency_seconds_bucket\\{.*le="${b}"\\} (\\d+)$`, 'm')));
  t.is(buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.0002)], 1);
  t.is(buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.001)], 2);
  t.is(buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.002)], 3);
  t.is(buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.05)], 4);
  t.is(buckets[LATENCY_BUCKETS_SECONDS.indexOf(5)], 5);
  t.true(buckets.every((c, i) => i === 0 || c >= buckets[i - 1]), 'cumulative');
  t.is(sample(text, /^refswarm_latency_seconds_bucket\{.*le="\+Inf"\} (\d+)$/m), 5);
  t.is(sample(text, /^refswarm_latency_seconds_count\{.*\} (\d+)$/m), 5);
  t.true(Math.abs(sample(text, /^refswarm_latency_seconds_sum\{.*\} ([\d.e-]+)$/m) - 2.03245) < 0.01);
});

test('operations by status and SQLSTATE, run labels on every sample, one HELP and TYPE per metric', (t) => {
  const text = prometheusText(snapshotWith([1000]), { xact_commit: 12.5 });
  t.regex(text, /^refswarm_operations_total\{run_id="r-1",scenario="single",strategy="current",shape="bare",status="failed"\} 2$/m);
  t.regex(text, /^refswarm_operation_errors_total\{.*sqlstate="40P01"\} 2$/m);
  t.regex(text, /^refswarm_pg_stat_database_per_second\{.*counter="xact_commit"\} 12.5$/m);
  t.regex(text, /^refswarm_sessions\{.*worker="w1",state="waiting"\} 1$/m);
  for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) t.regex(line, /^refswarm_\w+\{run_id="r-1",scenario="single",strategy="current",shape="bare"[,}]/);
  const types = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
  t.is(new Set(types).size, types.length);
});

test('label values are escaped; quantiles of an empty run are NaN', (t) => {
  const text = prometheusText(snapshotWith([], 'a"b\\c'));
  t.regex(text, /name="a\\"b\\\\c"/);
  t.regex(text, /^refswarm_latency_quantiles_seconds\{.*quantile="0.5"\} NaN$/m);
});
