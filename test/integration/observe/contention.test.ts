import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { DEFAULT_SCENARIO_OPTIONS, type WorkloadConfig } from '../../../shared/run-config.ts';
import { datasetIndex } from '../../../shared/dataset.ts';
import { formatSqlTag, parseSqlTag } from '../../../shared/workload/sql-tag.ts';
import { executeOperation } from '../../../worker/operation-executor.ts';
import { SessionConnection } from '../../../worker/session-connection.ts';
import { resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * Lock waits attributed through the SQL tags, and deadlock forensics, on whole runs (`refswarm run`
 * with local workers): a hot dms run names only hot documents as contended, a disjoint one all but none; a
 * random-order batch run that deadlocks yields parsed cycles naming two sessions and their
 * documents. And the tag itself: pg_stat_activity shows it, pg_stat_statements' query id ignores it.
 */

const DATASET = { documents: 500, references: 10_000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('contention', DATASET);
const HOT_DOCS = 5;
const RUN = ['run', '--sessions', '12', '--duration', '3s', '--think', '0', '--local-workers', '2', '--wait-workers', '60s'];

const cli = (args: readonly string[]) => runCli(environment.bin, args, environment.env);
const readReport = (dir: string): RunReport => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport;

test.before(() => environment.prepare());
test.after.always(() => environment.cleanup());

test.serial('hot + dms: the contended documents are hot documents only, with root blockers', async (t) => {
  const result = await cli([...RUN, '--shape', 'dms', '--scenario', 'hot', '--hot-docs', String(HOT_DOCS), '--name', 'hot']);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const lockWaits = report.lockWaits!;
  t.log('documents', lockWaits.documents, 'root blockers', lockWaits.rootBlockers?.slice(0, 3));
  t.is(report.ops.failed, 0, 'tagged statements (SQL EXECUTE) write what they should');
  t.is(report.integrity?.violations, 0);
  t.true((lockWaits.documents ?? []).length > 0, 'some document was contended');
  t.true(lockWaits.documents!.every((d) => d.document >= 1 && d.document <= HOT_DOCS), 'only hot documents');
  t.true((lockWaits.partitions ?? []).some((p) => p.blockedSamples > 0));
  t.true((lockWaits.rootBlockers ?? []).length > 0, 'some session blocked others while running');
  t.true(lockWaits.rootBlockers!.every((r) => r.documents.every((d) => d <= HOT_DOCS)));
});

test.serial('disjoint: documents are all but never contended (no two sessions write one; a rare wait of another kind may still be caught)', async (t) => {
  const result = await cli([...RUN, '--shape', 'dms', '--scenario', 'disjoint', '--name', 'disjoint']);
  t.is(result.code, 0, result.stderr);
  const lockWaits = readReport(resultsDirOf(result)).lockWaits!;
  t.true(lockWaits.sessionSamples > 0);
  // A clean clone's CI once caught one blocked session-sample on a disjoint document (of about 360):
  // a wait that is not two sessions writing one document (a foreign-key check, a relation extension).
  const blocked = (lockWaits.documents ?? []).reduce((sum, d) => sum + d.blockedSamples, 0);
  t.true(blocked <= lockWaits.sessionSamples * 0.02, `${blocked} blocked session-samples on documents of ${lockWaits.sessionSamples}`);
});

test.serial('batch in random order deadlocks: at least one parsed cycle names two sessions and their documents', async (t) => {
  const result = await cli([
    ...RUN.map((arg) => (arg === '12' ? '6' : arg === '3s' ? '6s' : arg)),
    '--scenario',
    'batch',
    '--batch-size',
    '40',
    '--max-tries',
    '3',
    '--name',
    'batch',
  ]);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const deadlocks = report.deadlocks!;
  t.log(`${deadlocks.count} deadlocks (${report.ops.byError['40P01'] ?? 0} 40P01 tries)`, JSON.stringify(deadlocks.patterns.slice(0, 2)));
  t.is(deadlocks.count, report.ops.byError['40P01'] ?? 0, 'one parsed cycle per deadlocked try');
  if (deadlocks.count === 0) return t.pass('no deadlock this time (timing): nothing to parse');
  const named = deadlocks.patterns.flatMap((p) => [p.cycle]).filter((cycle) => cycle.length >= 2 && cycle.every((p) => p.session !== undefined && p.documents.length > 0));
  t.true(named.length > 0, 'a cycle whose participants all have a session and documents');
  const [cycle] = named;
  t.not(cycle[0].session, cycle[1].session, 'two different sessions');
});

test.serial('the tag shows in pg_stat_activity and leaves pg_stat_statements query ids alone', async (t) => {
  const index = datasetIndex(DATASET);
  const workload: WorkloadConfig = {
    scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'noop', noopSleepMs: 300 },
    strategy: 'current',
    shape: 'bare',
    isolation: 'read-committed',
    maxTries: 1,
    loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
    limits: { iterations: 1, warmupMs: 0 },
  };
  const tag = formatSqlTag({ run: 'tagtest', session: 3, op: 7, documents: [11, 12], partitions: [index.documentPartitionKeys[11], index.documentPartitionKeys[12]] });
  const session = await SessionConnection.open(environment.databaseUrl, `rs_tagtest_${environment.suffix}`, new AbortController().signal);
  const observer = await connectPg(environment.databaseUrl);
  try {
    const op = { kind: 'noop', sleepMs: 300 } as const;
    const running = executeOperation(session, op, workload, index, { tag });
    let seen: string | undefined;
    for (let i = 0; i < 50 && seen === undefined; i++) {
      const { rows } = await observer.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'", [`rs_tagtest_${environment.suffix}`]);
      seen = rows[0]?.query;
      if (seen === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    t.true((await running).ok);
    t.deepEqual(parseSqlTag(seen), parseSqlTag(tag), `pg_stat_activity.query: ${seen}`);

    const statements = (
      await observer.query<{ schema: string }>("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'")
    ).rows[0]?.schema;
    const preloaded = (await observer.query<{ l: string }>("SELECT current_setting('shared_preload_libraries') AS l")).rows[0].l.includes('pg_stat_statements');
    if (statements === undefined || !preloaded) return t.log('pg_stat_statements is not collected on this server: query ids not checked');
    const fast = { kind: 'noop', sleepMs: 1 } as const;
    await executeOperation(session, fast, workload, index);
    await executeOperation(session, fast, workload, index, { tag });
    const { rows } = await observer.query<{ queryid: string; calls: string }>(
      `SELECT queryid::text, calls::text FROM "${statements}".pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE '%pg_sleep%'`,
    );
    t.is(rows.length, 1, `one query id for the tagged and the untagged statement: ${JSON.stringify(rows)}`);
    t.true(Number(rows[0].calls) >= 3);

    // Regression: tagged BEGIN/COMMIT were one pg_stat_statements entry per operation (PostgreSQL 15
    // fingerprints utility statements by their text), evicting the entries the run's statistics read.
    const dms: WorkloadConfig = { ...workload, shape: 'dms', scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'single', refsMin: 2, refsMax: 2 } };
    for (const op of [1, 2, 3]) {
      const documents = [20 + op];
      const rewrite = { kind: 'rewrite', documents: [{ documentId: documents[0], aliasIds: [1, 2] }] } as const;
      const opTag = formatSqlTag({ run: 'tagtest', session: 3, op, documents, partitions: documents.map((d) => index.documentPartitionKeys[d]) });
      t.true((await executeOperation(session, rewrite, dms, index, { tag: opTag })).ok);
    }
    const control = await observer.query<{ query: string }>(
      `SELECT query FROM "${statements}".pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ~* '(BEGIN|COMMIT)'`,
    );
    t.true(control.rows.every((row) => parseSqlTag(row.query) === undefined), `untagged BEGIN/COMMIT entries: ${JSON.stringify(control.rows)}`);
  } finally {
    await session.close();
    await observer.end();
  }
});
