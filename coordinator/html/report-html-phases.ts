import { orderedPhases } from '../../shared/phases.ts';
import { comparedPhases } from '../compare/compare-phases.ts';
import type { RunReport } from '../results/run-report.ts';
import { formatMs, formatNumber } from './format.ts';
import { PHASE_COLOURS, seriesColour } from './palette.ts';
import { barChart, lineChart } from './svg-charts.ts';
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
