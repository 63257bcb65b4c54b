import type { RunReport } from '../results/run-report.ts';
import { lineChart } from './compare-charts.ts';
import { escapeHtml } from './format.ts';
import { contentionKnee, sweepSeries, type SweepCell } from '../compare/sweep.ts';

/**
 * The sweep's sections of its compare.html: throughput and p99 against sessions, one line per
 * series, and the contention knee of each. The per-cell lock-wait profiles and the full table come
 * from compare-html (one run per cell).
 */
export function renderSweepSections(cells: readonly SweepCell[], reports: ReadonlyMap<number, RunReport>): string[] {
  const series = sweepSeries(cells, reports);
  const knees = series.throughput.map((s) => {
    const knee = contentionKnee(s);
    return `<li>${escapeHtml(s.name)}: ${knee === undefined ? 'throughput still scaling at the largest session count' : `throughput stops scaling after <b>${knee}</b> sessions`}</li>`;
  });
  const failed = cells.filter((c) => !reports.has(c.index));
  return [
    '<h2>Sweep: throughput and p99 against sessions</h2>',
    `<div class="charts">${lineChart('throughput (ops/s)', series.throughput, 'sessions', (v) => v.toFixed(0))}${lineChart('p99 latency (ms)', series.p99, 'sessions', (v) => v.toFixed(1))}</div>`,
    `<ul class="knees">${knees.join('')}</ul>`,
    ...(failed.length > 0
      ? [`<p>Runs without results: ${failed.map((c) => escapeHtml(`${c.series} × ${c.sessions}`)).join(', ')}</p>`]
      : []),
  ];
}
