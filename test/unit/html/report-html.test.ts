import test from 'ava';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import { niceMax, niceTicks } from '../../../coordinator/html/svg-charts.ts';
import { spectrumFromHgrm } from '../../../coordinator/html/percentile-spectrum.ts';
import { createHistogram, percentileDistribution, recordMicros } from '../../../shared/histogram.ts';
import { realisticReport } from '../results/report-fixture.ts';

const chart = (html: string, id: string): string => {
  const match = new RegExp(`<figure class="chart[^"]*" id="chart-${id}"[^>]*data-points="(\\d+)"`).exec(html);
  return match ? match[1] : 'absent';
};

test('renders one self-contained page with every chart drawn from data', (t) => {
  const { report, spectrum } = realisticReport();
  const html = renderReportHtml(report, spectrum);
  t.true(html.startsWith('<!DOCTYPE html>'));
  for (const id of ['spectrum', 'latency-over-time', 'throughput', 'lock-waits']) t.true(Number(chart(html, id)) > 10, `${id} has data`);
  t.false(/<script|https?:\/\/|<link|@import|url\(/i.test(html.replace(/postgres:\/\/[^"<\s]*|redis:\/\/[^"<\s]*/g, '')), 'no script, no network');
  t.regex(html, /Lock:transactionid/);
  t.regex(html, /LWLock:LockManager/);
  t.regex(html, /insertreferences/);
  t.regex(html, /reference_15/);
  t.regex(html, /pg_stat_io needs PostgreSQL 16/);
  t.regex(html, /BREACHED/);
});

test('text from the run is escaped (statement text, names)', (t) => {
  const { report, spectrum } = realisticReport();
  const html = renderReportHtml({ ...report, name: '<b>x</b>' }, spectrum);
  t.false(html.includes('<script>alert(1)</script>'));
  t.true(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  t.false(html.includes('<b>x</b>'));
});

test('a run without pg, lock waits or intervals still renders, charts marked empty', (t) => {
  const { report } = realisticReport();
  const { pg, lockWaits, integrity, thresholds, ...rest } = report;
  void pg, lockWaits, integrity, thresholds;
  const html = renderReportHtml({ ...rest, intervals: [] });
  for (const id of ['spectrum', 'latency-over-time', 'throughput', 'lock-waits']) t.is(chart(html, id), '0');
  t.regex(html, /no PostgreSQL statistics/);
  t.regex(html, /no lock-wait samples/);
});

test('rendering is pure: the same input gives the same bytes', (t) => {
  const { report, spectrum } = realisticReport();
  t.is(renderReportHtml(report, spectrum), renderReportHtml(report, spectrum));
});

test('the spectrum parses from .hgrm text', (t) => {
  const h = createHistogram();
  for (let i = 1; i <= 1000; i++) recordMicros(h, i * 100);
  const points = spectrumFromHgrm(percentileDistribution(h));
  t.true(points.length > 20);
  t.is(points[0].percentile, 0);
  t.is(points.at(-1)?.percentile, 1);
  t.is(points.at(-1)?.totalCount, 1000);
  t.true(points.every((p, i) => i === 0 || p.valueMs >= points[i - 1].valueMs));
  t.deepEqual(spectrumFromHgrm(''), []);
});

test('axis helpers give round numbers', (t) => {
  t.deepEqual(niceTicks(0, 100, 5), [0, 20, 40, 60, 80, 100]);
  t.deepEqual(niceTicks(0, 1, 4), [0, 0.5, 1]);
  t.deepEqual(niceTicks(3, 3, 5), [3]);
  t.is(niceMax(73), 100);
  t.is(niceMax(0.3), 0.5);
  t.is(niceMax(0), 1);
});

test('--explain: a collapsed EXPLAIN section with each statement\'s time, buffers and text plan; none without it', (t) => {
  const { report, spectrum } = realisticReport();
  t.false(renderReportHtml(report, spectrum).includes('id="explain"'));
  const plan = {
    statement: 'workload/call-current',
    totalTimeMs: 10.4,
    planningTimeMs: 0.08,
    buffers: { sharedHit: 974, sharedRead: 2, sharedDirtied: 17, sharedWritten: 0 },
    text: 'Function Scan on dms.insertreferences  (actual time=10.200..10.250 rows=0 loops=1)',
    json: [],
  };
  const nested = { ...plan, statement: 'SELECT 1 FROM "dms"."alias" x <check>', calls: 40, planningTimeMs: undefined };
  const html = renderReportHtml(
    {
      ...report,
      explain: {
        operation: 'rewrite of document 17 (42 references)',
        before: { takenAt: '2024-07-01T12:00:00.000Z', plans: [plan], nested: [nested] },
        missing: { after: 'connection refused' },
      },
    },
    spectrum,
  );
  const section = /<section id="explain">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  t.regex(section, /^<h2>EXPLAIN<\/h2><details><summary>EXPLAIN \(ANALYZE, BUFFERS\) of one rolled-back rewrite of document 17/);
  t.regex(section, /workload\/call-current/);
  t.regex(section, /10\.4/);
  t.regex(section, /974/);
  t.regex(section, /Function Scan on dms\.insertreferences/);
  t.regex(section, /&lt;check&gt;/, 'statement text escaped');
  t.regex(section, /after: connection refused/);
  t.regex(section, /after the run<\/h3><p class="note">not captured/);
});

test('the phases section draws a bar per phase with the numbers under it; a run without phases says so', (t) => {
  const { report, spectrum } = realisticReport();
  const phase = { count: 10, min: 0.1, mean: 1, stdev: 0.2, p50: 0.9, p90: 1.5, p95: 1.8, p99: 2.5, p999: 3, max: 3.1 };
  const intervals = report.intervals.map((i) => ({ ...i, phaseP99Ms: { lock: 12, commit: 2.5 } }));
  const html = renderReportHtml({ ...report, intervals, phases: { commit: phase, lock: { ...phase, p99: 12 } } }, spectrum);
  t.regex(html, /data-chart="phases" data-points="2"/);
  t.regex(html, new RegExp(`data-chart="phases-over-time" data-points="${2 * intervals.length}"`));
  t.true(html.indexOf('>lock<') < html.indexOf('>commit<'), 'in the vocabulary order');
  t.regex(renderReportHtml(report, spectrum), /no phase measured in this run/);
});

test('the lock-wait tables name the source, and with pg_wait_sampling what each statement waits on', (t) => {
  const { report, spectrum } = realisticReport();
  const lockWaits = {
    ...report.lockWaits!,
    source: 'pg_wait_sampling' as const,
    periodMs: 10,
    clientSampler: { sessionSamples: report.lockWaits!.sessionSamples, byEvent: report.lockWaits!.byEvent },
    statements: [{ queryid: '42', query: 'SELECT d.Id FROM dms.Document d FOR NO KEY UPDATE', samples: 50, byEvent: { 'Lock:transactionid': 40, 'Client:ClientRead': 10 } }],
  };
  const html = renderReportHtml({ ...report, lockWaits }, spectrum);
  t.regex(html, /pg_wait_sampling \(in-server, each backend every 10 ms\)/);
  t.regex(html, /FOR NO KEY UPDATE/);
  t.regex(html, /Lock:transactionid 80/);
  t.notRegex(html, /data-chart="lock-waits-by-phase"/, 'no split without byPhase');
  const split = renderReportHtml({ ...report, lockWaits: { ...lockWaits, byPhase: { strategy: { 'IO:DataFileRead': 5 }, lock: { 'Lock:transactionid': 40, 'Lock:tuple': 20 } } } }, spectrum);
  t.regex(split, /data-chart="lock-waits-by-phase" data-points="3"/);
  t.true(split.indexOf('lock (60 samples)') < split.indexOf('strategy (5 samples)'), 'phases in the vocabulary order');
  t.regex(renderReportHtml({ ...report, lockWaits: { ...report.lockWaits!, source: 'client-sampler', sourceNote: 'not preloaded' } }, spectrum), /client sampler \(not preloaded\)/);
});

test('--verify-writes: the integrity section lists the anomalies observed and the writes each example mixes', (t) => {
  const { report, spectrum } = realisticReport();
  const observed = {
    writesChecked: 640,
    anomalies: 2,
    per1000: 3.13,
    byDiagnosis: { 'union of two committed sets': 1, 'matches no committed set': 1 },
    examples: [
      {
        documentId: 2,
        diagnosis: 'union of two committed sets' as const,
        rows: 30,
        seenBy: { sessionId: 4, operation: 17 },
        mixed: [
          { set: 'committed' as const, rows: 12, writtenBy: [{ sessionId: 4, operation: 17 }] },
          { set: 'committed' as const, rows: 18, writtenBy: [{ sessionId: 9, operation: 16 }] },
        ],
      },
    ],
  };
  const html = renderReportHtml({ ...report, integrity: { ...report.integrity!, observed } }, spectrum);
  t.regex(html, /Observed right after each write/);
  t.regex(html, /12 rows by session 4 op 17 \+ 18 rows by session 9 op 16/);
  t.false(renderReportHtml(report, spectrum).includes('Observed right after each write'));
});
