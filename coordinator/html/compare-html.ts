import type { RunReport } from '../results/run-report.ts';
import { DEFAULT_COMPARE_OPTIONS, lockWaitShares, topLockWaitEvents, type CompareCell, type Comparison } from '../compare/compare.ts';
import { escapeHtml, formatMs, formatNumber } from './format.ts';
import { OTHER, seriesColour, waitEventColours } from './palette.ts';
import { renderPage } from './page.ts';
import { contentionCharts } from './compare-html-contention.ts';
import { barChart, stackedBarChart, type StackedBar } from './svg-charts.ts';
import { phaseComparisonChart } from './report-html-phases.ts';

/**
 * compare.html: one self-contained page with ops/s and latency p99 bars, the runs' lock-wait
 * profiles side by side, and the comparison table. `extraSections` lets the sweep add its own
 * charts above them.
 */

export interface CompareHtmlOptions {
  readonly title?: string;
  readonly extraSections?: readonly string[];
  readonly topLockWaits?: number;
}

export function renderCompareHtml(comparison: Comparison, reports: readonly RunReport[], options: CompareHtmlOptions = {}): string {
  const title = options.title ?? `refswarm comparison of ${comparison.runs.length} runs`;
  const names = comparison.runs.map((run, i) => `[${i + 1}] ${run.name}`);
  const events = topLockWaitEvents(reports, options.topLockWaits ?? DEFAULT_COMPARE_OPTIONS.topLockWaits);
  const charts = [
    barChart('ops-per-sec', 'ops/s', reports.map((r, i) => ({ label: names[i], value: r.throughput.opsPerSec, color: seriesColour(i) })), (v) =>
      formatNumber(v, 1),
    ),
    barChart(
      'latency-p99',
      'latency p99',
      reports.map((r, i) => ({ label: names[i], value: r.latencyMs.count > 0 ? r.latencyMs.p99 : null, color: seriesColour(i) })),
      formatMs,
    ),
  ];
  const phaseChart = phaseComparisonChart(reports, names);
  if (phaseChart) charts.push(phaseChart);
  const profiled = reports.map((r, i) => ({ r, label: names[i] })).filter(({ r }) => r.lockWaits !== undefined);
  if (profiled.length > 0) {
    charts.push(
      stackedBarChart(
        'lock-waits',
        'lock-wait profile (share of session-samples)',
        profiled.map(({ r, label }) => lockWaitBar(label, lockWaitShares(r), events)),
      ),
    );
  }
  charts.push(...contentionCharts(reports, names));
  return renderPage({
    title,
    body: `<ol class="runs">${comparison.runs.map((run) => `<li>${escapeHtml(run.label)} — ${escapeHtml(run.name)} (${escapeHtml(run.runId)})</li>`).join('')}</ol>
${(options.extraSections ?? []).join('\n')}
${environmentWarningList(comparison.environmentWarnings ?? [])}
<h2>Runs side by side</h2>
${charts.join('')}
<h2>Measures</h2>
<div class="measures">${renderTable(comparison, names)}</div>
<p>Differences are against run [1]; green is better, red worse.</p>`,
  });
}

function environmentWarningList(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return `<h2>The runs' environments differ</h2><ul class="environment-warnings">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
}

/** The shown events in the page's order, then what the run has beyond them as "other". */
function lockWaitBar(label: string, shares: Readonly<Record<string, number>>, events: readonly string[]): StackedBar {
  const colourOf = waitEventColours(events);
  const listed = events.reduce((sum, event) => sum + (shares[event] ?? 0), 0);
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  const segments = events.map((event) => ({ name: event, color: colourOf(event), share: shares[event] ?? 0 }));
  if (total - listed > 1e-9) segments.push({ name: OTHER, color: colourOf(OTHER), share: total - listed });
  return { label, segments };
}

function renderTable(comparison: Comparison, names: readonly string[]): string {
  const rows: string[] = [`<thead><tr><th></th>${names.map((n) => `<th class="num">${escapeHtml(n)}</th>`).join('')}</tr></thead>`];
  let group = '';
  for (const row of comparison.rows) {
    if (row.group !== group) {
      group = row.group;
      rows.push(`<tr class="group"><td colspan="${names.length + 1}">${escapeHtml(group)}</td></tr>`);
    }
    rows.push(`<tr><td>${escapeHtml(row.label)}</td>${row.cells.map((c) => renderCell(c, row.numeric)).join('')}</tr>`);
  }
  return `<table>${rows.join('\n')}</table>`;
}

function renderCell(cell: CompareCell, numeric: boolean): string {
  const tone = cell.improved === undefined ? '' : cell.improved ? ' better' : ' worse';
  const diff = cell.diff === undefined ? '' : `<span class="diff${tone}">${escapeHtml(cell.diff)}</span>`;
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(cell.text)}${diff}</td>`;
}
