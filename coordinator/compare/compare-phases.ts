import { orderedPhases } from '../../shared/phases.ts';
import type { RunReport } from '../results/run-report.ts';
import { numericRow, type CompareRow } from './compare-row.ts';

/**
 * The phases of the runs side by side (run.json `phases`, shared/phases.ts): p50 and p99 of every
 * phase some run measured, in the vocabulary's order; "-" for a run without it (another shape, or
 * made before phases were measured).
 */
export function phaseRows(reports: readonly RunReport[], format: (v: number) => string): CompareRow[] {
  return comparedPhases(reports).flatMap((phase) =>
    (['p50', 'p99'] as const).map((key) =>
      numericRow('phase latency ms', `${phase} ${key}`, reports.map((r) => phaseOf(r, phase)?.[key] ?? null), format, 'lower'),
    ),
  );
}

/** Every phase some run measured, in the vocabulary's order. */
export function comparedPhases(reports: readonly RunReport[]): string[] {
  const union: Record<string, true> = {};
  for (const r of reports) for (const name of Object.keys(r.phases ?? {})) union[name] = true;
  return orderedPhases(union).map(([name]) => name);
}

function phaseOf(report: RunReport, phase: string) {
  const summary = report.phases?.[phase];
  return summary && summary.count > 0 ? summary : undefined;
}
