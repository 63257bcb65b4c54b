import { escapeHtml, formatMs, formatNumber } from '../html/format.ts';
import { renderPage } from '../html/page.ts';
import { lockProfileChart } from '../html/report-html-locks.ts';
import { latencyOverTime, throughputChart } from '../html/report-html.ts';
import { keyValueTable, table } from '../html/tables.ts';
import type { LiveSnapshot } from './live-run.ts';

/**
 * The live dashboard (docs/architecture.md#live-view): the page frame, charts and colours of
 * report.html (coordinator/html/), rendered on the server. Each update is the page's sections
 * rendered again from a snapshot and sent over server-sent events; the page's one small script
 * swaps them in. Pure.
 */

/** Section id → its HTML, for the page and for every update. */
export type DashboardFragments = Readonly<Record<string, string>>;

export function dashboardFragments(s: LiveSnapshot): DashboardFragments {
  return {
    'live-figures': figures(s),
    'live-throughput': throughputChart(s),
    'live-latency': latencyOverTime(s),
    'live-errors': table(
      ['SQLSTATE', 'failed tries'],
      Object.entries(s.byError).map(([code, n]) => [code, formatNumber(n)]),
    ),
    'live-workers': table(
      ['worker', 'sessions', 'active', 'done', 'lost'],
      s.workers.map((w) => [w.id, formatNumber(w.sessions), formatNumber(w.active), formatNumber(w.done), formatNumber(w.lost)]),
    ),
    'live-locks': lockProfileChart(undefined, s.intervals) + blocking(s),
    'live-end': ending(s),
  };
}

const SECTIONS: readonly (readonly [string, string])[] = [
  ['live-figures', 'Now'],
  ['live-throughput', 'Throughput'],
  ['live-latency', 'Latency'],
  ['live-errors', 'Errors by SQLSTATE'],
  ['live-workers', 'Sessions by worker'],
  ['live-locks', 'Lock waits'],
  ['live-end', 'End of run'],
];

export function renderDashboard(s: LiveSnapshot): string {
  const fragments = dashboardFragments(s);
  const { info } = s;
  return renderPage({
    title: `refswarm live: ${info.name}`,
    subtitles: [`${info.scenario} · ${info.strategy} · ${info.shape} · ${info.sessions} sessions`, `run id ${info.runId}`],
    body: SECTIONS.map(([id, title]) => `<section><h2>${escapeHtml(title)}</h2><div id="${id}">${fragments[id]}</div></section>`).join('\n'),
    script: UPDATE_SCRIPT,
  });
}

/** Before the run has its workers: a page that looks again every second until the dashboard is there. */
export function renderWaiting(): string {
  return renderPage({
    title: 'refswarm live',
    subtitles: ['waiting for the run to find its workers'],
    body: '<p class="note">this page reloads by itself</p>',
    script: 'setTimeout(function(){location.reload();},1000);',
  });
}

/** One SSE message: `data: ` + this JSON (no newline inside). */
export function dashboardUpdate(s: LiveSnapshot): string {
  return JSON.stringify({ phase: s.phase, fragments: dashboardFragments(s) });
}

/** Swaps each section for its new HTML; stops listening when the run has finished. */
const UPDATE_SCRIPT = `(function(){var es=new EventSource('events');es.onmessage=function(m){var u=JSON.parse(m.data);for(var id in u.fragments){var el=document.getElementById(id);if(el)el.innerHTML=u.fragments[id];}document.body.setAttribute('data-phase',u.phase);if(u.phase==='finished')es.close();};})();`;

function figures(s: LiveSnapshot): string {
  const l = s.latest;
  return `<div data-phase="${s.phase}" data-ok="${s.ops.ok}" data-failed="${s.ops.failed}">${keyValueTable([
    ['state', s.phase],
    ['elapsed', `${formatNumber(s.elapsedSeconds, 1)} s`],
    ['ops/s (last interval)', l ? formatNumber(l.opsPerSec, 1) : '–'],
    ['latency p50 / p99 (last interval)', l ? `${formatMs(l.p50Ms)} / ${formatMs(l.p99Ms)}` : '–'],
    ['latency p50 / p99 (run so far)', `${formatMs(s.latencyMs.p50)} / ${formatMs(s.latencyMs.p99)}`],
    ['operations', `${formatNumber(s.ops.ok)} ok, ${formatNumber(s.ops.failed)} failed, ${formatNumber(s.ops.rejected)} rejected, ${formatNumber(s.ops.retried)} retried`],
    ['sessions active / lost', `${formatNumber(sum(s, 'active'))} / ${formatNumber(sum(s, 'lost'))} of ${formatNumber(s.info.sessions)}`],
  ])}</div>`;
}

function sum(s: LiveSnapshot, key: 'active' | 'lost'): number {
  return s.workers.reduce((total, w) => total + w[key], 0);
}

function blocking(s: LiveSnapshot): string {
  if (!s.blocking) return '<p class="note">no lock-wait samples (yet)</p>';
  const chain = s.blocking.longestChain;
  return keyValueTable([
    ['blocked sessions (latest sample)', formatNumber(s.blocking.blocked)],
    ['longest blocking chain', chain.length === 0 ? 'none' : `${chain.length} deep: pid ${chain.join(' waits for ')}`],
  ]);
}

function ending(s: LiveSnapshot): string {
  const end = s.end;
  if (!end) return '<p class="note">the run is still going</p>';
  const integrity = end.integrity
    ? `${formatNumber(end.integrity.violations)} violations in ${formatNumber(end.integrity.documentsChecked)} documents checked`
    : 'not checked in this run';
  return (
    keyValueTable([
      ['status', end.status],
      ...(end.problem ? ([['problem', end.problem]] as const) : []),
      ['integrity', integrity],
    ]) + (end.reportPath ? `<p><a id="report-link" href="report">report.html</a> (${escapeHtml(end.reportPath)})</p>` : '')
  );
}
