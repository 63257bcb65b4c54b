import test from 'ava';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import { renderSweepSections } from '../../../coordinator/html/sweep-html.ts';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { expandSweep, parseSweepAxes } from '../../../coordinator/compare/sweep.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { realisticReport } from '../results/report-fixture.ts';
import { fixtureReport } from '../compare/compare-fixture.ts';

/** The pages use summary.txt's words: ops/s, shape, latency p99 … */

function pages(): Record<string, string> {
  const { report, spectrum } = realisticReport();
  const runs = [fixtureReport(), fixtureReport({ strategy: 'merge', opsPerSec: 200 })];
  const cells = expandSweep(parseSweepAxes({ sessions: '1,4', strategy: 'current,merge' }));
  const reports = new Map<number, RunReport>(cells.map((c) => [c.index, fixtureReport({ strategy: c.strategy, sessions: c.sessions })]));
  const comparison = compareRuns(runs);
  return {
    report: renderReportHtml(report, spectrum),
    compare: renderCompareHtml(comparison, runs),
    sweep: renderCompareHtml(comparison, runs, { extraSections: renderSweepSections(cells, reports) }),
  };
}

for (const [name, html] of Object.entries(pages())) {
  test(`${name} page says ops/s, never tps or "transaction shape"`, (t) => {
    t.notRegex(html, /\btps\b/i);
    t.notRegex(html, /transaction shape/i);
    t.regex(html, /ops\/s/);
    t.regex(html, /latency p99/);
  });
}

test('report.html summary keys are the summary\'s', (t) => {
  const html = pages().report;
  for (const key of ['scenario', 'strategy', 'shape', 'ops/s', 'latency average']) t.regex(html, new RegExp(`<th>${key.replace('/', '\\/')}</th>`));
});
