import type { RunReport } from '../results/run-report.ts';
import { barChart, stackedShareChart } from './compare-charts.ts';
import { escapeHtml } from './format.ts';
import { DEFAULT_COMPARE_OPTIONS, lockWaitShares, topLockWaitEvents, type CompareCell, type Comparison } from '../compare/compare.ts';

/**
 * compare.html: one self-contained file (inline CSS and SVG, no scripts, no network) with the
 * comparison table, throughput and p99 bars, and the runs' lock-wait profiles side by side.
 * `extraSections` lets the sweep report add its own charts above the table.
 */

export interface CompareHtmlOptions {
  readonly title?: string;
  readonly extraSections?: readonly string[];
  readonly topLockWaits?: number;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.group td { font-weight: 600; background: #f6f6f6; text-align: left; }
td.text { text-align: left; }
.diff { font-size: 12px; margin-left: 4px; color: #666; }
.better { color: #1a7f37; } .worse { color: #cf222e; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.title { font-weight: 600; }
svg .axis { stroke: #888; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
ol.runs li { font-family: ui-monospace, monospace; font-size: 12px; }
`;

export function renderCompareHtml(comparison: Comparison, reports: readonly RunReport[], options: CompareHtmlOptions = {}): string {
  const title = options.title ?? `refswarm comparison of ${comparison.runs.length} runs`;
  const names = comparison.runs.map((run, i) => `[${i + 1}] ${run.name}`);
  const events = topLockWaitEvents(reports, options.topLockWaits ?? DEFAULT_COMPARE_OPTIONS.topLockWaits);
  const charts = [
    barChart('throughput (ops/s)', reports.map((r, i) => ({ label: names[i], value: r.throughput.opsPerSec })), (v) => v.toFixed(1)),
    barChart('p99 latency (ms)', reports.map((r, i) => ({ label: names[i], value: r.latencyMs.count > 0 ? r.latencyMs.p99 : null })), (v) => v.toFixed(2)),
  ];
  const profiled = reports.map((r, i) => ({ r, label: names[i] })).filter(({ r }) => r.lockWaits !== undefined);
  if (profiled.length > 0) {
    charts.push(
      stackedShareChart('lock-wait profile (share of session-samples)', profiled.map(({ r, label }) => ({ label, shares: lockWaitShares(r) })), events),
    );
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<ol class="runs">${comparison.runs.map((run) => `<li>${escapeHtml(run.label)} — ${escapeHtml(run.name)} (${escapeHtml(run.runId)})</li>`).join('')}</ol>
${(options.extraSections ?? []).join('\n')}
<h2>Runs side by side</h2>
<div class="charts">${charts.join('')}</div>
<h2>Measures</h2>
${renderTable(comparison, names)}
<p>Differences are against run [1]; green is better, red worse.</p>
</body>
</html>
`;
}

function renderTable(comparison: Comparison, names: readonly string[]): string {
  const rows: string[] = [`<tr><th></th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`];
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
  return `<td${numeric ? '' : ' class="text"'}>${escapeHtml(cell.text)}${diff}</td>`;
}
