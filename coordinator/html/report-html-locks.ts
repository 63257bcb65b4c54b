import type { IntervalSummary, LockWaitSection } from '../results/run-report.ts';
import { escapeHtml, formatNumber, formatShare } from './format.ts';
import { stackedAreaChart, type Layer } from './svg-charts.ts';
import { keyValueTable, table } from './tables.ts';
import { OTHER, waitEventColours } from './palette.ts';
import { lockSamplingGap } from '../observe/lock-profile.ts';

/** The lock-wait part of report.html: the profile over time (stacked shares) and its tables. Pure. */

const MAX_LAYERS = 8;

export function lockCategories(section: LockWaitSection | undefined, intervals: readonly IntervalSummary[]): string[] {
  const weight = new Map<string, number>();
  // The per-interval profiles are the client sampler's, whatever the section's source.
  const totals = section?.clientSampler?.byEvent ?? section?.byEvent;
  if (totals && Object.keys(totals).length > 0) {
    for (const [k, v] of Object.entries(totals)) weight.set(k, v);
  } else {
    for (const i of intervals) for (const [k, v] of Object.entries(i.lockWaits ?? {})) weight.set(k, (weight.get(k) ?? 0) + v);
  }
  return [...weight].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

export function lockProfileChart(section: LockWaitSection | undefined, intervals: readonly IntervalSummary[]): string {
  const sampled = intervals.filter((i) => i.lockWaits && Object.keys(i.lockWaits).length > 0);
  const categories = lockCategories(section, sampled);
  const shown = categories.slice(0, MAX_LAYERS);
  const rest = new Set(categories.slice(MAX_LAYERS));
  const colourOf = waitEventColours(shown);
  const layers: Layer[] = shown.map((name) => ({
    name,
    color: colourOf(name),
    values: sampled.map((i) => (i.lockWaits?.[name] ?? 0) * 100),
  }));
  if (rest.size > 0) {
    layers.push({
      name: OTHER,
      color: colourOf(OTHER),
      values: sampled.map((i) => Object.entries(i.lockWaits ?? {}).reduce((s, [k, v]) => (rest.has(k) ? s + v : s), 0) * 100),
    });
  }
  return stackedAreaChart(
    'lock-waits',
    'Lock-wait profile over time (share of session-samples per interval)',
    sampled.map((i) => i.t),
    layers,
    { label: 'time (s)' },
    { label: 'share of sessions (%)', min: 0, max: 100, format: (v) => `${v}%` },
  );
}

export function lockTables(section: LockWaitSection | undefined): string {
  if (!section) return '<p class="note">no lock-wait samples in this run</p>';
  const total = section.sessionSamples;
  const gap = lockSamplingGap(section);
  const rows = Object.entries(section.byEvent).map(([event, count]) => [event, formatNumber(count), formatShare(total ? count / total : 0)]);
  const blocked = section.blocked;
  const counted = (value: Readonly<Record<string, number>> = {}): string[][] =>
    Object.entries(value).map(([k, v]) => [k, formatNumber(v), formatShare(total ? v / total : 0)]);
  return (
    (gap ? `<p class="warn">lock-wait profile ${escapeHtml(gap)}</p>` : '') +
    keyValueTable([
      ['source', waitSourceText(section)],
      ['samples', formatNumber(section.samples)],
      ['session-samples', formatNumber(total)],
      ['blocked session-samples', formatNumber(blocked.sessionSamples)],
      ['max blocked in one sample', formatNumber(blocked.maxBlockedInSample)],
      ['max chain depth', formatNumber(blocked.maxChainDepth)],
      ...(section.sampleTimeMs ? [['sample time, mean / max (ms)', `${formatNumber(section.sampleTimeMs.mean)} / ${formatNumber(section.sampleTimeMs.max)}`] as [string, string]] : []),
    ]) +
    '<h3>By wait event</h3>' +
    table(['state or wait event', 'session-samples', 'share'], rows) +
    statementWaits(section) +
    '<h3>Blocked: lock waited for</h3>' +
    table(['lock type:mode', 'session-samples', 'share'], counted(blocked.byLockType)) +
    '<h3>Blocked: relation</h3>' +
    table(['relation', 'session-samples', 'share'], counted(blocked.byRelation)) +
    '<h3>Blocked: chain depth</h3>' +
    table(['depth', 'session-samples', 'share'], counted(blocked.byChainDepth))
  );
}

function waitSourceText(section: LockWaitSection): string {
  if (section.source === 'pg_wait_sampling') {
    const period = section.periodMs === undefined ? '' : ` every ${formatNumber(section.periodMs)} ms`;
    return `pg_wait_sampling (in-server, each backend${period}); blocked and the chart over time: client sampler`;
  }
  return section.sourceNote ? `client sampler (${section.sourceNote})` : 'client sampler';
}

/** pg_wait_sampling only: what each top-level statement waited on, its text from pg_stat_statements. */
function statementWaits(section: LockWaitSection): string {
  if (!section.statements || section.statements.length === 0) return '';
  const rows = section.statements.map((s) => [
    s.query ?? `queryid ${s.queryid}`,
    formatNumber(s.samples),
    Object.entries(s.byEvent)
      .slice(0, 4)
      .map(([event, n]) => `${event} ${formatShare(s.samples ? n / s.samples : 0)}`)
      .join(', '),
  ]);
  return '<h3>By statement (pg_wait_sampling, joined to pg_stat_statements)</h3>' + table(['statement', 'samples', 'waits on'], rows);
}
