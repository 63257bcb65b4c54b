import type { RunReport } from '../results/run-report.ts';
import { formatNumber } from './format.ts';
import { seriesColour } from './palette.ts';
import { barChart } from './svg-charts.ts';

/**
 * compare.html's contention pictures (the numbers are the "contended documents" and "deadlock
 * patterns" rows under them): deadlocks per run, and each run's most contended documents as bars in
 * the run's colour. Nothing for runs without tags or deadlock counts. Pure.
 */

const DOCUMENTS_PER_RUN = 5;

export function contentionCharts(reports: readonly RunReport[], names: readonly string[]): string[] {
  const charts: string[] = [];
  if (reports.some((r) => r.deadlocks !== undefined)) {
    charts.push(
      barChart('deadlocks', 'deadlocks', reports.map((r, i) => ({ label: names[i], value: r.deadlocks?.count ?? null, color: seriesColour(i) })), (v) => formatNumber(v, 0)),
    );
  }
  const documents = reports.flatMap((r, i) =>
    (r.lockWaits?.documents ?? []).slice(0, DOCUMENTS_PER_RUN).map((d) => ({ label: `${names[i]}: doc ${d.document}`, value: d.blockedSamples, color: seriesColour(i) })),
  );
  if (documents.length > 0) {
    charts.push(barChart('contended-documents', 'most contended documents per run (blocked session-samples)', documents, (v) => formatNumber(v, 0)));
  }
  return charts;
}
