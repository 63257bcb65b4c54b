import type { RunReport } from '../results/run-report.ts';
import { contentionKnee, sweepSeries, type SweepCell } from '../compare/sweep.ts';
import { escapeHtml, formatNumber } from './format.ts';
import { lineChart, type Axis } from './svg-charts.ts';

/**
 * The sweep's sections of its compare.html: ops/s and latency p99 against sessions, one line per
 * series, and the contention knee of each. The per-cell lock-wait profiles and the full table come
 * from compare-html (one run per cell).
 */
export function renderSweepSections(cells: readonly SweepCell[], reports: ReadonlyMap<number, RunReport>): string[] {
  const series = sweepSeries(cells, reports);
  const sessions: Axis = {
    label: 'sessions',
    log2: true,
    ticks: [...new Set(cells.map((c) => c.sessions))].sort((a, b) => a - b).map((n) => ({ value: n, label: String(n) })),
  };
  const knees = series.throughput.map((s) => {
    const knee = contentionKnee(s);
    return `<li>${escapeHtml(s.name)}: ${knee === undefined ? 'throughput still scaling at the largest session count' : `throughput stops scaling after <b>${knee}</b> sessions`}</li>`;
  });
  const failed = cells.filter((c) => !reports.has(c.index));
  return [
    '<h2>Sweep: ops/s and latency p99 against sessions</h2>',
    lineChart('sweep-ops-per-sec', 'ops/s by sessions', series.throughput, sessions, { label: 'ops/s', min: 0, format: (v) => formatNumber(v, 1) }, { markers: true }),
    lineChart('sweep-latency-p99', 'latency p99 by sessions', series.p99, sessions, { label: 'latency p99 (ms)', min: 0, format: (v) => formatNumber(v, 3) }, { markers: true }),
    `<ul class="knees">${knees.join('')}</ul>`,
    ...(failed.length > 0
      ? [`<p>Runs without results: ${failed.map((c) => escapeHtml(`${c.series} × ${c.sessions}`)).join(', ')}</p>`]
      : []),
  ];
}
