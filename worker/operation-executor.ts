import { performance } from 'node:perf_hooks';
import type { DatasetIndex } from '../shared/dataset.ts';
import type { IsolationLevel, StrategyName, WorkloadConfig } from '../shared/run-config.ts';
import { loadSql } from '../shared/sql.ts';
import { CONNECTION, DEADLOCK, failureCode, isRetryable, UNKNOWN_ALIAS } from '../shared/sqlstate.ts';
import { parseDeadlockDetail, type DeadlockEdge } from '../shared/workload/deadlock-detail.ts';
import { taggedSession } from './tagged-statements.ts';
import type { OperationOutcome, SessionDb } from '../shared/workload/contracts.ts';
import type { DocumentRewrite, Operation } from '../shared/workload/operation.ts';
import { aliasSetDigest } from '../shared/workload/reference-set-digest.ts';
import { strategyLayout } from '../shared/schema-layout.ts';
import { securityElementsJson, updatedEdfiDocJson } from '../shared/workload/document-body.ts';
import { parentArguments, strategyArguments } from '../shared/workload/strategy-arguments.ts';
import { carriesUnknownReference } from '../shared/workload/unknown-reference.ts';
import { PHASE } from '../shared/phases.ts';
import type { PhaseClock } from './phase-clock.ts';
import type { OperationExtras } from './session.ts';

/**
 * Executes one operation on the session's connection, with its retries
 * (docs/architecture.md#strategies-and-shapes, docs/architecture.md#retries-and-failure-codes):
 * - rewrite, shape bare: the strategy call alone, in autocommit;
 * - rewrite, shape dms: one transaction at the run's isolation, as DMS's UpdateDocumentById runs it —
 *   lock the parent Document rows (FOR NO KEY UPDATE, Id order), rewrite them (EdfiDoc,
 *   SecurityElements, LastModifiedAt, LastModifiedTraceId), then one strategy call per parent document;
 * - reads (mixed) and noop: one statement.
 * A deadlock or serialization failure is retried from the start up to workload.maxTries tries in all;
 * a lost connection is re-opened (db.reconnect throws when the server stays gone) and the operation
 * counted as failed with code "connection"; a strategy call that reports unknown referential ids
 * wrote nothing: the operation is rejected when it carried one on purpose (--unknown-ratio), else it
 * fails with code "unknown-alias". Any other database error fails the operation
 * under its SQLSTATE; an error that is not a database failure propagates. A deadlock's DETAIL is
 * parsed into its cycle (outcome.deadlocks) for the coordinator's forensics.
 *
 * `phases`, when given, times each try's phases (shared/phases.ts); after an ok operation it holds
 * the successful try's. `tag` (the operation's SQL tag, shared/workload/sql-tag.ts) goes in front of
 * every statement, the prepared ones run through SQL EXECUTE (worker/tagged-statements.ts,
 * docs/architecture.md#sql-tags).
 */
export async function executeOperation(
  db: SessionDb,
  op: Operation,
  workload: WorkloadConfig,
  index: DatasetIndex,
  { phases, tag }: OperationExtras = {},
): Promise<OperationOutcome> {
  const failedCodes: string[] = [];
  const deadlocks: { edges: DeadlockEdge[]; atPerfMs: number }[] = [];
  const tagged = tag === undefined ? db : taggedSession(db, preparedOf(db), tag);
  for (let tries = 1; ; tries++) {
    const startedAt = performance.now();
    phases?.start();
    let code: string | undefined;
    try {
      code = await runOnce(tagged, op, workload, index, phases);
    } catch (error) {
      code = failureCode(error);
      if (code === undefined) throw error;
      if (code === CONNECTION) await tagged.reconnect();
      if (code === DEADLOCK) deadlocks.push({ edges: parseDeadlockDetail((error as { detail?: string }).detail), atPerfMs: performance.now() });
    }
    const serviceMicros = Math.round((performance.now() - startedAt) * 1000);
    const seen = deadlocks.length > 0 ? { deadlocks } : {};
    if (code === undefined) {
      return { ok: true, tries, failedCodes, committed: committedSets(op, index), serviceMicros, ...seen };
    }
    if (code === UNKNOWN_ALIAS && carriesUnknownReference(op)) {
      return { ok: false, rejected: true, tries, failedCodes, committed: [], serviceMicros, ...seen };
    }
    failedCodes.push(code);
    if (!isRetryable(code) || tries >= workload.maxTries) {
      return { ok: false, tries, failedCodes, committed: [], serviceMicros, ...seen };
    }
  }
}

/** Per connection, the statements prepared with SQL PREPARE for tagged execution (cleared on reconnect). */
const sqlPrepared = new WeakMap<SessionDb, Set<string>>();

function preparedOf(db: SessionDb): Set<string> {
  let names = sqlPrepared.get(db);
  if (!names) sqlPrepared.set(db, (names = new Set()));
  return names;
}

/** Runs one try; resolves to undefined when it succeeded, or to a refswarm failure code. */
async function runOnce(
  db: SessionDb,
  op: Operation,
  workload: WorkloadConfig,
  index: DatasetIndex,
  phases: PhaseClock | undefined,
): Promise<string | undefined> {
  switch (op.kind) {
    case 'noop':
      if (op.sleepMs > 0) await db.query(STATEMENTS.noopSleep.text, [op.sleepMs / 1000], STATEMENTS.noopSleep.name);
      // Simple query protocol: one message, no Bind/Execute — the cheapest round trip, as pgbench's SELECT 1.
      else await db.query(STATEMENTS.noop.text);
      return undefined;
    case 'read-referencing':
    case 'read-references': {
      const readReferences = strategyLayout(workload.strategy) === 'alias-id' ? STATEMENTS.readReferencesAliasId : STATEMENTS.readReferences;
      const statement = op.kind === 'read-referencing' ? STATEMENTS.readReferencing : readReferences;
      await db.query(statement.text, [op.documentId, index.documentPartitionKeys[op.documentId]], statement.name);
      phases?.lap(PHASE.read);
      return undefined;
    }
    case 'rewrite': {
      if (workload.shape === 'dms') return rewriteInTransaction(db, op.documents, workload, index, phases);
      const code =
        workload.strategy === 'upsert' && op.documents.length > 1
          ? await upsertInTransaction(db, op.documents, index)
          : await callStrategy(db, op.documents, workload.strategy, index);
      phases?.lap(PHASE.call);
      return code;
    }
  }
}

async function callStrategy(
  db: SessionDb,
  documents: readonly DocumentRewrite[],
  strategy: StrategyName,
  index: DatasetIndex,
  args = strategyArguments(index, documents),
): Promise<string | undefined> {
  if (strategy === 'upsert') return callUpsert(db, documents, index);
  const call = STRATEGY_CALLS[strategy];
  const { rows } = await db.query(
    call.text,
    [args.parentDocumentIds, args.parentDocumentPartitionKeys, args.referentialIds, args.referentialPartitionKeys],
    call.name,
  );
  return rows.length > 0 ? UNKNOWN_ALIAS : undefined;
}

async function rewriteInTransaction(
  db: SessionDb,
  documents: readonly DocumentRewrite[],
  workload: WorkloadConfig,
  index: DatasetIndex,
  phases: PhaseClock | undefined,
): Promise<string | undefined> {
  const args = strategyArguments(index, documents);
  await db.query(BEGIN[workload.isolation]);
  try {
    await db.query(STATEMENTS.lockDocuments.text, [args.documentIds, args.documentPartitionKeys], STATEMENTS.lockDocuments.name);
    phases?.lap(PHASE.lock);
    await db.query(
      STATEMENTS.updateDocuments.text,
      [
        args.documentIds,
        args.documentPartitionKeys,
        documents.map((d) => updatedEdfiDocJson(index, d.documentId)),
        documents.map((d) => securityElementsJson(d.documentId)),
        TRACE_ID,
      ],
      STATEMENTS.updateDocuments.name,
    );
    phases?.lap(PHASE.update);
    // One InsertReferences per parent document, as DMS calls it for each document it writes.
    let code: string | undefined;
    for (const document of documents) {
      code = await callStrategy(db, [document], workload.strategy, index);
      if (code !== undefined) break;
    }
    phases?.lap(PHASE.strategy);
    await db.query(code === undefined ? 'COMMIT' : 'ROLLBACK');
    phases?.lap(PHASE.commit);
    return code;
  } catch (error) {
    // The transaction is aborted (or the connection gone): end it so the next try starts clean.
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The upsert strategy (dms.InsertReferences of --schema alias-id) takes one parent per call, as the
 * DMS service makes it: one call per document, in the operation's order, stopping at the first that
 * reports unknown ids (the caller's transaction then rolls back).
 */
async function callUpsert(db: SessionDb, documents: readonly DocumentRewrite[], index: DatasetIndex): Promise<string | undefined> {
  const call = STRATEGY_CALLS.upsert;
  for (const parent of parentArguments(index, documents)) {
    const { rows } = await db.query(
      call.text,
      [parent.parentDocumentId, parent.parentDocumentPartitionKey, parent.referentialIds, parent.referentialPartitionKeys, false],
      call.name,
    );
    if (rows[0]?.success !== true) return UNKNOWN_ALIAS;
  }
  return undefined;
}

/**
 * Shape bare, several documents, upsert: the calls in one transaction, so that the operation is
 * all-or-nothing as the other strategies' single call is (docs/architecture.md#strategies-and-shapes).
 */
async function upsertInTransaction(db: SessionDb, documents: readonly DocumentRewrite[], index: DatasetIndex): Promise<string | undefined> {
  await db.query('BEGIN');
  try {
    const code = await callUpsert(db, documents, index);
    await db.query(code === undefined ? 'COMMIT' : 'ROLLBACK');
    return code;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function committedSets(op: Operation, index: DatasetIndex): OperationOutcome['committed'] {
  if (op.kind !== 'rewrite') return [];
  return op.documents.map((d) => ({ documentId: d.documentId, setDigest: aliasSetDigest(index, d.aliasIds) }));
}

/** LastModifiedTraceId written by the dms shape. */
const TRACE_ID = 'refswarm';

const BEGIN: Readonly<Record<IsolationLevel, string>> = {
  'read-committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  'repeatable-read': 'BEGIN ISOLATION LEVEL REPEATABLE READ',
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
};

interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

function prepared(file: string): PreparedStatement {
  return { name: `refswarm_${file.replace(/\W/g, '_')}`, text: loadSql(file) };
}

const STATEMENTS = {
  noop: prepared('workload/noop'),
  noopSleep: prepared('workload/noop-sleep'),
  readReferencing: prepared('workload/read-referencing'),
  readReferences: prepared('workload/read-references'),
  readReferencesAliasId: prepared('workload/read-references-alias-id'),
  lockDocuments: prepared('workload/lock-documents'),
  updateDocuments: prepared('workload/update-documents'),
};

const STRATEGY_CALLS: Readonly<Record<StrategyName, PreparedStatement>> = {
  current: prepared('workload/call-current'),
  differential: prepared('workload/call-differential'),
  merge: prepared('workload/call-merge'),
  upsert: prepared('workload/call-upsert'),
};
