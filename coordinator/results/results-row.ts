import type pg from 'pg';
import type { RunReport } from './run-report.ts';
import { loadSql } from '../../shared/sql.ts';

/** The run's row in dms.perf_test_results, so SQL users find every run next to the data. */
export async function insertRunRow(client: pg.Client, report: RunReport): Promise<void> {
  const { latencyMs } = report;
  const before = report.pg?.before;
  const after = report.pg?.after;
  const hasLatency = latencyMs.count > 0;
  await client.query(loadSql('results/insert-run'), [
    report.runId,
    report.name,
    `${report.config.workload.scenario.scenario}/${report.config.workload.strategy}/${report.config.workload.shape}`,
    report.startedAt,
    report.endedAt,
    report.ops.ok + report.ops.failed + (report.ops.rejected ?? 0),
    hasLatency ? latencyMs.min : null,
    hasLatency ? latencyMs.mean : null,
    hasLatency ? latencyMs.max : null,
    hasLatency ? latencyMs.p95 : null,
    hasLatency ? latencyMs.p99 : null,
    numberAt(before, 'tables', 'reference', 'n_dead_tup'),
    numberAt(after, 'tables', 'reference', 'n_dead_tup'),
    numberAt(before, 'sizes', 'reference', 'tableBytes'),
    numberAt(after, 'sizes', 'reference', 'tableBytes'),
    numberAt(before, 'sizes', 'reference', 'indexBytes'),
    numberAt(after, 'sizes', 'reference', 'indexBytes'),
    JSON.stringify(report.config),
    JSON.stringify({
      runId: report.runId,
      dataset: report.dataset,
      sessions: report.sessions,
      ops: report.ops,
      throughput: report.throughput,
      latencyMs: report.latencyMs,
      serviceTimeMs: report.serviceTimeMs ?? null,
      perOp: report.pg?.perOp ?? null,
      lockWaits: report.lockWaits?.byEvent ?? null,
      integrity: report.integrity ? { documentsChecked: report.integrity.documentsChecked, violations: report.integrity.violations } : null,
    }),
  ]);
}

/** A number nested in a snapshot whose shape belongs to the observer that took it; null when absent. */
function numberAt(value: unknown, ...path: string[]): number | null {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}
