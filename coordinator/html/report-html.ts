import type { RunReport } from '../results/run-report.ts';
import type { SpectrumPoint } from './percentile-spectrum.ts';
import { escapeHtml, formatMs, formatNumber, formatShare } from './format.ts';
import { familyShare } from '../observe/lock-profile.ts';
import { lockProfileChart, lockTables } from './report-html-locks.ts';
import { contentionSection } from './report-html-contention.ts';
import { explainSection } from './report-html-explain.ts';
import { environmentSection } from './report-html-environment.ts';
import { generatorHealth } from './report-html-generator.ts';
import { observedSection } from './report-html-observed.ts';
import { pgSections } from './report-html-pg.ts';
import { phaseSection, phaseWaitChart } from './report-html-phases.ts';
import { lineChart, type Tick } from './svg-charts.ts';
import { keyValueTable, table } from './tables.ts';
import { MEASURE_COLOURS } from './palette.ts';
import { renderPage } from './page.ts';
import { sharedDatabaseNote } from '../results/summary.ts';

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
  return renderPage({
    title,
    subtitles: [subtitle, `run id ${report.runId}`],
    body: `<section id="summary"><h2>Summary</h2>${sharedDatabaseWarning(report)}${summaryTable(report)}</section>
<section id="latency"><h2>Latency</h2>${spectrumChart(spectrum)}${latencyOverTime(report)}${generatorHealth(report.generator)}</section>
<section id="phases"><h2>Phases</h2>${phaseSection(report)}</section>
<section id="throughput"><h2>Throughput</h2>${throughputChart(report)}</section>
<section id="lock-waits"><h2>Lock waits</h2>${lockProfileChart(report.lockWaits, report.intervals)}${phaseWaitChart(report.lockWaits)}${lockTables(report.lockWaits)}</section>
${contentionHtml(report)}<section id="postgresql"><h2>PostgreSQL</h2>${pgSections(report.pg)}</section>
${report.explain ? `<section id="explain"><h2>EXPLAIN</h2>${explainSection(report.explain)}</section>\n` : ''}<section id="errors"><h2>Errors, integrity, thresholds</h2>${errorsAndChecks(report)}</section>
<section id="sessions"><h2>Workers and sessions</h2>${workersAndSessions(report)}</section>
<section id="environment"><h2>Environment</h2>${environmentSection(report.environment)}</section>
<section id="config"><h2>Configuration</h2><details><summary>resolved configuration (secrets masked)</summary><pre>${escapeHtml(
    JSON.stringify({ config: report.config, dataset: report.dataset }, null, 2),
  )}</pre></details></section>`,
  });
}

function sharedDatabaseWarning(r: RunReport): string {
  return r.concurrentRuns && r.concurrentRuns.length > 0 ? `<p class="warn">${escapeHtml(sharedDatabaseNote(r.concurrentRuns))}</p>` : '';
}

function summaryTable(r: RunReport): string {
  const l = r.latencyMs;
  return keyValueTable([
    ['scenario', r.config.workload.scenario.scenario],
    ['strategy', r.config.workload.strategy],
    ['shape', r.config.workload.shape],
    ['sessions', `${r.sessions.completed} completed of ${r.sessions.requested} (${r.sessions.aborted ?? 0} aborted, ${r.sessions.failed ?? 0} failed, ${r.sessions.lost} lost)`],
    ['duration', `${formatNumber(r.durationMs / 1000, 3)} s`],
    [
      'operations',
      `${formatNumber(r.ops.ok)} ok, ${formatNumber(r.ops.failed)} failed, ${
        r.ops.rejected === undefined ? '' : `${formatNumber(r.ops.rejected)} rejected (unknown ids), `
      }${formatNumber(r.ops.retried)} retried`,
    ],
    ['ops/s', formatNumber(r.throughput.opsPerSec, 1)],
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
  const points = spectrum.filter((p) => p.percentile < 1).map((p) => ({ x: Math.log10(1 / (1 - p.percentile)), y: p.valueMs }));
  const maxX = Math.max(1, Math.ceil(points.at(-1)?.x ?? 1));
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
    r.intervals.filter((i) => i.ok + i.failed > 0).map((i) => ({ x: i.t, y: pick(i) }));
  return lineChart(
    'latency-over-time',
    'Latency over time (per interval)',
    [
      { name: 'latency p50', color: MEASURE_COLOURS.latencyP50, points: at((i) => i.p50Ms) },
      { name: 'latency p99', color: MEASURE_COLOURS.latencyP99, points: at((i) => i.p99Ms) },
      { name: 'latency max', color: MEASURE_COLOURS.latencyMax, points: at((i) => i.maxMs), dashed: true },
    ],
    { label: 'time (s)' },
    { label: 'latency (ms)', min: 0 },
  );
}

function throughputChart(r: RunReport): string {
  return lineChart(
    'throughput',
    'ops/s (per interval)',
    [
      { name: 'ops/s', color: MEASURE_COLOURS.opsPerSec, points: r.intervals.map((i) => ({ x: i.t, y: i.opsPerSec })) },
      { name: 'failed/s', color: MEASURE_COLOURS.failedPerSec, points: r.intervals.filter((i) => i.failed > 0).length > 0 ? r.intervals.map((i) => ({ x: i.t, y: intervalRate(r, i.failed) })) : [] },
    ],
    { label: 'time (s)' },
    { label: 'ops/s', min: 0 },
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
      (r.integrity.examples.length > 0 ? `<pre>${escapeHtml(JSON.stringify(r.integrity.examples.slice(0, 10), null, 2))}</pre>` : '') +
      (r.integrity.observed ? observedSection(r.integrity.observed) : '')
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

function contentionHtml(report: RunReport): string {
  const body = contentionSection(report.lockWaits, report.deadlocks);
  return body === '' ? '' : `<section id="contention"><h2>Contention</h2>${body}</section>\n`;
}
