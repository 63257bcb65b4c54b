import type { PgStatsSection } from '../results/run-report.ts';
import type { Counters, StatementRow, TableSizes } from '../results/run-report-sections.ts';
import { escapeHtml, formatBytes, formatNumber } from './format.ts';
import { keyValueTable, table, type Cell } from './tables.ts';

/**
 * The PostgreSQL part of report.html: per-operation figures and the delta tables. Any source may be
 * missing from run.json's `pg` (the server lacked it); what is there has the types run-report-sections.ts
 * declares (checked when run.json is read). Pure.
 */

type Keyed<T> = Readonly<Record<string, T>>;

const PER_OP_LABELS: readonly (readonly [key: string, label: string, bytes?: boolean])[] = [
  ['deadTuples', 'dead tuples (net change)'],
  ['rowsInserted', 'rows inserted'],
  ['rowsUpdated', 'rows updated'],
  ['rowsDeleted', 'rows deleted'],
  ['hotUpdates', 'HOT updates'],
  ['walBytes', 'WAL bytes', true],
  ['walRecords', 'WAL records'],
  ['walFullPageImages', 'WAL full-page images'],
  ['walBytesCluster', 'WAL bytes (whole cluster)', true],
  ['buffersHit', 'buffers hit'],
  ['buffersRead', 'buffers read'],
  ['referenceDeadTuples', 'dead tuples in dms.reference (pgstattuple)'],
  ['sizeGrowthBytes', 'size growth', true],
];

export function pgSections(pg: PgStatsSection | undefined): string {
  if (!pg) return '<p class="note">no PostgreSQL statistics in this run</p>';
  const { delta, before, after } = pg;
  const source = delta.walBytesSource !== undefined ? ` (WAL bytes from ${delta.walBytesSource})` : '';
  return [
    `<h3>Per operation${escapeHtml(source)}</h3>`,
    keyValueTable(
      PER_OP_LABELS.filter(([key]) => key in pg.perOp).map(([key, label, bytes]) => [
        label,
        bytes ? formatBytes(pg.perOp[key]) : formatNumber(pg.perOp[key], 3),
      ]),
    ),
    '<h3>Tables (partitions summed)</h3>',
    tableActivity(delta.tables ?? {}),
    '<h3>Buffers per table</h3>',
    tableIo(delta.tableIo ?? {}),
    '<h3>Sizes (partitions summed)</h3>',
    sizes(before.sizes ?? {}, after.sizes ?? {}),
    '<h3>Dead tuples in dms.reference (pgstattuple_approx)</h3>',
    referenceTuples(before.referenceTuples ?? {}, after.referenceTuples ?? {}),
    '<h3>Database</h3>',
    counters(delta.database ?? {}, ['xact_commit', 'xact_rollback', 'deadlocks', 'conflicts', 'blks_hit', 'blks_read', 'tup_inserted', 'tup_updated', 'tup_deleted', 'temp_files', 'temp_bytes']),
    '<h3>WAL</h3>',
    counters({ ...delta.wal, ...(delta.walLsnBytes !== undefined ? { wal_position_bytes: delta.walLsnBytes } : {}) }, [
      'wal_records',
      'wal_fpi',
      'wal_bytes',
      'wal_buffers_full',
      'wal_write',
      'wal_sync',
      'wal_position_bytes',
    ]),
    '<h3>Functions</h3>',
    functions(delta.functions ?? {}),
    '<h3>Top statements</h3>',
    statements(delta.statements ?? []),
    '<h3>Missing sources</h3>',
    table(
      ['source', 'why'],
      Object.entries(pg.missing).map(([k, v]) => [k, v]),
    ),
  ].join('');
}

function tableActivity(tables: Keyed<Counters>): string {
  return table(
    ['table', 'inserted', 'updated', 'HOT', 'deleted', 'live Δ', 'dead Δ', 'seq scans', 'index scans', 'vacuums'],
    Object.entries(tables).map(([name, t]) => [
      name,
      formatNumber(t.n_tup_ins),
      formatNumber(t.n_tup_upd),
      formatNumber(t.n_tup_hot_upd),
      formatNumber(t.n_tup_del),
      formatNumber(t.n_live_tup),
      formatNumber(t.n_dead_tup),
      formatNumber(t.seq_scan),
      formatNumber(t.idx_scan),
      formatNumber((t.vacuum_count ?? 0) + (t.autovacuum_count ?? 0)),
    ]),
  );
}

function tableIo(tables: Keyed<Counters>): string {
  return table(
    ['table', 'heap hit', 'heap read', 'index hit', 'index read', 'toast hit', 'toast read'],
    Object.entries(tables).map(([name, t]) => [
      name,
      formatNumber(t.heap_blks_hit),
      formatNumber(t.heap_blks_read),
      formatNumber(t.idx_blks_hit),
      formatNumber(t.idx_blks_read),
      formatNumber(t.toast_blks_hit),
      formatNumber(t.toast_blks_read),
    ]),
  );
}

function sizes(before: Keyed<TableSizes>, after: Keyed<TableSizes>): string {
  return table(
    ['table', 'partitions', 'table before', 'table after', 'indexes before', 'indexes after', 'total growth'],
    Object.entries(after).map(([name, a]) => {
      const b: TableSizes | undefined = before[name];
      return [
        name,
        formatNumber(a.partitions),
        formatBytes(b?.tableBytes),
        formatBytes(a.tableBytes),
        formatBytes(b?.indexBytes),
        formatBytes(a.indexBytes),
        formatBytes(a.totalBytes - (b?.totalBytes ?? 0)),
      ];
    }),
  );
}

function referenceTuples(before: Keyed<Counters>, after: Keyed<Counters>): string {
  const rows: Cell[][] = Object.entries(after).map(([partition, a]) => {
    const b: Counters | undefined = before[partition];
    return [partition, formatNumber(a.approx_tuple_count), formatNumber(b?.dead_tuple_count), formatNumber(a.dead_tuple_count), formatBytes(a.dead_tuple_len), formatBytes(a.approx_free_space)];
  });
  return table(['partition', 'tuples (approx)', 'dead before', 'dead after', 'dead bytes after', 'free space after'], rows);
}

function counters(values: Counters, order: readonly string[]): string {
  const keys = [...order.filter((k) => k in values), ...Object.keys(values).filter((k) => !order.includes(k)).sort()];
  return keyValueTable(keys.map((k) => [k, /bytes/.test(k) ? formatBytes(values[k]) : formatNumber(values[k], 3)]));
}

function functions(values: Keyed<Counters>): string {
  return table(
    ['function', 'calls', 'total time', 'self time', 'mean'],
    Object.entries(values)
      .filter(([, f]) => (f.calls ?? 0) > 0)
      .map(([name, f]) => [name, formatNumber(f.calls), `${formatNumber(f.total_time_ms)} ms`, `${formatNumber(f.self_time_ms)} ms`, `${formatNumber(f.calls ? f.total_time_ms / f.calls : null, 3)} ms`]),
  );
}

function statements(rows: readonly StatementRow[]): string {
  return table(
    ['statement', 'calls', 'total time', 'mean', 'rows', 'WAL', 'buffers hit', 'buffers read'],
    rows.map((s) => {
      const c = s.counters;
      return [
        s.query,
        formatNumber(c.calls),
        `${formatNumber(c.total_exec_time_ms)} ms`,
        `${formatNumber(c.calls ? c.total_exec_time_ms / c.calls : null, 3)} ms`,
        formatNumber(c.rows),
        formatBytes(c.wal_bytes),
        formatNumber(c.shared_blks_hit),
        formatNumber(c.shared_blks_read),
      ];
    }),
    'data statements',
  );
}
