import test from 'ava';
import type pg from 'pg';
import { restoreDocuments } from '../../../coordinator/restore/restore.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, STRATEGIES, type StrategyName, type WorkloadConfig } from '../../../shared/run-config.ts';
import { strategyLayout } from '../../../shared/schema-layout.ts';
import { loadSql } from '../../../shared/sql.ts';
import type { Operation } from '../../../shared/workload/operation.ts';
import { executeOperation } from '../../../worker/operation-executor.ts';
import { createWorkloadDatabase, hasDuplicatePair, referenceRows, sessionDbOf, type WorkloadDatabase } from '../support/workload-database.ts';

/**
 * Strategy equivalence: the same single-session call sequence leaves the same reference rows
 * (referential ids and resolved referenced documents) whichever strategy wrote them.
 */

const SHAPE: DatasetShape = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 4 };
let database: WorkloadDatabase;
let client: pg.Client;

test.before(async () => {
  database = await createWorkloadDatabase(`dms_perf_test_strategies_${process.pid}`, SHAPE);
  client = await database.connect();
  for (const id of [...TOUCHED, 20]) {
    if (hasDuplicatePair(database.index, id)) throw new Error(`document ${id} has a duplicate pair: pick another`);
  }
});

test.after.always(async () => {
  await client?.end();
  await database?.drop();
});

const workload = (strategy: StrategyName, shape: 'bare' | 'dms' = 'bare'): WorkloadConfig => ({
  scenario: DEFAULT_SCENARIO_OPTIONS,
  strategy,
  shape,
  isolation: 'read-committed',
  maxTries: 1,
  loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
  limits: { iterations: 1, warmupMs: 0 },
});

const rewrite = (...documents: [number, number[]][]): Operation => ({
  kind: 'rewrite',
  documents: documents.map(([documentId, aliasIds]) => ({ documentId, aliasIds })),
});

const UNKNOWN = 'ffffffff-0000-4000-8000-000000000001';
const TOUCHED = [5, 7, 8, 9, 10];
/** Alias 3 moves from document 3 to document 12 in the middle of the sequence. */
const MOVED_ALIAS = 3;

async function callDirect(strategy: StrategyName, parent: number, referentialIds: string[], keys: number[]): Promise<string[]> {
  const index = database.index;
  const { rows } = await client.query<{ referential_id: string }>(loadSql(`workload/call-${strategy}`), [
    referentialIds.map(() => parent),
    referentialIds.map(() => index.documentPartitionKeys[parent]),
    referentialIds,
    keys,
  ]);
  return rows.map((r) => r.referential_id);
}

async function moveAlias(aliasId: number, toDocument: number): Promise<void> {
  await client.query('UPDATE dms.Alias SET DocumentId = $2, DocumentPartitionKey = $3 WHERE Id = $1', [
    aliasId,
    toDocument,
    database.index.documentPartitionKeys[toDocument],
  ]);
}

/** Runs the sequence with one strategy and returns the resulting rows; puts everything back after. */
async function runSequence(t: import('ava').ExecutionContext, strategy: StrategyName, shape: 'bare' | 'dms'): Promise<string[]> {
  const db = sessionDbOf(client);
  const index = database.index;
  const config = workload(strategy, shape);
  const before10 = await referenceRows(client, [10]);
  try {
    for (const op of [
      rewrite([5, [1, 2, 3, 4]]),
      rewrite([5, [3, 4, 6, 11, 12]]), // keeps two, drops two, adds three
      rewrite([7, [1, 2]], [8, [2, 3, 40]], [9, [50]]), // one call, several parents
      rewrite([8, [2, 40]]),
    ]) {
      const outcome = await executeOperation(db, op, config, index);
      t.true(outcome.ok, `${strategy}: ${JSON.stringify(outcome.failedCodes)}`);
    }

    // Unknown referential ids: returned (once per input element), nothing written.
    const returned = await callDirect(strategy, 10, [index.referentialId(1), UNKNOWN, index.referentialId(2)], [
      index.referentialPartitionKeys[1],
      1,
      index.referentialPartitionKeys[2],
    ]);
    t.deepEqual(returned, [UNKNOWN], `${strategy} returns the unknown id`);
    t.deepEqual(await referenceRows(client, [10]), before10, `${strategy} wrote nothing for document 10`);

    // An alias that moved to another document: the rewritten rows resolve to the new target.
    await moveAlias(MOVED_ALIAS, 12);
    const moved = await executeOperation(db, rewrite([5, [3, 4, 6, 11, 12]]), config, index);
    t.true(moved.ok);
    return await referenceRows(client, TOUCHED);
  } finally {
    await moveAlias(MOVED_ALIAS, MOVED_ALIAS);
    await restoreDocuments(client, index, TOUCHED);
  }
}

for (const shape of ['bare', 'dms'] as const) {
  test.serial(`${shape}: all three strategies leave identical reference sets`, async (t) => {
    const results = new Map<StrategyName, string[]>();
    // upsert runs on the other layout (test/integration/database/alias-id.test.ts).
    for (const strategy of STRATEGIES.filter((s) => strategyLayout(s) === 'referential-id')) results.set(strategy, await runSequence(t, strategy, shape));
    const current = results.get('current')!;
    t.deepEqual(results.get('differential'), current);
    t.deepEqual(results.get('merge'), current);

    // And what they agree on is right: document 5 holds its last set, alias 3 resolved to document 12.
    const index = database.index;
    const doc5 = current.filter((row) => row.startsWith('5 '));
    t.is(doc5.length, 5);
    t.true(doc5.some((row) => row.includes(index.referentialId(MOVED_ALIAS)) && row.endsWith(` 12 ${index.documentPartitionKeys[12]}`)));
    t.is(current.filter((row) => row.startsWith('8 ')).length, 2);
    t.is(current.filter((row) => row.startsWith('9 ')).length, 1);
  });
}

test.serial('differential removes surplus copies of a wanted row; merge is not needed for that', async (t) => {
  const index = database.index;
  const db = sessionDbOf(client);
  try {
    await executeOperation(db, rewrite([20, [1, 2]]), workload('current'), index);
    // Duplicate one row behind the strategies' back (the merge constraint forbids it: drop it first).
    await client.query('BEGIN');
    await client.query('ALTER TABLE dms.Reference DROP CONSTRAINT UX_Reference_ParentReferential');
    await client.query(
      `INSERT INTO dms.Reference (ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
       SELECT ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey
       FROM dms.Reference WHERE ParentDocumentId = 20 AND ReferencedDocumentId = 1`,
    );
    t.is((await referenceRows(client, [20])).length, 3);
    const outcome = await executeOperation(db, rewrite([20, [1, 2]]), workload('differential'), index);
    t.true(outcome.ok);
    t.is((await referenceRows(client, [20])).length, 2);
    await client.query('ROLLBACK');
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await restoreDocuments(client, index, [20]);
  }
});
