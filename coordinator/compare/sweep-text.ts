import type { RunReport } from '../results/run-report.ts';
import { contentionKnee, sweepSeries, type SweepCell } from './sweep.ts';

/**
 * The sweep's own terminal table: throughput and p99 by session count (rows) and series (columns),
 * then where each series stops scaling. Pure: returns the text.
 */
export function renderSweepText(cells: readonly SweepCell[], reports: ReadonlyMap<number, RunReport>): string {
  const names = [...new Set(cells.map((c) => c.series))];
  const sessions = [...new Set(cells.map((c) => c.sessions))].sort((a, b) => a - b);
  const cellOf = (series: string, n: number): string => {
    const cell = cells.find((c) => c.series === series && c.sessions === n);
    const report = cell ? reports.get(cell.index) : undefined;
    if (!report) return 'failed';
    const p99 = report.latencyMs.count > 0 ? `${report.latencyMs.p99}ms` : '-';
    return `${report.throughput.opsPerSec.toFixed(1)} ops/s, p99 ${p99}`;
  };
  const rows = sessions.map((n) => [String(n), ...names.map((name) => cellOf(name, n))]);
  const header = ['sessions', ...names];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: readonly string[]): string => cols.map((c, i) => (i === 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line), ''];
  for (const series of sweepSeries(cells, reports).throughput) {
    const knee = contentionKnee(series);
    out.push(`${series.name}: ${knee === undefined ? 'throughput still scaling at the largest session count' : `throughput stops scaling after ${knee} sessions`}`);
  }
  return out.join('\n') + '\n';
}
