import test from 'ava';
import type pg from 'pg';
import { checkIntegrity } from '../../../coordinator/observe/integrity.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, FIXTURES, type WorkloadConfig } from '../../../shared/run-config.ts';
import { loadSql } from '../../../shared/sql.ts';
import { aliasSetDigest, referentialIdSetDigest } from '../../../shared/workload/reference-set-digest.ts';
import { fixtureRewrite } from '../../../shared/workload/scenarios/scenario-fixture.ts';
import { createWorkloadDatabase, restoreAsLoaded, type WorkloadDatabase } from '../support/workload-database.ts';
import { runSessions } from '../support/workload-sessions.ts';

const SHAPE: DatasetShape = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 4 };
let database: WorkloadDatabase;
let client: pg.Client;

test.before(async () => {
  database = await createWorkloadDatabase(`dms_perf_test_executor_${process.pid}`, SHAPE);
  client = await database.connect();
});

test.after.always(async () => {
  await client?.end();
  await database?.drop();
});

// First, while the Reference Ids are still those of the load (the fixtures order by them).
test.serial('fixture: the streams replay dms.perf_reference_targets exactly', async (t) => {
  await client.query(loadSql('fixtures/rebuild'));
  for (const name of FIXTURES) {
    const { rows } = await client.query<{ parents: string[]; ids: string[] }>(
      'SELECT parent_document_ids::text[] AS parents, referential_ids::text[] AS ids FROM dms.perf_reference_targets WHERE target_name = $1',
      [name],
    );
    const expected = fixtureRewrite(name, SHAPE).flatMap((d) => d.aliasIds.map((a) => `${d.documentId} ${database.index.referentialId(a)}`));
    t.deepEqual(rows[0].parents.map((p, k) => `${p} ${rows[0].ids[k]}`), expected, name);
  }
});

const batchWorkload = (sorted: boolean, maxTries: number): WorkloadConfig => ({
  scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'batch', batchSize: 40, sorted },
  strategy: 'current',
  shape: 'bare',
  isolation: 'read-committed',
  maxTries,
  loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
  limits: { iterations: 30, warmupMs: 0 },
});

/** Deadlocks are detected after deadlock_timeout; keep it short so the test does not wait seconds per deadlock. */
const FAST_DEADLOCKS = ["SET deadlock_timeout = '20ms'"];

test.serial('batch in random order: concurrent sessions deadlock, and --max-tries 3 retries them', async (t) => {
  const workload = batchWorkload(false, 3);
  try {
    const result = await runSessions(database, {
      sessions: 6,
      iterations: 30,
      seed: 4242,
      scenario: workload.scenario,
      workload,
      setup: FAST_DEADLOCKS,
    });
    const deadlocked = result.outcomes.filter((o) => o.failedCodes.includes('40P01'));
    t.true(deadlocked.length > 0, 'some operation met a deadlock');
    // A deadlock is never the end of an operation with tries left (whether its retry then succeeds,
    // deadlocks again or meets another error depends on timing, so that is only logged).
    t.true(deadlocked.every((o) => o.tries >= 2), 'every deadlocked operation was tried again');
    for (const o of result.outcomes) {
      t.true(o.tries <= 3);
      t.is(o.failedCodes.length, o.ok ? o.tries - 1 : o.tries, 'every failed try is listed');
      // Only deadlocks are retried: any other code (e.g. 23505, two batches inserting the same pair
      // under the merge strategy's unique constraint) ends the operation.
      t.true(o.failedCodes.slice(0, -1).every((c) => c === '40P01'), o.failedCodes.join(','));
    }
    const touched = [...result.touched];
    const report = await checkIntegrity(client, database.index, result.committed, result.touched);
    const byCode = new Map<string, number>();
    for (const o of result.outcomes) for (const c of o.failedCodes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    t.log(`failed tries by code: ${JSON.stringify(Object.fromEntries(byCode))}`);
    t.log(`${deadlocked.length} of ${result.outcomes.length} operations met a deadlock, ${deadlocked.filter((o) => o.ok).length} of them succeeded on a retry; integrity: ${report.violations} violations in ${touched.length} documents`);
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});

const realismWorkload = (scenario: WorkloadConfig['scenario'], shape: WorkloadConfig['shape'], iterations: number): WorkloadConfig => ({
  ...batchWorkload(false, 1),
  scenario,
  shape,
  limits: { iterations, warmupMs: 0 },
});

/** The digest of each document's references as the database holds them. */
async function databaseDigests(documentIds: readonly number[]): Promise<Map<number, string>> {
  const { rows } = await client.query<{ id: string; ids: string[] }>(
    'SELECT ParentDocumentId AS id, array_agg(ReferentialId::text) AS ids FROM dms.Reference WHERE ParentDocumentId = ANY($1::bigint[]) GROUP BY 1',
    [documentIds],
  );
  const held = new Map(rows.map((r) => [Number(r.id), referentialIdSetDigest(r.ids)]));
  for (const id of documentIds) if (!held.has(id)) held.set(id, referentialIdSetDigest([])); // the last documents have no references
  return held;
}

test.serial('--change 0 leaves each rewritten document with exactly its dataset set; --change all with a fresh one', async (t) => {
  try {
    for (const change of [0, undefined]) {
      const scenario = { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'single' as const, refsMin: 5, refsMax: 20, ...(change !== undefined && { change }) };
      const result = await runSessions(database, { sessions: 4, iterations: 15, seed: 31, scenario, workload: realismWorkload(scenario, 'dms', 15) });
      t.true(result.outcomes.every((o) => o.ok));
      const touched = [...result.touched];
      const report = await checkIntegrity(client, database.index, result.committed, result.touched);
      t.is(report.violations, 0, JSON.stringify({ change, examples: report.examples }));
      const held = await databaseDigests(touched);
      const datasetDigest = (id: number) => aliasSetDigest(database.index, database.index.datasetReferences(id, { distinctPairs: true }));
      const atDataset = touched.filter((id) => held.get(id) === datasetDigest(id)).length;
      if (change === 0) t.is(atDataset, touched.length, 'change 0: every document holds its dataset set');
      else t.is(atDataset, 0, 'change all: no document holds its dataset set');
      await restoreAsLoaded(client, database.index, touched);
    }
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});

test.serial('dms shape rewrites the document row: EdfiDoc (new _etag, same shape), SecurityElements, LastModifiedTraceId, LastModifiedAt', async (t) => {
  const before = await client.query<{ id: string; doc: Record<string, string>; trace: string; at: Date }>(
    'SELECT Id AS id, EdfiDoc AS doc, LastModifiedTraceId AS trace, LastModifiedAt AS at FROM dms.Document ORDER BY Id',
  );
  const scenario = { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'batch' as const, batchSize: 5, refsMin: 2, refsMax: 5, sorted: true };
  try {
    const result = await runSessions(database, { sessions: 2, iterations: 4, seed: 5, scenario, workload: realismWorkload(scenario, 'dms', 4) });
    t.true(result.outcomes.every((o) => o.ok));
    const after = await client.query<{ id: string; doc: Record<string, string>; trace: string; at: Date; security: unknown }>(
      'SELECT Id AS id, EdfiDoc AS doc, LastModifiedTraceId AS trace, LastModifiedAt AS at, SecurityElements AS security FROM dms.Document ORDER BY Id',
    );
    for (const [k, row] of after.rows.entries()) {
      const id = Number(row.id);
      const old = before.rows[k];
      if (result.touched.has(id)) {
        t.is(row.trace, 'refswarm');
        t.not(row.doc._etag, old.doc._etag, `document ${id}: a new _etag`);
        t.deepEqual({ ...row.doc, _etag: '' }, { ...old.doc, _etag: '' }, `document ${id}: the same shape and fields`);
        t.true(row.at > old.at);
        t.deepEqual(row.security, { Namespace: ['uri://ed-fi.org'], EducationOrganization: { Id: String(id % 100) } });
      } else {
        t.is(row.trace, old.trace);
        t.deepEqual(row.doc, old.doc);
        t.deepEqual(row.at, old.at);
      }
    }
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});

test.serial('--unknown-ratio: rewrites carrying an unknown id are rejected, none fails, nothing of theirs is written', async (t) => {
  try {
    for (const shape of ['bare', 'dms'] as const) {
      const scenario = { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'disjoint' as const, refsMin: 3, refsMax: 10, unknownRatio: 0.4 };
      const result = await runSessions(database, { sessions: 3, iterations: 20, seed: 9, scenario, workload: realismWorkload(scenario, shape, 20) });
      const rejected = result.outcomes.filter((o) => o.rejected).length;
      t.true(rejected > 0, `${shape}: ${rejected} rejected`);
      t.is(result.outcomes.filter((o) => !o.ok && !o.rejected).length, 0, `${shape}: none failed`);
      const report = await checkIntegrity(client, database.index, result.committed, result.touched);
      t.is(report.violations, 0, JSON.stringify({ shape, examples: report.examples }));
    }
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});

test.serial('fixture: alternating with a second set runs clean with every strategy', async (t) => {
  try {
    for (const strategy of ['current', 'differential', 'merge'] as const) {
      const scenario = { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'fixture' as const, fixture: 'batch_100_mixed' as const, fixtureAlternate: true };
      const workload = { ...realismWorkload(scenario, 'dms', 4), strategy };
      const result = await runSessions(database, { sessions: 2, iterations: 4, seed: 3, scenario, workload });
      t.true(result.outcomes.every((o) => o.ok), strategy);
      t.is((await checkIntegrity(client, database.index, result.committed, result.touched)).violations, 0, strategy);
    }
  } finally {
    await restoreAsLoaded(client, database.index, [...Array(SHAPE.documents).keys()].map((k) => k + 1));
  }
});
