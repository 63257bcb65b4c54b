import { orderedPhases } from '../../shared/phases.ts';
import { comparedPhases } from '../compare/compare-phases.ts';
import type { LockWaitSection, RunReport } from '../results/run-report.ts';
import { formatMs, formatNumber } from './format.ts';
import { OTHER, PHASE_COLOURS, seriesColour, waitEventColours } from './palette.ts';
import { barChart, lineChart, stackedBarChart } from './svg-charts.ts';
import { table } from './tables.ts';

/**
 * The phases of an operation in the pages (run.json `phases`, shared/phases.ts): in report.html a
 * bar per phase (p99), each phase's p99 over time, and the table of each phase's latency under them;
 * in compare.html each phase's p99 for every run side by side. Pure.
 */

export function phaseSection(report: RunReport): string {
  const phases = orderedPhases(report.phases ?? {});
  if (phases.length === 0) return '<p class="note">no phase measured in this run (noop, or a run made before phases were measured)</p>';
  const chart = barChart(
    'phases',
    'Latency p99 per phase (the successful try of each ok operation)',
    phases.map(([name, l]) => ({ label: name, value: l.count > 0 ? l.p99 : null, color: PHASE_COLOURS[name] ?? seriesColour(0) })),
    formatMs,
  );
  const rows = phases.map(([name, l]) => [
    name,
    formatNumber(l.count),
    formatMs(l.mean),
    formatMs(l.p50),
    formatMs(l.p90),
    formatMs(l.p99),
    formatMs(l.p999),
    formatMs(l.max),
  ]);
  return chart + phasesOverTime(report) + table(['phase', 'count', 'average', 'p50', 'p90', 'p99', 'p99.9', 'max'], rows);
}

function phasesOverTime(report: RunReport): string {
  const timed = report.intervals.filter((i) => i.phaseP99Ms !== undefined);
  const names = orderedPhases(report.phases ?? {}).map(([name]) => name);
  return lineChart(
    'phases-over-time',
    'Latency p99 per phase over time (per interval)',
    names.map((name, k) => ({
      name: `${name} p99`,
      color: PHASE_COLOURS[name] ?? seriesColour(k),
      points: timed.flatMap((i) => (i.phaseP99Ms?.[name] === undefined ? [] : [{ x: i.t, y: i.phaseP99Ms[name] }])),
    })),
    { label: 'time (s)' },
    { label: 'latency (ms)', min: 0 },
  );
}

/** compare.html: one bar per (phase, run), grouped by phase, coloured by run. */
export function phaseComparisonChart(reports: readonly RunReport[], names: readonly string[]): string | undefined {
  const phases = comparedPhases(reports);
  if (phases.length === 0) return undefined;
  return barChart(
    'phase-p99',
    'latency p99 per phase, runs side by side',
    phases.flatMap((phase) =>
      reports.map((r, i) => {
        const l = r.phases?.[phase];
        return { label: `${phase} · ${names[i]}`, value: l && l.count > 0 ? l.p99 : null, color: seriesColour(i) };
      }),
    ),
    formatMs,
  );
}

/** Wait events a phase's bar shows before "other". */
const EVENTS_PER_PHASE = 6;

/**
 * The lock-wait profile split by phase (pg_wait_sampling only: its samples know their statement,
 * and each of the executor's statements its phase): one bar per phase, its samples' shares per event.
 */
export function phaseWaitChart(section: LockWaitSection | undefined): string {
  const byPhase = orderedPhases(section?.byPhase ?? {});
  if (byPhase.length === 0) return '';
  const totals: Record<string, number> = {};
  for (const [, events] of byPhase) for (const [event, n] of Object.entries(events)) totals[event] = (totals[event] ?? 0) + n;
  const ranked = Object.entries(totals)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, EVENTS_PER_PHASE)
    .map(([event]) => event);
  const colourOf = waitEventColours(ranked);
  const bars = byPhase.map(([phase, events]) => {
    const all = Object.values(events).reduce((a, b) => a + b, 0);
    const segments = ranked.map((event) => ({ name: event, color: colourOf(event), share: all ? (events[event] ?? 0) / all : 0 }));
    const listed = segments.reduce((sum, s) => sum + s.share, 0);
    if (1 - listed > 1e-9 && all > 0) segments.push({ name: OTHER, color: colourOf(OTHER), share: 1 - listed });
    return { label: `${phase} (${formatNumber(all)} samples)`, segments };
  });
  return stackedBarChart('lock-waits-by-phase', 'What each phase waits on (pg_wait_sampling, share of the phase\'s samples)', bars);
}
