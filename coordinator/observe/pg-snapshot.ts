import type pg from 'pg';
import type { SharedClock } from '../../shared/redis-clock.ts';
import { loadSql } from '../../shared/sql.ts';
import type { Counters, PgSnapshot, RelationSize, StatementRow, TableSizes } from '../results/run-report-sections.ts';

export type { Counters, PgSnapshot, RelationSize, StatementRow, TableSizes } from '../results/run-report-sections.ts';

/**
 * One snapshot of PostgreSQL's statistics for the run's database
 * (docs/architecture.md#observability). Every source is read on its own: a view or extension the
 * server lacks is recorded in `missing` with the reason, never fatal. Counters are plain numbers
 * (cast to float8 in SQL), so snapshots go into run.json as they are.
 */

export interface SnapshotOptions {
  /** How many top statements of pg_stat_statements to keep [200]. */
  readonly statementLimit?: number;
  /** Skip pgstattuple_approx (it reads every page not all-visible). */
  readonly skipTupleScan?: boolean;
}

type Row = Record<string, unknown>;

/** `clock` stamps takenAt: the run's shared clock in a run, local time for a snapshot taken on its own. */
export async function takePgSnapshot(
  client: pg.Client,
  options: SnapshotOptions = {},
  clock: Pick<SharedClock, 'now'> = { now: Date.now },
): Promise<PgSnapshot> {
  const missing: Record<string, string> = {};
  const serverVersionNum = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  const read = async <T>(source: string, reader: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await reader();
    } catch (error) {
      missing[source] = `query failed: ${(error as Error).message}`;
      return undefined;
    }
  };
  const rows = async (name: string, values: unknown[] = []): Promise<Row[]> =>
    (await client.query(loadSql(`observability/${name}`), values)).rows as Row[];

  const tables = await read('pg_stat_user_tables', async () => keyed(await rows('table-stats'), 'table_name'));
  const tableIo = await read('pg_statio_user_tables', async () => keyed(await rows('table-io'), 'table_name'));
  const database = await read('pg_stat_database', async () => numericFields((await rows('database-stats'))[0]?.stats));
  const functions = await read('pg_stat_user_functions', async () => keyed(await rows('function-stats'), 'function_name'));
  if (functions !== undefined && Object.keys(functions).length === 0) {
    const setting = (await client.query('SHOW track_functions')).rows[0].track_functions as string;
    if (setting === 'none') missing.pg_stat_user_functions = 'track_functions is none: set track_functions = pl to count the strategy functions';
  }

  let statementTotals: Counters | undefined;
  let statements: StatementRow[] | undefined;
  const statementsAbsent = await extensionAbsence(client, 'pg_stat_statements');
  if (statementsAbsent) {
    missing.pg_stat_statements = statementsAbsent;
  } else {
    statementTotals = await read('pg_stat_statements', async () => numericFields((await rows('statement-totals'))[0]));
    statements = await read('pg_stat_statements', async () =>
      (await rows('statement-stats', [options.statementLimit ?? 200])).map((row) => ({
        queryid: String(row.queryid),
        query: String(row.query),
        counters: numericFields(row),
      })),
    );
  }

  let wal: Counters | undefined;
  let walLsn: string | undefined;
  if (await viewExists(client, 'pg_catalog.pg_stat_wal')) {
    const row = await read('pg_stat_wal', async () => (await rows('wal-stats'))[0]);
    if (row) {
      wal = numericFields(row.stats);
      walLsn = String(row.lsn);
    }
  } else {
    missing.pg_stat_wal = `pg_stat_wal needs PostgreSQL 14 or later (server version ${serverVersionNum}): WAL bytes come from the WAL position`;
    walLsn = await read('wal_position', async () => String((await rows('wal-position'))[0].lsn));
  }

  let io: Record<string, Counters> | undefined;
  if (await viewExists(client, 'pg_catalog.pg_stat_io')) {
    io = await read('pg_stat_io', async () => {
      const result: Record<string, Counters> = {};
      for (const row of await rows('io-stats')) result[`${row.backend_type}/${row.object}/${row.context}`] = numericFields(row);
      return result;
    });
  } else {
    missing.pg_stat_io = `pg_stat_io needs PostgreSQL 16 or later (server version ${serverVersionNum})`;
  }

  let referenceTuples: Record<string, Counters> | undefined;
  if (!options.skipTupleScan) {
    const tupleAbsent = await extensionAbsence(client, 'pgstattuple');
    if (tupleAbsent) missing.pgstattuple = tupleAbsent;
    else if (!(await viewExists(client, 'dms.reference'))) missing.pgstattuple = 'dms.reference does not exist in this database';
    else referenceTuples = await read('pgstattuple', async () => keyed(await rows('reference-tuples'), 'partition_name'));
  }

  const relationSizes = await read('relation_sizes', async () =>
    (await rows('relation-sizes')).map((row) => ({
      table: String(row.table_name),
      relation: String(row.relation_name),
      tableBytes: Number(row.table_bytes),
      indexBytes: Number(row.index_bytes),
      totalBytes: Number(row.total_bytes),
      parentTotalRelationSize: Number(row.parent_total_relation_size),
    })),
  );

  return {
    takenAt: new Date(clock.now()).toISOString(),
    serverVersionNum,
    tables,
    tableIo,
    database,
    functions,
    statementTotals,
    statements,
    wal,
    walLsn,
    io,
    referenceTuples,
    sizes: relationSizes && sumSizes(relationSizes),
    relationSizes: relationSizes?.map(({ table, relation, tableBytes, indexBytes, totalBytes }) => ({
      table,
      relation,
      tableBytes,
      indexBytes,
      totalBytes,
    })),
    missing,
  };
}

/** Sizes per table: partitions summed (a partitioned parent's own pg_total_relation_size is 0). */
export function sumSizes(
  relations: readonly (RelationSize & { readonly parentTotalRelationSize?: number })[],
): Record<string, TableSizes> {
  const sums: Record<string, TableSizes> = {};
  for (const r of relations) {
    const s = sums[r.table] ?? { partitions: 0, tableBytes: 0, indexBytes: 0, totalBytes: 0, parentTotalRelationSize: 0 };
    sums[r.table] = {
      partitions: s.partitions + 1,
      tableBytes: s.tableBytes + r.tableBytes,
      indexBytes: s.indexBytes + r.indexBytes,
      totalBytes: s.totalBytes + r.totalBytes,
      parentTotalRelationSize: r.parentTotalRelationSize ?? 0,
    };
  }
  return sums;
}

export interface ResetReport {
  readonly reset: readonly string[];
  readonly failed: Readonly<Record<string, string>>;
}

/** Resets counters (only on --reset-stats: the server may be shared). */
export async function resetPgStats(client: pg.Client): Promise<ResetReport> {
  const reset: string[] = [];
  const failed: Record<string, string> = {};
  const attempt = async (what: string, name: string, values: unknown[] = []): Promise<void> => {
    try {
      await client.query(loadSql(`observability/${name}`), values);
      reset.push(what);
    } catch (error) {
      failed[what] = (error as Error).message;
    }
  };
  await attempt('database', 'reset-database-stats');
  if (!(await extensionAbsence(client, 'pg_stat_statements'))) await attempt('pg_stat_statements', 'reset-statement-stats');
  if (await viewExists(client, 'pg_catalog.pg_stat_wal')) await attempt('wal', 'reset-shared-stats', ['wal']);
  if (await viewExists(client, 'pg_catalog.pg_stat_io')) await attempt('io', 'reset-shared-stats', ['io']);
  return { reset, failed };
}

/** Why an extension cannot be used here, or undefined when it can. */
async function extensionAbsence(client: pg.Client, extension: string): Promise<string | undefined> {
  const installed = await client.query(loadSql('observability/extension-schema'), [extension]);
  if (installed.rowCount === 0) {
    const how =
      extension === 'pg_stat_statements'
        ? 'add it to shared_preload_libraries, restart, and run "refswarm setup"'
        : 'install postgresql-contrib and run "refswarm setup"';
    return `extension ${extension} is not installed in this database: ${how}`;
  }
  return undefined;
}

async function viewExists(client: pg.Client, qualifiedName: string): Promise<boolean> {
  return (await client.query(loadSql('observability/relation-exists'), [qualifiedName])).rows[0].present === true;
}

function keyed(rows: readonly Row[], key: string): Record<string, Counters> {
  const result: Record<string, Counters> = {};
  for (const row of rows) result[String(row[key])] = numericFields(row);
  return result;
}

/** The numeric fields of a row or jsonb object; everything else (names, timestamps) is left out. */
export function numericFields(source: unknown): Counters {
  const result: Record<string, number> = {};
  if (source === null || typeof source !== 'object') return result;
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  }
  return result;
}
