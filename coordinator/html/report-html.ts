import type { RunReport } from '../results/run-report.ts';
import type { SpectrumPoint } from './percentile-spectrum.ts';
import { escapeHtml, formatMs, formatNumber, formatShare } from './format.ts';
import { familyShare } from '../observe/lock-profile.ts';
import { lockProfileChart, lockTables } from './report-html-locks.ts';
import { pgSections } from './report-html-pg.ts';
import { lineChart, type Tick } from './svg-charts.ts';
import { keyValueTable, table } from './tables.ts';
import { MEASURE_COLOURS } from './palette.ts';

/**
 * report.html: one self-contained page (inline CSS, SVG charts, no script, no network) rendered
 * purely from run.json and the latency percentile spectrum. Charts: the percentile spectrum on a
 * log scale of 1/(1-p), ops/s and latency over time, and the lock-wait profile over time; then the
 * lock-wait and PostgreSQL tables.
 */
export function renderReportHtml(report: RunReport, spectrum: readonly SpectrumPoint[] = []): string {
  const w = report.config.workload;
  const title = `refswarm run ${report.name}`;
  const subtitle = `${w.scenario.scenario} · ${w.strategy} · ${w.shape} · ${report.sessions.requested} sessions · ${formatNumber(
    report.durationMs / 1000,
  )} s · started ${report.startedAt}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p><p class="sub">run id ${escapeHtml(report.runId)}</p></header>
<main>
<section id="summary"><h2>Summary</h2>${summaryTable(report)}</section>
<section id="latency"><h2>Latency</h2>${spectrumChart(spectrum)}${latencyOverTime(report)}</section>
<section id="throughput"><h2>Throughput</h2>${throughputChart(report)}</section>
<section id="lock-waits"><h2>Lock waits</h2>${lockProfileChart(report.lockWaits, report.intervals)}${lockTables(report.lockWaits)}</section>
<section id="postgresql"><h2>PostgreSQL</h2>${pgSections(report.pg)}</section>
<section id="errors"><h2>Errors, integrity, thresholds</h2>${errorsAndChecks(report)}</section>
<section id="sessions"><h2>Workers and sessions</h2>${workersAndSessions(report)}</section>
<section id="config"><h2>Configuration</h2><details><summary>resolved configuration (secrets masked)</summary><pre>${escapeHtml(
    JSON.stringify({ config: report.config, dataset: report.dataset }, null, 2),
  )}</pre></details></section>
</main></body></html>
`;
}

function summaryTable(r: RunReport): string {
  const l = r.latencyMs;
  return keyValueTable([
    ['scenario', r.config.workload.scenario.scenario],
    ['strategy', r.config.workload.strategy],
    ['transaction shape', r.config.workload.shape],
    ['sessions', `${r.sessions.completed} completed of ${r.sessions.requested} (${r.sessions.lost} lost)`],
    ['duration', `${formatNumber(r.durationMs / 1000, 3)} s`],
    ['operations', `${formatNumber(r.ops.ok)} ok, ${formatNumber(r.ops.failed)} failed, ${formatNumber(r.ops.retried)} retried`],
    ['tps', formatNumber(r.throughput.opsPerSec, 1)],
    ['latency average', formatMs(l.mean)],
    ['latency stddev', formatMs(l.stdev)],
    ['latency p50 / p95 / p99', `${formatMs(l.p50)} / ${formatMs(l.p95)} / ${formatMs(l.p99)}`],
    ['latency p99.9 / max', `${formatMs(l.p999)} / ${formatMs(l.max)}`],
    ...(r.serviceTimeMs ? ([['service time p50 / p99', `${formatMs(r.serviceTimeMs.p50)} / ${formatMs(r.serviceTimeMs.p99)}`]] as const) : []),
    ...(r.lockWaits
      ? ([['waiting on heavyweight locks', formatShare(familyShare(r.lockWaits.byEvent, 'Lock', r.lockWaits.sessionSamples))]] as const)
      : []),
    ...(r.integrity ? ([['integrity violations', formatNumber(r.integrity.violations)]] as const) : []),
  ]);
}

/** x = log10(1/(1-p)): 0 at p0, 1 at 90%, 2 at 99%, 3 at 99.9%, ... */
function spectrumChart(spectrum: readonly SpectrumPoint[]): string {
  const points = spectrum.filter((p) => p.percentile < 1).map((p) => [Math.log10(1 / (1 - p.percentile)), p.valueMs] as const);
  const maxX = Math.max(1, Math.ceil(points.at(-1)?.[0] ?? 1));
  const ticks: Tick[] = [];
  for (let k = 0; k <= maxX; k++) ticks.push({ value: k, label: k === 0 ? '0%' : `${(100 - 100 / 10 ** k).toFixed(Math.max(0, k - 2))}%` });
  return lineChart(
    'spectrum',
    'Latency by percentile (log scale of 1/(1-p))',
    [{ name: 'latency', color: MEASURE_COLOURS.latency, points }],
    { label: 'percentile', ticks, min: 0, max: maxX, format: (x) => `${(100 - 100 / 10 ** x).toFixed(3)}%` },
    { label: 'latency (ms)', min: 0 },
  );
}

function latencyOverTime(r: RunReport): string {
  const at = (pick: (i: RunReport['intervals'][number]) => number) =>
    r.intervals.filter((i) => i.ok + i.failed > 0).map((i) => [i.t, pick(i)] as const);
  return lineChart(
    'latency-over-time',
    'Latency over time (per interval)',
    [
      { name: 'p50', color: MEASURE_COLOURS.latencyP50, points: at((i) => i.p50Ms) },
      { name: 'p99', color: MEASURE_COLOURS.latencyP99, points: at((i) => i.p99Ms) },
      { name: 'max', color: MEASURE_COLOURS.latencyMax, points: at((i) => i.maxMs), dashed: true },
    ],
    { label: 'time (s)' },
    { label: 'latency (ms)', min: 0 },
  );
}

function throughputChart(r: RunReport): string {
  return lineChart(
    'throughput',
    'Operations per second (per interval)',
    [
      { name: 'ops/s', color: MEASURE_COLOURS.opsPerSec, points: r.intervals.map((i) => [i.t, i.opsPerSec] as const) },
      { name: 'failed/s', color: MEASURE_COLOURS.failedPerSec, points: r.intervals.filter((i) => i.failed > 0).length > 0 ? r.intervals.map((i) => [i.t, intervalRate(r, i.failed)] as const) : [] },
    ],
    { label: 'time (s)' },
    { label: 'operations per second', min: 0 },
  );
}

/** Failed operations per second in one interval (intervals are 1 s unless the run says otherwise). */
function intervalRate(r: RunReport, count: number): number {
  const seconds = r.intervals.length > 1 ? r.intervals[1].t - r.intervals[0].t || 1 : 1;
  return count / seconds;
}

function errorsAndChecks(r: RunReport): string {
  const errors = table(
    ['SQLSTATE', 'failed tries'],
    Object.entries(r.ops.byError).map(([code, n]) => [code, formatNumber(n)]),
  );
  const integrity = r.integrity
    ? keyValueTable([
        ['documents checked', formatNumber(r.integrity.documentsChecked)],
        ['violations', formatNumber(r.integrity.violations)],
      ]) +
      (r.integrity.examples.length > 0 ? `<pre>${escapeHtml(JSON.stringify(r.integrity.examples.slice(0, 10), null, 2))}</pre>` : '')
    : '<p class="note">no integrity check in this run</p>';
  const thresholds = r.thresholds?.length
    ? table(
        ['threshold', 'actual', 'result'],
        r.thresholds.map((t) => [t.expression, t.actual, t.passed ? 'passed' : 'BREACHED']),
      )
    : '<p class="note">no thresholds</p>';
  return `<h3>Errors by SQLSTATE</h3>${errors}<h3>Integrity</h3>${integrity}<h3>Thresholds</h3>${thresholds}`;
}

function workersAndSessions(r: RunReport): string {
  const byStatus: Record<string, number> = {};
  for (const s of r.sessionResults) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  return (
    table(
      ['worker', 'host', 'sessions'],
      r.workers.map((w) => [w.id, w.host, formatNumber(w.sessions)]),
    ) +
    keyValueTable([
      ...Object.entries(byStatus).map(([status, n]) => [`sessions ${status}`, formatNumber(n)] as const),
      ['max concurrent sessions', formatNumber(r.sessions.maxConcurrent)],
      ['max late start', formatMs(r.sessions.maxLateStartMs)],
    ])
  );
}

const STYLE = `
:root{--fg:#1c2833;--muted:#6c7a89;--line:#d5d8dc;--bg:#fff;--band:#f4f6f7}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:18px 28px;border-bottom:1px solid var(--line);background:var(--band)}h1{margin:0;font-size:22px}
.sub{margin:4px 0 0;color:var(--muted)}main{padding:8px 28px 40px;max-width:1100px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{margin:18px 0 6px;font-size:15px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--band);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{font-weight:500;color:var(--muted)}table.statements td:first-child{font-family:ui-monospace,monospace;font-size:12px;max-width:520px;word-break:break-word}
figure.chart{margin:14px 0 22px}figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;max-width:820px;height:auto;display:block}
svg text{font-size:11px;fill:var(--muted)}svg .label{font-size:12px;fill:var(--fg)}svg .grid{stroke:#eaeded}svg .axis{stroke:#99a3a4}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted)}.legend i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;border-radius:2px}
.note{color:var(--muted);font-style:italic}.warn{color:#c0392b}pre{background:var(--band);padding:10px;overflow:auto;font-size:12px}
`;
