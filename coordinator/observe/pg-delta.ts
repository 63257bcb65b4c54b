import type { Counters, PgDelta, PgSnapshot, SizeChange, StatementRow, TableSizes } from '../results/run-report-sections.ts';

export type { PgDelta } from '../results/run-report-sections.ts';

/**
 * What a run cost the server: the difference of two snapshots, and the same per operation
 * (docs/architecture.md#observability). Pure. Cumulative counters give what happened between the
 * snapshots; gauges (n_live_tup, n_dead_tup, sizes) give the net change.
 */

export const TOP_STATEMENTS = 20;

export function pgDelta(before: PgSnapshot, after: PgSnapshot): PgDelta {
  const walLsnBytes =
    before.walLsn !== undefined && after.walLsn !== undefined ? lsnToBytes(after.walLsn) - lsnToBytes(before.walLsn) : undefined;
  const statementTotals = both(before.statementTotals, after.statementTotals, diffCounters);
  const wal = both(before.wal, after.wal, diffCounters);
  return {
    tables: both(before.tables, after.tables, diffKeyed),
    tableIo: both(before.tableIo, after.tableIo, diffKeyed),
    database: both(before.database, after.database, diffCounters),
    functions: both(before.functions, after.functions, diffKeyed),
    statementTotals,
    statements: both(before.statements, after.statements, diffStatements),
    wal,
    walLsnBytes,
    io: both(before.io, after.io, diffKeyed),
    referenceTuples: both(before.referenceTuples, after.referenceTuples, (b, a) => withTotal(diffKeyed(b, a))),
    sizes: both(before.sizes, after.sizes, diffSizes),
    walBytesSource:
      statementTotals?.wal_bytes !== undefined && !statementsEvicted(statementTotals)
        ? 'pg_stat_statements'
        : wal?.wal_bytes !== undefined
          ? 'pg_stat_wal'
          : walLsnBytes !== undefined
            ? 'wal_position'
            : undefined,
  };
}

/**
 * pg_stat_statements evicted entries between the snapshots (other databases' statements filled it),
 * or was reset (all of it, or this database's by another run's --reset-stats): the sums lost what
 * those entries held, so their difference can even be negative. The cluster's WAL counters are the
 * better source then.
 */
export function statementsEvicted(totals: Counters): boolean {
  return (totals.dealloc ?? 0) !== 0 || (totals.stats_reset ?? 0) !== 0 || (totals.calls ?? 0) < 0 || (totals.wal_bytes ?? 0) < 0;
}

/**
 * Per-operation figures: dead tuples, WAL bytes, buffers, rows. null when the source is missing
 * or no operation ran. WAL bytes prefer this database's statements (pg_stat_statements) over the
 * cluster-wide counters, which include whatever else the server did meanwhile.
 */
export function perOperation(delta: PgDelta, ops: number): Record<string, number | null> {
  const per = (value: number | undefined): number | null =>
    value === undefined || !(ops > 0) ? null : round(value / ops);
  const tableSum = (column: string): number | undefined =>
    delta.tables === undefined ? undefined : sum(Object.values(delta.tables).map((t) => t[column] ?? 0));
  const walBytes =
    delta.walBytesSource === 'pg_stat_statements'
      ? delta.statementTotals?.wal_bytes
      : delta.walBytesSource === 'pg_stat_wal'
        ? delta.wal?.wal_bytes
        : delta.walLsnBytes;
  return {
    deadTuples: per(tableSum('n_dead_tup')),
    rowsInserted: per(tableSum('n_tup_ins')),
    rowsUpdated: per(tableSum('n_tup_upd')),
    rowsDeleted: per(tableSum('n_tup_del')),
    hotUpdates: per(tableSum('n_tup_hot_upd')),
    walBytes: per(walBytes),
    walRecords: per(delta.walBytesSource === 'pg_stat_statements' ? delta.statementTotals?.wal_records : delta.wal?.wal_records),
    walFullPageImages: per(delta.walBytesSource === 'pg_stat_statements' ? delta.statementTotals?.wal_fpi : delta.wal?.wal_fpi),
    walBytesCluster: per(delta.wal?.wal_bytes ?? delta.walLsnBytes),
    buffersHit: per(delta.database?.blks_hit),
    buffersRead: per(delta.database?.blks_read),
    referenceDeadTuples: per(delta.referenceTuples?.total?.dead_tuple_count),
    sizeGrowthBytes: per(delta.sizes === undefined ? undefined : sum(Object.values(delta.sizes).map((s) => s.totalBytes))),
  };
}

/** "16/B374D848" → bytes since the start of WAL. */
export function lsnToBytes(lsn: string): number {
  const match = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn.trim());
  if (!match) throw new Error(`not a WAL position: "${lsn}"`);
  return parseInt(match[1], 16) * 2 ** 32 + parseInt(match[2], 16);
}

export function diffCounters(before: Counters, after: Counters): Counters {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const previous = before[key];
    if (previous !== undefined) result[key] = round(value - previous);
  }
  return result;
}

/** Per key; a key only in `after` (a table or function first seen) counts from zero. */
function diffKeyed(
  before: Readonly<Record<string, Counters>>,
  after: Readonly<Record<string, Counters>>,
): Record<string, Counters> {
  const result: Record<string, Counters> = {};
  for (const [key, counters] of Object.entries(after)) result[key] = diffCounters(before[key] ?? zeroed(counters), counters);
  return result;
}

function diffStatements(before: readonly StatementRow[], after: readonly StatementRow[]): StatementRow[] {
  const previous = new Map(before.map((s) => [s.queryid, s.counters]));
  return after
    .map((s) => ({ ...s, counters: diffCounters(previous.get(s.queryid) ?? zeroed(s.counters), s.counters) }))
    .filter((s) => (s.counters.calls ?? 0) > 0)
    .sort((a, b) => (b.counters.total_exec_time_ms ?? 0) - (a.counters.total_exec_time_ms ?? 0))
    .slice(0, TOP_STATEMENTS);
}

function diffSizes(
  before: Readonly<Record<string, TableSizes>>,
  after: Readonly<Record<string, TableSizes>>,
): Record<string, SizeChange> {
  const result: Record<string, SizeChange> = {};
  for (const [table, sizes] of Object.entries(after)) {
    const b = before[table];
    result[table] = {
      tableBytes: sizes.tableBytes - (b?.tableBytes ?? 0),
      indexBytes: sizes.indexBytes - (b?.indexBytes ?? 0),
      totalBytes: sizes.totalBytes - (b?.totalBytes ?? 0),
    };
  }
  return result;
}

function withTotal(perPartition: Record<string, Counters>): Record<string, Counters> {
  const total: Record<string, number> = {};
  for (const counters of Object.values(perPartition)) {
    for (const [key, value] of Object.entries(counters)) total[key] = round((total[key] ?? 0) + value);
  }
  delete total.scanned_percent;
  return { ...perPartition, total };
}

function zeroed(counters: Counters): Counters {
  return Object.fromEntries(Object.keys(counters).map((k) => [k, 0]));
}

function both<T, R>(before: T | undefined, after: T | undefined, combine: (b: T, a: T) => R): R | undefined {
  return before === undefined || after === undefined ? undefined : combine(before, after);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Keeps JSON readable: float noise from subtracting float8 counters is cut at 1e-6. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
