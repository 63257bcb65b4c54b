import type { DeadlockPattern } from '../results/run-report-sections.ts';
import type { RunReport } from '../results/run-report.ts';
import type { CompareRow } from './compare-row.ts';

/**
 * The contention rows of a comparison (docs/architecture.md#sql-tags): deadlocks, the batch order
 * they depend on, each run's most contended documents and its most frequent deadlock patterns, rank
 * by rank. Text cells: a document or a pattern is named, not diffed. Pure.
 */

export const COMPARED_DOCUMENTS = 5;
export const COMPARED_PATTERNS = 3;

export function contentionRows(reports: readonly RunReport[]): CompareRow[] {
  const rows: CompareRow[] = [];
  const tagged = reports.some((r) => r.lockWaits?.documents !== undefined);
  const withDeadlocks = reports.some((r) => r.deadlocks !== undefined);
  if (!tagged && !withDeadlocks) return rows;
  const text = (group: string, label: string, pick: (r: RunReport) => string): void => {
    rows.push({ group, label, numeric: false, cells: reports.map((r) => ({ text: pick(r), value: null })) });
  };
  text('contention', 'batch order', (r) => (r.config.workload.scenario.scenario === 'batch' ? (r.config.workload.scenario.sorted ? 'sorted' : 'random') : '-'));
  if (withDeadlocks) {
    const counts = reports.map((r) => r.deadlocks?.count ?? null);
    rows.push({
      group: 'contention',
      label: 'deadlocks',
      numeric: true,
      better: 'lower',
      cells: counts.map((value) => ({ text: value === null ? '-' : String(value), value })),
    });
  }
  if (tagged) {
    for (let rank = 0; rank < COMPARED_DOCUMENTS; rank++) {
      if (!reports.some((r) => (r.lockWaits?.documents?.length ?? 0) > rank)) break;
      text('contended documents', `#${rank + 1}`, (r) => {
        const d = r.lockWaits?.documents?.[rank];
        return d ? `document ${d.document} (key ${d.partition}): ${d.blockedSamples}` : '-';
      });
    }
  }
  for (let rank = 0; rank < COMPARED_PATTERNS; rank++) {
    if (!reports.some((r) => (r.deadlocks?.patterns.length ?? 0) > rank)) break;
    text('deadlock patterns', `#${rank + 1}`, (r) => {
      const p = r.deadlocks?.patterns[rank];
      return p ? `${p.count}× ${patternText(p)}` : '-';
    });
  }
  return rows;
}

/** A pattern by its locks alone: "A transaction ShareLock on dms.reference_00 → B tuple ExclusiveLock …". */
export function patternText(pattern: DeadlockPattern): string {
  return pattern.cycle.map((p) => `${p.role} ${p.lockType} ${p.lockMode}${p.relation ? ` on ${p.relation}` : ''}`).join(' → ');
}
