import test from 'ava';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import type { LatencySummaryMs } from '../../../shared/histogram.ts';
import { fixtureReport } from './compare-fixture.ts';

const latency = (p50: number, p99: number): LatencySummaryMs => ({ count: 100, min: 0.1, mean: p50, stdev: 1, p50, p90: p99, p95: p99, p99, p999: p99, max: p99 });

const dms: RunReport = { ...fixtureReport({ name: 'dms' }), phases: { strategy: latency(2, 8), lock: latency(3, 40) } };
const calmer: RunReport = { ...fixtureReport({ name: 'calmer' }), phases: { lock: latency(1, 10), strategy: latency(2, 8) } };
const older = fixtureReport({ name: 'older' });

test('compare puts each phase\'s p50 and p99 side by side, in the vocabulary order, apart from the latency rows', (t) => {
  const rows = compareRuns([dms, calmer, older]).rows.filter((r) => r.group === 'phase latency ms');
  t.deepEqual(rows.map((r) => r.label), ['lock p50', 'lock p99', 'strategy p50', 'strategy p99']);
  const lockP99 = rows.find((r) => r.label === 'lock p99')!;
  t.deepEqual(lockP99.cells.map((c) => c.text), ['40', '10', '-'], 'a run without phases shows none');
  t.is(lockP99.cells[1]!.diff, '-75%');
  t.true(lockP99.cells[1]!.improved);
});

test('runs without phases add no phase rows and no phase chart', (t) => {
  t.false(compareRuns([older, older]).rows.some((r) => r.group === 'phase latency ms'));
  t.false(renderCompareHtml(compareRuns([older, older]), [older, older]).includes('data-chart="phase-p99"'));
});

test('compare.html draws the phases of the runs side by side, a bar per phase and run', (t) => {
  const html = renderCompareHtml(compareRuns([dms, calmer]), [dms, calmer]);
  t.regex(html, /data-chart="phase-p99" data-points="4"/);
  t.regex(html, /lock · \[2\] calmer/);
});
