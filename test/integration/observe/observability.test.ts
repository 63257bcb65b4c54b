import test from 'ava';
import { Writable } from 'node:stream';
import type pg from 'pg';
import { loadDataset } from '../../../coordinator/load/load.ts';
import { perOperation, pgDelta, statementsEvicted } from '../../../coordinator/observe/pg-delta.ts';
import { resetPgStats, takePgSnapshot } from '../../../coordinator/observe/pg-snapshot.ts';
import { pgStatsObserver } from '../../../coordinator/observe/pg-stats-observer.ts';
import type { RunObserverContext } from '../../../coordinator/observe/run-observers.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { connectionSettings, withDatabase } from '../../../shared/connection.ts';
import { datasetIndex, type DatasetShape } from '../../../shared/dataset.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { sharedClockFrom } from '../../../shared/redis-clock.ts';
import { realisticReport } from '../../unit/results/report-fixture.ts';

/**
 * Statistics snapshots against a real database made by setup and load: writes show up per
 * operation (dead tuples, WAL), partition sizes add up, and a missing extension is recorded.
 */

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const NAME = `dms_perf_test_observability_${process.pid}`;
const URL_ = withDatabase(BASE_URL, NAME);
const SHAPE: DatasetShape = { documents: 400, references: 8000, avgRefsPerDoc: 20, partitions: 4 };
const index = datasetIndex(SHAPE);
const quiet = new Writable({ write: (_c, _e, done) => done() });

let client: pg.Client;
/**
 * What this server offers, asserted either way: a fresh PostgreSQL neither preloads
 * pg_stat_statements nor tracks functions; CI (.ci/run) does both, so those figures stay covered there.
 */
let statementsCollected: boolean;
let functionsTracked: boolean;

test.before(async () => {
  const settings = connectionSettings({ DATABASE_URL: URL_ });
  await setupDatabase(settings, { force: true, partitions: SHAPE.partitions }, () => undefined);
  await loadDataset(settings, SHAPE, { force: true }, quiet);
  client = await connectPg(URL_);
  const libraries = (await client.query<{ libraries: string }>("SELECT current_setting('shared_preload_libraries') AS libraries")).rows[0].libraries;
  statementsCollected = libraries.split(',').map((l) => l.trim()).includes('pg_stat_statements');
  functionsTracked = (await client.query<{ track_functions: string }>('SHOW track_functions')).rows[0].track_functions !== 'none';
  // Autovacuum would make the net dead-tuple change of a write run depend on timing.
  const { rows } = await client.query<{ name: string }>(
    "SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'dms' AND c.relkind = 'r'",
  );
  for (const { name } of rows) await client.query(`ALTER TABLE ${name} SET (autovacuum_enabled = false)`);
});

test.after.always(async () => {
  await client?.end().catch(() => undefined);
  const admin = await connectPg(withDatabase(BASE_URL, 'postgres'));
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

/** Rewrites documents first..first+count-1 as the dms shape does: lock, touch, new reference set. */
async function rewriteDocuments(applicationName: string, first: number, count: number): Promise<number> {
  const writer = await connectPg(URL_, applicationName);
  try {
    for (let d = first; d < first + count; d++) {
      const aliases = Array.from({ length: 12 }, (_, k) => ((d + 7 * k + 3) % SHAPE.documents) + 1).filter((a) => a !== d);
      await writer.query('BEGIN');
      await writer.query(
        'UPDATE dms.document SET lastmodifiedat = now(), lastmodifiedtraceid = $3 WHERE documentpartitionkey = $1 AND id = $2',
        [index.documentPartitionKeys[d], d, `observability-${d}`],
      );
      await writer.query('SELECT * FROM dms.InsertReferences($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])', [
        aliases.map(() => d),
        aliases.map(() => index.documentPartitionKeys[d]),
        aliases.map((a) => index.referentialId(a)),
        aliases.map((a) => index.referentialPartitionKeys[a]),
      ]);
      await writer.query('COMMIT');
    }
  } finally {
    // Disconnecting flushes the session's statistics.
    await writer.end();
  }
  return count;
}

test.serial('perOp dead tuples and WAL bytes are positive after writes', async (t) => {
  const before = await takePgSnapshot(client);
  const ops = await rewriteDocuments('observability_writer', 1, 60);
  const after = await takePgSnapshot(client);
  const delta = pgDelta(before, after);
  const perOp = perOperation(delta, ops);
  t.log('perOp', perOp);
  t.true((perOp.deadTuples ?? 0) > 0, 'dead tuples per operation');
  t.true((perOp.walBytes ?? 0) > 0, 'WAL bytes per operation');
  t.true((perOp.rowsInserted ?? 0) >= 11, 'each rewrite inserts its reference rows');
  t.true((perOp.rowsDeleted ?? 0) > 0, 'current deletes the old rows');
  t.true((perOp.buffersHit ?? 0) > 0);
  t.true((delta.tables?.reference.n_tup_ins ?? 0) >= 60 * 11);
  t.is(delta.tables?.document.n_tup_upd, 60);
  t.true((delta.referenceTuples?.total.dead_tuple_count ?? 0) > 0, 'pgstattuple_approx sees the dead rows');
  if (statementsCollected && delta.statementTotals !== undefined && statementsEvicted(delta.statementTotals)) {
    // Other test files' statements filled pg_stat_statements meanwhile (CI runs them all at once).
    t.log('pg_stat_statements evicted entries between the snapshots:', delta.statementTotals);
    t.is(delta.walBytesSource, 'pg_stat_wal', 'evicted statements: WAL bytes fall back to the cluster counters');
  } else if (statementsCollected) {
    t.is(delta.walBytesSource, 'pg_stat_statements');
    t.true(delta.statements?.some((s) => /insertreferences/i.test(s.query)) ?? false);
  } else {
    t.is(delta.walBytesSource, 'pg_stat_wal', 'WAL bytes fall back to the cluster counters');
    t.is(delta.statements, undefined);
    t.regex(after.missing.pg_stat_statements ?? '', /shared_preload_libraries/);
  }
  if (functionsTracked) t.true((delta.functions?.insertreferences?.calls ?? 0) >= 60, 'pg_stat_user_functions counts the strategy');
  else t.regex(after.missing.pg_stat_user_functions ?? '', /track_functions is none/);
});

test.serial('per-partition sizes add up, and the partitioned parent itself measures 0', async (t) => {
  const snapshot = await takePgSnapshot(client);
  const reference = snapshot.sizes?.reference;
  if (!reference) return t.fail('no sizes for dms.reference');
  t.is(reference.partitions, SHAPE.partitions);
  t.is(reference.parentTotalRelationSize, 0);
  const partitions = snapshot.relationSizes?.filter((r) => r.table === 'reference') ?? [];
  t.is(partitions.length, SHAPE.partitions);
  t.is(partitions.reduce((s, r) => s + r.totalBytes, 0), reference.totalBytes);
  for (const p of partitions) t.is(p.tableBytes + p.indexBytes, p.totalBytes, `${p.relation}: table + indexes = total`);
  const { rows } = await client.query<{ total: string }>(
    "SELECT sum(pg_total_relation_size(inhrelid))::text AS total FROM pg_inherits WHERE inhparent = 'dms.reference'::regclass",
  );
  t.is(Number(rows[0].total), reference.totalBytes);
  t.true((reference.totalBytes ?? 0) > 0);
});

test.serial('a missing extension or view is recorded, not fatal', async (t) => {
  const snapshot = await takePgSnapshot(client);
  t.falsy(snapshot.missing.pgstattuple);
  t.regex(snapshot.missing.pg_stat_io ?? '', /PostgreSQL 16/, 'PostgreSQL 15 has no pg_stat_io');
  await client.query('DROP EXTENSION pgstattuple');
  await client.query('DROP EXTENSION pg_stat_statements');
  try {
    const without = await takePgSnapshot(client);
    t.regex(without.missing.pgstattuple, /pgstattuple is not installed/);
    t.regex(without.missing.pg_stat_statements, /pg_stat_statements is not installed/);
    t.is(without.referenceTuples, undefined);
    t.truthy(without.tables?.reference, 'the other sources are still there');
    const perOp = perOperation(pgDelta(without, without), 10);
    t.is(perOp.walBytes, 0, 'WAL bytes fall back to the cluster counters');
  } finally {
    await client.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  }
});

test.serial('the observer fills run.json pg from before/after snapshots around the run', async (t) => {
  const { report } = realisticReport();
  const tag = `rs_obs_${process.pid}`;
  const context: RunObserverContext = {
    runId: 'obs',
    config: { ...report.config, resetStats: true, databaseName: NAME },
    dataset: SHAPE,
    databaseUrl: URL_,
    applicationTag: tag,
    signal: new AbortController().signal,
    clock: sharedClockFrom({ offsetMs: 0, rttMs: 0 }),
  };
  const observer = pgStatsObserver();
  await observer.beforeRun?.(context);
  const ops = await rewriteDocuments(`${tag}_0`, 100, 30);
  const { pg } = await observer.afterRun(context, { startAtMs: 0, endAtMs: 1, intervalMs: 1000, opsTotal: ops, committed: new Map(), touched: new Set() });
  t.truthy(pg);
  t.true((pg?.perOp.deadTuples ?? 0) > 0);
  t.true((pg?.perOp.walBytes ?? 0) > 0);
  t.truthy((pg?.before as { tables?: unknown }).tables);
  t.truthy((pg?.after as { sizes?: unknown }).sizes);
  t.regex(pg?.missing.pg_stat_io ?? '', /PostgreSQL 16/);
  t.is(JSON.parse(JSON.stringify(pg)).perOp.walBytes, pg?.perOp.walBytes, 'survives JSON');
});

test.serial('--reset-stats resets the database counters', async (t) => {
  await rewriteDocuments('observability_reset', 200, 5);
  const reset = await resetPgStats(client);
  t.true(reset.reset.includes('database'));
  if (statementsCollected) t.true(reset.reset.includes('pg_stat_statements'));
  else t.regex(reset.failed.pg_stat_statements ?? '', /shared_preload_libraries/, 'recorded, not fatal');
  const after = await takePgSnapshot(client);
  t.is(after.tables?.reference.n_tup_ins, 0);
});
