import test from 'ava';
import { datasetIndex } from '../../../shared/dataset.ts';
import { DEFAULT_SCENARIO_OPTIONS, type WorkloadConfig } from '../../../shared/run-config.ts';
import type { SessionDb } from '../../../shared/workload/contracts.ts';
import type { Operation } from '../../../shared/workload/operation.ts';
import { aliasSetDigest } from '../../../shared/workload/reference-set-digest.ts';
import { executeOperation } from '../../../worker/operation-executor.ts';
import { PhaseClock } from '../../../worker/phase-clock.ts';
import { PHASE_NAMES } from '../../../shared/phases.ts';

/**
 * The executor's control flow against a scripted SessionDb (what statements, in what order, how
 * failures become outcomes). What the statements do to a real database is in
 * test/integration/database/strategies.test.ts and observe/integrity.test.ts.
 */

const index = datasetIndex({ documents: 30, references: 90, avgRefsPerDoc: 3, partitions: 4 });

const WORKLOAD: WorkloadConfig = {
  scenario: DEFAULT_SCENARIO_OPTIONS,
  strategy: 'current',
  shape: 'bare',
  isolation: 'read-committed',
  maxTries: 1,
  loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
  limits: { iterations: 1, warmupMs: 0 },
};

const REWRITE: Operation = { kind: 'rewrite', documents: [{ documentId: 4, aliasIds: [1, 2, 3] }] };

type Reply = { rows?: Record<string, unknown>[] } | { error: unknown };

/** Answers each statement with the next scripted reply (default: success, no rows) and records it. */
function scriptedDb(replies: Reply[] = []) {
  const log: { text: string; name?: string; values?: readonly unknown[] }[] = [];
  let reconnects = 0;
  const db: SessionDb = {
    async query(text, values, name) {
      log.push({ text, name, values });
      const reply = replies.shift() ?? {};
      if ('error' in reply) throw reply.error;
      return { rows: (reply.rows ?? []) as never[], rowCount: reply.rows?.length ?? 0 };
    },
    async reconnect() {
      reconnects++;
    },
  };
  return { db, log, reconnects: () => reconnects };
}

const pgError = (code: string) => Object.assign(new Error(`error ${code}`), { code });

test('bare: one prepared strategy call; committed carries the set digest', async (t) => {
  const { db, log } = scriptedDb();
  const outcome = await executeOperation(db, REWRITE, WORKLOAD, index);
  t.true(outcome.ok);
  t.is(outcome.tries, 1);
  t.deepEqual(outcome.failedCodes, []);
  t.deepEqual(outcome.committed, [{ documentId: 4, setDigest: aliasSetDigest(index, [1, 2, 3]) }]);
  t.is(log.length, 1);
  t.regex(log[0].text, /dms\.InsertReferences\(/);
  t.is(log[0].name, 'refswarm_workload_call_current');
  t.true(outcome.serviceMicros >= 0);
});

test('each strategy calls its own function', async (t) => {
  for (const [strategy, fn] of [['differential', 'InsertReferences_Differential'], ['merge', 'InsertReferences_Merge']] as const) {
    const { db, log } = scriptedDb();
    await executeOperation(db, REWRITE, { ...WORKLOAD, strategy }, index);
    t.regex(log[0].text, new RegExp(`dms\\.${fn}\\(`));
  }
});

test('dms: BEGIN at the isolation, lock, update the documents, strategy, COMMIT', async (t) => {
  const { db, log } = scriptedDb();
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, shape: 'dms', isolation: 'serializable' }, index);
  t.true(outcome.ok);
  t.deepEqual(
    log.map((s) => s.name ?? s.text),
    ['BEGIN ISOLATION LEVEL SERIALIZABLE', 'refswarm_workload_lock_documents', 'refswarm_workload_update_documents', 'refswarm_workload_call_current', 'COMMIT'],
  );
  t.regex(log[1].text, /FOR NO KEY UPDATE/);
  t.regex(log[1].text, /ORDER BY d\.Id/);
  for (const column of ['EdfiDoc', 'SecurityElements', 'LastModifiedAt', 'LastModifiedTraceId']) t.regex(log[2].text, new RegExp(`${column} =`));
  const [ids, , edfiDocs, securityElements, traceId] = log[2].values as [string, string, string[], string[], string];
  t.is(ids, '{4}');
  const body = JSON.parse(edfiDocs[0]) as Record<string, string>;
  t.deepEqual(Object.keys(body), ['id', 'studentUniqueId', 'firstName', 'lastSurname', 'birthDate', '_etag'], "the dataset's document shape");
  t.is(body.id, index.documentUuid(4));
  t.regex(body._etag, /^[0-9a-f]{32}$/);
  t.deepEqual(JSON.parse(securityElements[0]), { Namespace: ['uri://ed-fi.org'], EducationOrganization: { Id: '4' } });
  t.is(traceId, 'refswarm');
});

test('dms: one strategy call per parent document, in the operation\'s order; the first unknown id stops and rolls back', async (t) => {
  const batch: Operation = { kind: 'rewrite', documents: [{ documentId: 9, aliasIds: [1, 2] }, { documentId: 4, aliasIds: [3] }, { documentId: 7, aliasIds: [5] }] };
  const { db, log } = scriptedDb();
  t.true((await executeOperation(db, batch, { ...WORKLOAD, shape: 'dms' }, index)).ok);
  const calls = log.filter((s) => s.name === 'refswarm_workload_call_current');
  t.deepEqual(calls.map((c) => (c.values as string[])[0]), ['{9,9}', '{4}', '{7}']);
  t.is((log[1].values as string[])[0], '{9,4,7}', 'one lock for all, in Id order by the statement');

  const unknown = scriptedDb([{}, {}, {}, {}, { rows: [{ referential_id: 'x' }] }]);
  const outcome = await executeOperation(unknown.db, batch, { ...WORKLOAD, shape: 'dms' }, index);
  t.false(outcome.ok);
  t.deepEqual(unknown.log.map((s) => s.name ?? s.text).slice(-3), ['refswarm_workload_call_current', 'refswarm_workload_call_current', 'ROLLBACK']);
});

test('--unknown-ratio: a rewrite carrying its unknown id is rejected, not failed, and sends the id', async (t) => {
  const carrying: Operation = { kind: 'rewrite', documents: [{ documentId: 4, aliasIds: [1, 2, 3], unknownReference: true }] };
  for (const shape of ['bare', 'dms'] as const) {
    const replies = shape === 'bare' ? [{ rows: [{ referential_id: 'x' }] }] : [{}, {}, {}, { rows: [{ referential_id: 'x' }] }];
    const { db, log } = scriptedDb(replies);
    const outcome = await executeOperation(db, carrying, { ...WORKLOAD, shape }, index);
    t.false(outcome.ok);
    t.true(outcome.rejected);
    t.deepEqual(outcome.failedCodes, []);
    t.deepEqual(outcome.committed, []);
    const call = log.find((s) => s.name === 'refswarm_workload_call_current')!;
    t.is((call.values as string[])[0], '{4,4,4,4}', 'three references and the unknown one');
  }
});

test('unknown referential ids: failure "unknown-alias", nothing committed, dms rolls back', async (t) => {
  const bare = scriptedDb([{ rows: [{ referential_id: '00000000-0000-0000-0000-000000000000' }] }]);
  const outcome = await executeOperation(bare.db, REWRITE, WORKLOAD, index);
  t.false(outcome.ok);
  t.deepEqual(outcome.failedCodes, ['unknown-alias']);
  t.deepEqual(outcome.committed, []);

  const dms = scriptedDb([{}, {}, {}, { rows: [{ referential_id: '00000000-0000-0000-0000-000000000000' }] }]);
  const inTransaction = await executeOperation(dms.db, REWRITE, { ...WORKLOAD, shape: 'dms' }, index);
  t.false(inTransaction.ok);
  t.is(dms.log.at(-1)?.text, 'ROLLBACK');
});

test('deadlocks are retried up to --max-tries, every failed try listed', async (t) => {
  const { db, log } = scriptedDb([{ error: pgError('40P01') }, { error: pgError('40001') }]);
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, maxTries: 3 }, index);
  t.true(outcome.ok);
  t.is(outcome.tries, 3);
  t.deepEqual(outcome.failedCodes, ['40P01', '40001']);
  t.is(log.length, 3);
});

test('retries stop at --max-tries', async (t) => {
  const { db } = scriptedDb([{ error: pgError('40P01') }, { error: pgError('40P01') }, { error: pgError('40P01') }]);
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, maxTries: 2 }, index);
  t.false(outcome.ok);
  t.is(outcome.tries, 2);
  t.deepEqual(outcome.failedCodes, ['40P01', '40P01']);
  t.deepEqual(outcome.committed, []);
});

test('other failures are not retried', async (t) => {
  const { db } = scriptedDb([{ error: pgError('57014') }]);
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, maxTries: 5 }, index);
  t.false(outcome.ok);
  t.is(outcome.tries, 1);
  t.deepEqual(outcome.failedCodes, ['57014']);
});

test('dms: a failed try is rolled back before it is retried', async (t) => {
  const { db, log } = scriptedDb([{}, { error: pgError('40P01') }]);
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, shape: 'dms', maxTries: 2 }, index);
  t.true(outcome.ok);
  t.deepEqual(
    log.map((s) => s.name ?? s.text),
    [
      'BEGIN ISOLATION LEVEL READ COMMITTED', 'refswarm_workload_lock_documents', 'ROLLBACK',
      'BEGIN ISOLATION LEVEL READ COMMITTED', 'refswarm_workload_lock_documents', 'refswarm_workload_update_documents', 'refswarm_workload_call_current', 'COMMIT',
    ],
  );
});

test('a lost connection reconnects and counts as "connection", without a retry', async (t) => {
  const session = scriptedDb([{ error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }]);
  const outcome = await executeOperation(session.db, REWRITE, { ...WORKLOAD, maxTries: 3 }, index);
  t.false(outcome.ok);
  t.deepEqual(outcome.failedCodes, ['connection']);
  t.is(session.reconnects(), 1);
});

test('a server that stays gone ends the session: reconnect throws through', async (t) => {
  const db: SessionDb = {
    query: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
    reconnect: async () => {
      throw new Error('PostgreSQL stayed unreachable');
    },
  };
  await t.throwsAsync(executeOperation(db, REWRITE, WORKLOAD, index), { message: /stayed unreachable/ });
});

test('a programming error propagates instead of being counted', async (t) => {
  const { db } = scriptedDb([{ error: new TypeError('boom') }]);
  await t.throwsAsync(executeOperation(db, REWRITE, WORKLOAD, index), { instanceOf: TypeError });
});

test('reads and noop: one statement each, nothing committed', async (t) => {
  const cases: [Operation, string | undefined, unknown[] | undefined][] = [
    [{ kind: 'noop', sleepMs: 0 }, undefined, undefined],
    [{ kind: 'noop', sleepMs: 10 }, 'refswarm_workload_noop_sleep', [0.01]],
    [{ kind: 'read-referencing', documentId: 5 }, 'refswarm_workload_read_referencing', [5, index.documentPartitionKeys[5]]],
    [{ kind: 'read-references', documentId: 6 }, 'refswarm_workload_read_references', [6, index.documentPartitionKeys[6]]],
  ];
  for (const [op, name, values] of cases) {
    const { db, log } = scriptedDb();
    const outcome = await executeOperation(db, op, WORKLOAD, index);
    t.true(outcome.ok);
    t.deepEqual(outcome.committed, []);
    t.is(log.length, 1);
    t.is(log[0].name, name);
    t.deepEqual(log[0].values, values);
  }
});

/** The phases a PhaseClock holds after the operation: name → whether it was timed. */
function timedPhases(clock: PhaseClock): string[] {
  return PHASE_NAMES.filter((_, phase) => clock.micros[phase]! >= 0);
}

test('phases: dms times lock, update, strategy and commit; bare times the call; a read times read', async (t) => {
  const clock = new PhaseClock();
  await executeOperation(scriptedDb().db, REWRITE, { ...WORKLOAD, shape: 'dms' }, index, { phases: clock });
  t.deepEqual(timedPhases(clock), ['lock', 'update', 'strategy', 'commit']);
  await executeOperation(scriptedDb().db, REWRITE, WORKLOAD, index, { phases: clock });
  t.deepEqual(timedPhases(clock), ['call']);
  await executeOperation(scriptedDb().db, { kind: 'read-referencing', documentId: 4 }, WORKLOAD, index, { phases: clock });
  t.deepEqual(timedPhases(clock), ['read']);
});

test('phases: after a retried operation the clock holds the successful try only', async (t) => {
  const clock = new PhaseClock();
  // First try: BEGIN, then the lock fails with a deadlock (ROLLBACK follows); the second try succeeds.
  const { db } = scriptedDb([{}, { error: pgError('40P01') }]);
  const outcome = await executeOperation(db, REWRITE, { ...WORKLOAD, shape: 'dms', maxTries: 2 }, index, { phases: clock });
  t.true(outcome.ok);
  t.is(outcome.tries, 2);
  t.deepEqual(timedPhases(clock), ['lock', 'update', 'strategy', 'commit']);
});
