import type { ObservedWrites } from '../results/run-report-sections.ts';
import { formatNumber } from './format.ts';
import { keyValueTable, table } from './tables.ts';

/** report.html, integrity: what --verify-writes read back right after each write (run.json integrity.observed). */
export function observedSection(observed: ObservedWrites): string {
  const facts = keyValueTable([
    ['writes read back', formatNumber(observed.writesChecked)],
    ['anomalies observed', formatNumber(observed.anomalies)],
    ['per 1000 writes', String(observed.per1000)],
    ...Object.entries(observed.byDiagnosis ?? {}).map(([diagnosis, n]) => [`  ${diagnosis}`, formatNumber(n)] as const),
    ...(observed.otherSets !== undefined ? ([["another operation's set", formatNumber(observed.otherSets)]] as const) : []),
    ...(observed.readBackMicrosMean !== undefined ? ([['read-back mean (µs)', String(observed.readBackMicrosMean)]] as const) : []),
    ...(observed.cut ? ([['not sent (undercounted)', formatNumber(observed.cut)]] as const) : []),
  ]);
  const writes = (list: readonly { sessionId: number; operation: number }[]) => list.map((w) => `session ${w.sessionId} op ${w.operation}`).join(', ');
  const examples =
    observed.examples.length > 0
      ? table(
          ['document', 'diagnosis', 'rows', 'read back by', 'mixes'],
          observed.examples.map((e) => [
            String(e.documentId),
            e.diagnosis,
            formatNumber(e.rows),
            writes([e.seenBy]),
            e.mixed.map((m) => (m.set === 'dataset' ? `dataset set (${m.rows} rows)` : `${m.rows} rows by ${writes(m.writtenBy)}`)).join(' + '),
          ]),
        )
      : '';
  return `<h4>Observed right after each write (--verify-writes)</h4>${facts}${examples}`;
}
