import test from 'ava';
import { diffCounters, lsnToBytes, perOperation, pgDelta } from '../../../coordinator/observe/pg-delta.ts';
import { sumSizes, type PgSnapshot } from '../../../coordinator/observe/pg-snapshot.ts';
import { snapshot } from '../results/report-fixture.ts';

test('WAL positions convert to bytes', (t) => {
  t.is(lsnToBytes('0/0'), 0);
  t.is(lsnToBytes('0/1000'), 4096);
  t.is(lsnToBytes('16/B374D848'), 0x16 * 2 ** 32 + 0xb374d848);
  t.throws(() => lsnToBytes('nope'));
});

test('counters subtract key by key; keys missing before are left out', (t) => {
  t.deepEqual(diffCounters({ a: 1, b: 2 }, { a: 4, b: 2, c: 9 }), { a: 3, b: 0 });
});

test('delta and per-operation figures of two snapshots', (t) => {
  const delta = pgDelta(snapshot(1), snapshot(3));
  t.is(delta.tables?.reference.n_tup_ins, 120_000);
  t.is(delta.tables?.reference.n_tup_del, 120_000);
  t.is(delta.tables?.document.n_dead_tup, 2400);
  t.is(delta.walBytesSource, 'pg_stat_statements');
  t.is(delta.walLsnBytes, 100_000_000);
  t.is(delta.referenceTuples?.total.dead_tuple_count, 16 * 3750 * 2);
  t.is(delta.sizes?.reference.totalBytes, 10_000_000);
  t.is(delta.statements?.[0].queryid, '1', 'top statement by time first');
  const perOp = perOperation(delta, 1000);
  t.is(perOp.deadTuples, (2400 + 120_000) / 1000);
  t.is(perOp.walBytes, 96_000);
  t.is(perOp.walBytesCluster, 100_000);
  t.is(perOp.buffersHit, 600);
  t.is(perOp.buffersRead, 1);
  t.is(perOp.rowsInserted, 120);
  t.is(perOp.rowsDeleted, 120);
});

test('WAL bytes per operation went negative when pg_stat_statements evicted entries mid-run: the cluster WAL is used then', (t) => {
  const before = snapshot(1);
  const after = snapshot(3);
  const evicting: PgSnapshot = { ...after, statementTotals: { ...after.statementTotals!, wal_bytes: 0, dealloc: 2 } };
  t.is(pgDelta({ ...before, statementTotals: { ...before.statementTotals!, dealloc: 1 } }, evicting).walBytesSource, 'pg_stat_wal');
  const steady = { ...before, statementTotals: { ...before.statementTotals!, dealloc: 2 } };
  t.is(pgDelta(steady, { ...after, statementTotals: { ...after.statementTotals!, dealloc: 2 } }).walBytesSource, 'pg_stat_statements');
  t.true(perOperation(pgDelta({ ...before, statementTotals: { ...before.statementTotals!, dealloc: 1 } }, evicting), 1000).walBytes! > 0);
});

test('pg_stat_statements reset mid-run (another run\'s --reset-stats, seen in CI): the cluster WAL is used, never a negative figure', (t) => {
  const before = snapshot(1);
  const after = snapshot(3);
  const resetAll: PgSnapshot = { ...after, statementTotals: { ...after.statementTotals!, stats_reset: 1_700_000_100 } };
  t.is(pgDelta({ ...before, statementTotals: { ...before.statementTotals!, stats_reset: 1_700_000_000 } }, resetAll).walBytesSource, 'pg_stat_wal');
  // A reset of this database only moves no stats_reset: its sums just drop.
  const resetHere: PgSnapshot = { ...after, statementTotals: { ...after.statementTotals!, calls: 0, wal_bytes: 0 } };
  t.is(pgDelta(before, resetHere).walBytesSource, 'pg_stat_wal');
  t.true(perOperation(pgDelta(before, resetHere), 1000).walBytes! > 0);
});

test('WAL bytes fall back to pg_stat_wal, then to the WAL position', (t) => {
  const strip = (s: PgSnapshot, keys: (keyof PgSnapshot)[]): PgSnapshot => {
    const copy: Record<string, unknown> = { ...s };
    for (const k of keys) delete copy[k];
    return copy as PgSnapshot;
  };
  const noStatements = pgDelta(strip(snapshot(1), ['statementTotals']), strip(snapshot(2), ['statementTotals']));
  t.is(noStatements.walBytesSource, 'pg_stat_wal');
  t.is(perOperation(noStatements, 100).walBytes, 500_000);
  const positionOnly = pgDelta(strip(snapshot(1), ['statementTotals', 'wal']), strip(snapshot(2), ['statementTotals', 'wal']));
  t.is(positionOnly.walBytesSource, 'wal_position');
  t.is(perOperation(positionOnly, 100).walBytes, 500_000);
});

test('missing sources and zero operations give null, not NaN', (t) => {
  const bare: PgSnapshot = { takenAt: '', serverVersionNum: 150000, missing: { pg_stat_statements: 'absent' } };
  const perOp = perOperation(pgDelta(bare, bare), 100);
  t.is(perOp.walBytes, null);
  t.is(perOp.deadTuples, null);
  t.true(Object.values(perOperation(pgDelta(snapshot(1), snapshot(2)), 0)).every((v) => v === null));
});

test('a table or statement first seen in the after snapshot counts from zero', (t) => {
  const before = { ...snapshot(1), tables: {}, statements: [] };
  const delta = pgDelta(before, snapshot(1));
  t.is(delta.tables?.reference.n_tup_ins, 160_000);
  t.is(delta.statements?.length, 2);
});

test('sizes of partitions add up per table', (t) => {
  const sums = sumSizes([
    { table: 'reference', relation: 'reference_00', tableBytes: 10, indexBytes: 5, totalBytes: 15, parentTotalRelationSize: 0 },
    { table: 'reference', relation: 'reference_01', tableBytes: 20, indexBytes: 7, totalBytes: 27, parentTotalRelationSize: 0 },
    { table: 'perf_test_results', relation: 'perf_test_results', tableBytes: 8, indexBytes: 8, totalBytes: 16 },
  ]);
  t.deepEqual(sums.reference, { partitions: 2, tableBytes: 30, indexBytes: 12, totalBytes: 42, parentTotalRelationSize: 0 });
  t.is(sums.perf_test_results.partitions, 1);
});
