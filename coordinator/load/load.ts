import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { assertRefswarmDatabaseName, type ConnectionSettings } from '../../shared/connection.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { datasetIndex, sameShape, type DatasetIndex, type DatasetShape } from '../../shared/dataset.ts';
import { ConfigurationError, RunFailedError } from '../../shared/errors.ts';
import { connectPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import { duplicatePairCount } from './load-duplicate-pairs.ts';
import { InterruptedError, LoadPool, type PoolTask } from './load-pool.ts';
import { copyDoneText, copyProgressText, formatSeconds, stepProgressText } from './load-progress.ts';
import { copyChunks, copyColumns, partitionRowCount, type KeyMask, type RowCounter } from './load-rows.ts';
import { clearDataset, describeDistinctPairs, describeShape, recordDataset, requireSetupRecord, type DatasetManifest, type SetupRecord } from '../database/manifest.ts';
import { createProgressLine, type ProgressLine } from '../run/progress-line.ts';
import {
  DATASET_TABLES,
  createObjectSql,
  partitionName,
  renderSql,
  schemaObjects,
  type DatasetTable,
  type SchemaObject,
} from '../database/schema-objects.ts';

/**
 * refswarm load: the dataset generated straight into binary COPY streams, one per partition, loaded
 * over a few connections into bare tables (every key, index and constraint dropped first), then
 * keys and indexes built partition by partition in parallel and attached to the partitioned
 * tables, foreign keys added NOT VALID and validated partition by partition, ANALYZE, identity
 * sequences advanced, fixtures rebuilt, and the manifest written last: a load that stops half-way
 * leaves a database that holds no dataset as far as every command is concerned. The rows, keys and
 * indexes are those of the layout setup built (--schema, --dms-indexes: the manifest says which).
 */

export interface LoadOptions {
  /** Reload even when the database holds a dataset (the same or another). */
  readonly force: boolean;
  /**
   * Leave out the reference rows repeating a (parent, referential id) pair (keeping the first in
   * reference order), so the merge strategy's unique constraint can be added. Default false: the
   * dataset exactly as generated. Always so on --schema alias-id, whose UX_Reference_Parent_Alias
   * allows one row per (parent, alias).
   */
  readonly distinctPairs?: boolean;
  /** Aborting (SIGINT) cancels the running statements; nothing is recorded in the manifest. */
  readonly signal?: AbortSignal;
  /** Called with each completed-phase line (they also go to stderr). */
  readonly progress?: (line: string) => void;
  /** Parallel connections (default 3: on 2 cores the builds are CPU-bound, a third keeps both busy through I/O waits). */
  readonly connections?: number;
  /** maintenance_work_mem of each connection (default 256MB). */
  readonly maintenanceWorkMem?: string;
}

export type LoadPhase = 'prepare' | 'copy' | 'indexes' | 'foreign keys' | 'analyze' | 'finish';

export interface LoadStep {
  readonly phase: LoadPhase;
  /** "copy reference", an index or constraint name, "ANALYZE dms.reference", ... */
  readonly name: string;
  /** Time spent on it, summed over partitions (connections work in parallel, so steps overlap). */
  readonly ms: number;
}

export interface LoadReport {
  readonly skipped: boolean;
  readonly shape: DatasetShape;
  readonly checksum: string;
  readonly mergeConstraint: boolean;
  /** Duplicate pair rows of the generated dataset (left out when distinctPairs). */
  readonly duplicatePairs: number;
  readonly distinctPairs: boolean;
  /** The layout loaded (setup's --schema). */
  readonly schema: SchemaLayout;
  readonly rows: Readonly<Record<DatasetTable, number>>;
  /** Wall-clock milliseconds per phase. */
  readonly timings: Readonly<Partial<Record<LoadPhase, number>>>;
  readonly steps: readonly LoadStep[];
  readonly totalMs: number;
}

export const DEFAULT_LOAD_CONNECTIONS = 3;
export const DEFAULT_MAINTENANCE_WORK_MEM = '256MB';
const APPLICATION_NAME = 'refswarm-load';

interface PartitionPlan {
  readonly table: DatasetTable;
  readonly name: string;
  readonly qualified: string;
  readonly keys: KeyMask;
  readonly rows: number;
}

export async function loadDataset(
  settings: ConnectionSettings,
  shape: DatasetShape,
  options: LoadOptions,
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<LoadReport> {
  const started = performance.now();
  const line = (text: string): void => {
    stderr.write(`${text}\n`);
    options.progress?.(text);
  };
  const database = settings.databaseName;
  assertRefswarmDatabaseName(database);
  const control = await connectPg(settings.databaseUrl, APPLICATION_NAME);
  let plans: PartitionPlan[];
  let index: DatasetIndex;
  let setup: SetupRecord;
  let distinctPairs = options.distinctPairs === true;
  try {
    setup = await requireSetupRecord(control, database);
    if (setup.schema === 'alias-id') distinctPairs = true;
    const loaded = checkLoadable(setup, shape, distinctPairs, database, options.force);
    if (loaded) {
      const how = distinctPairs ? ` ${describeDistinctPairs(true)}` : '';
      line(`dataset already loaded in ${database} (${describeShape(shape)}${how}, ${loaded.loadedAt}): nothing to do; --force reloads it`);
      return {
        skipped: true,
        shape,
        checksum: loaded.checksum,
        mergeConstraint: loaded.mergeConstraint,
        duplicatePairs: loaded.duplicatePairs,
        distinctPairs: loaded.distinctPairs,
        schema: setup.schema,
        rows: { document: 0, alias: 0, reference: 0 },
        timings: {},
        steps: [],
        totalMs: performance.now() - started,
      };
    }
    index = datasetIndex(shape);
    plans = await planPartitions(control, index, distinctPairs, setup.schema);
  } finally {
    await control.end().catch(() => undefined);
  }

  const { schema } = setup;
  const duplicatePairs = duplicatePairCount(index);
  const mergeConstraint = schema === 'referential-id' && (distinctPairs || duplicatePairs === 0);
  const sessionSql = [renderSql('load/session-settings', { maintenance_work_mem: options.maintenanceWorkMem ?? DEFAULT_MAINTENANCE_WORK_MEM })];
  const pool = await LoadPool.open(settings.databaseUrl, options.connections ?? DEFAULT_LOAD_CONNECTIONS, sessionSql, APPLICATION_NAME);
  const progress = createProgressLine(stderr);
  const timings: Partial<Record<LoadPhase, number>> = {};
  const steps = new Map<string, LoadStep>();
  const addStep = (phase: LoadPhase, name: string, ms: number): void => {
    const step = steps.get(name);
    steps.set(name, { phase, name, ms: (step?.ms ?? 0) + ms });
  };
  const phase = async (name: LoadPhase, run: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    await run();
    timings[name] = performance.now() - t0;
  };

  try {
    await phase('prepare', () => pool.runSerially([transaction('clear manifest, drop keys and indexes, truncate', [
      (c) => clearDataset(c),
      (c) => c.query(loadSql('load/drop-keys-and-indexes')),
      (c) => c.query(loadSql('load/truncate-tables')),
    ])], options.signal));

    let checksum = '';
    await phase('copy', async () => {
      checksum = await copyPartitions(pool, index, plans, distinctPairs, schema, progress, options.signal, addStep);
    });
    const copied = sumRows(plans);
    progress.done();
    line(copyDoneText(copied.document + copied.alias + copied.reference, timings.copy ?? 0));

    const allObjects = schemaObjects(schema, setup.dmsIndexes);
    const objects = allObjects.filter((o) => o.kind !== 'foreign-key' && (mergeConstraint || !o.mergeArbiter));
    await phase('indexes', () => buildObjects(pool, objects, plans, progress, options.signal, addStep));
    progress.done();
    line(`indexes: ${objects.length} keys and indexes on ${plans.length / DATASET_TABLES.length} partitions in ${formatSeconds(timings.indexes ?? 0)}`);
    if (schema === 'alias-id') {
      line(`alias-id: UX_Reference_Parent_Alias allows one row per (parent, alias): left out ${duplicatePairs} reference rows repeating a pair`);
    } else if (!mergeConstraint) {
      line(
        `merge: no unique constraint on (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey): ` +
          `the dataset has ${duplicatePairs} duplicate (parent, referential id) reference rows (recorded in the manifest); ` +
          `load with --distinct-pairs to run --strategy merge`,
      );
    } else if (distinctPairs) {
      line(`merge: unique constraint added; --distinct-pairs left out ${duplicatePairs} reference rows repeating a (parent, referential id) pair`);
    }

    const foreignKeys = allObjects.filter((o) => o.kind === 'foreign-key');
    await phase('foreign keys', () => addForeignKeys(pool, foreignKeys, plans, progress, options.signal, addStep));
    progress.done();
    line(`foreign keys: ${foreignKeys.length} validated in ${formatSeconds(timings['foreign keys'] ?? 0)}`);

    await phase('analyze', () =>
      pool.runAll(
        ['reference', 'alias', 'document'].map((table) => statementTask(`ANALYZE dms.${table}`, renderSql('load/analyze', { table: `dms.${table}` }))),
        options.signal,
        (task, ms) => addStep('analyze', task.label, ms),
      ),
    );

    await phase('finish', () => pool.runSerially([
      {
        label: 'advance identity sequences',
        run: async (c) => {
          await advanceIdentity(c, 'dms.document', shape.documents);
          await advanceIdentity(c, 'dms.alias', shape.documents);
          // Reference Ids are reference.csv row numbers (rows left out by --distinct-pairs leave gaps).
          await advanceIdentity(c, 'dms.reference', index.firstReferenceRow[shape.documents + 1]);
        },
      },
      statementTask('rebuild fixtures', loadSql('fixtures/rebuild')),
      transaction('record manifest', [
        (c) => c.query(loadSql('load/durable-commit')),
        (c) => recordDataset(c, { shape, checksum, mergeConstraint, duplicatePairs, distinctPairs }),
      ]),
    ], options.signal, (task, ms) => addStep('finish', task.label, ms)));

    const totalMs = performance.now() - started;
    line(`analyze, sequences, fixtures, manifest: ${formatSeconds((timings.analyze ?? 0) + (timings.finish ?? 0))}`);
    return {
      skipped: false,
      shape,
      checksum,
      mergeConstraint,
      duplicatePairs,
      distinctPairs,
      schema,
      rows: copied,
      timings,
      steps: [...steps.values()],
      totalMs,
    };
  } catch (error) {
    progress.done();
    if (error instanceof InterruptedError || options.signal?.aborted) {
      throw new RunFailedError(`load of ${database} interrupted: no dataset is recorded; run refswarm load again`);
    }
    throw error;
  } finally {
    await pool.close();
  }
}

/**
 * Refuses a partition count other than setup's, and another dataset without --force (the same
 * shape loaded with a different --distinct-pairs is another dataset). Returns the loaded dataset
 * when it is the one asked for and --force is absent (nothing to do).
 */
function checkLoadable(setup: SetupRecord, shape: DatasetShape, distinctPairs: boolean, database: string, force: boolean): DatasetManifest | undefined {
  if (setup.partitions !== shape.partitions) {
    throw new ConfigurationError(
      `--partitions ${shape.partitions} does not match database "${database}", set up with ${setup.partitions} partitions: ` +
        `pass --partitions ${setup.partitions}, or re-create it with refswarm setup --force --partitions ${shape.partitions}`,
    );
  }
  const loaded = setup.dataset;
  if (!loaded || force) return undefined;
  if (sameShape(loaded.shape, shape)) {
    if (loaded.distinctPairs === distinctPairs) return loaded;
    throw new ConfigurationError(
      `database "${database}" already holds this dataset, loaded ${describeDistinctPairs(loaded.distinctPairs)}: ` +
        `pass --force to reload it ${describeDistinctPairs(distinctPairs)}`,
    );
  }
  throw new ConfigurationError(
    `database "${database}" already holds another dataset (${describeShape(loaded.shape)}${loaded.distinctPairs ? ' --distinct-pairs' : ''}): pass --force to replace it`,
  );
}

/**
 * The partitions of each table with the partition keys routed to them: PostgreSQL's hash routing on
 * referential-id; on alias-id partition k holds key k (setup's LIST bounds).
 */
async function planPartitions(client: pg.Client, index: DatasetIndex, distinctPairs: boolean, schema: SchemaLayout): Promise<PartitionPlan[]> {
  const { partitions } = index.shape;
  const plans: PartitionPlan[] = [];
  for (const table of DATASET_TABLES) {
    const masks = Array.from({ length: partitions }, () => new Uint8Array(partitions));
    if (schema === 'alias-id') {
      for (let key = 0; key < partitions; key++) masks[key][key] = 1;
    } else {
      const result = await client.query<{ remainder: number; keys: number[] }>(loadSql('load/partition-keys'), [`dms.${table}`, partitions]);
      for (const row of result.rows) for (const key of row.keys) masks[row.remainder][key] = 1;
    }
    for (let remainder = 0; remainder < partitions; remainder++) {
      const name = partitionName(table, remainder, partitions);
      const keys = masks[remainder];
      plans.push({ table, name, qualified: `dms.${name}`, keys, rows: partitionRowCount(table, index, keys, { distinctPairs }) });
    }
  }
  return plans;
}

function sumRows(plans: readonly PartitionPlan[]): Record<DatasetTable, number> {
  const rows: Record<DatasetTable, number> = { document: 0, alias: 0, reference: 0 };
  for (const plan of plans) rows[plan.table] += plan.rows;
  return rows;
}

/** Largest first, so the last tasks to finish are short ones. */
function bySizeDescending(a: PartitionPlan, b: PartitionPlan): number {
  return b.rows - a.rows;
}

/** COPY every non-empty partition; returns the content checksum. */
async function copyPartitions(
  pool: LoadPool,
  index: DatasetIndex,
  plans: readonly PartitionPlan[],
  distinctPairs: boolean,
  schema: SchemaLayout,
  progress: ProgressLine,
  signal: AbortSignal | undefined,
  addStep: (phase: LoadPhase, name: string, ms: number) => void,
): Promise<string> {
  const counter: RowCounter = { rows: 0 };
  const totalRows = plans.reduce((sum, p) => sum + p.rows, 0);
  const digests = new Map<string, string>();
  const started = performance.now();
  const timer = setInterval(() => progress.update(copyProgressText(counter.rows, totalRows, performance.now() - started)), 500);
  timer.unref();
  const tasks: PoolTask[] = [...plans].filter((p) => p.rows > 0).sort(bySizeDescending).map((plan) => ({
    label: `copy ${plan.table}`,
    run: async (client) => {
      const hash = createHash('sha256');
      const chunks = copyChunks(plan.table, index, plan.keys, counter, { distinctPairs }, schema);
      const hashed = (function* () {
        for (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      })();
      await client.query('BEGIN');
      try {
        await client.query(renderSql('load/truncate-partition', { partition: plan.qualified }));
        const columns = copyColumns(plan.table, schema).join(', ');
        const copy = client.query(copyFrom(renderSql('load/copy-partition', { partition: plan.qualified, columns })));
        // pipeline reports the first error; a second one (the server closing a failed COPY) must not crash the process.
        copy.on('error', () => undefined);
        await pipeline(Readable.from(hashed), copy);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      digests.set(plan.name, hash.digest('hex'));
    },
  }));
  try {
    await pool.runAll(tasks, signal, (task, ms) => addStep('copy', task.label, ms));
  } finally {
    clearInterval(timer);
  }
  return combinedChecksum(plans, digests);
}

/** sha256 over "partition:digest" lines in table and partition order: independent of load order. */
function combinedChecksum(plans: readonly PartitionPlan[], digests: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const plan of plans) hash.update(`${plan.name}:${digests.get(plan.name) ?? 'empty'}\n`);
  return hash.digest('hex');
}

/** Keys and indexes on every partition in parallel, then on the partitioned tables (which attach them). */
async function buildObjects(
  pool: LoadPool,
  objects: readonly SchemaObject[],
  plans: readonly PartitionPlan[],
  progress: ProgressLine,
  signal: AbortSignal | undefined,
  addStep: (phase: LoadPhase, name: string, ms: number) => void,
): Promise<void> {
  const tasks: PoolTask[] = [];
  for (const plan of [...plans].sort(bySizeDescending)) {
    const grouped = new Map<string, PoolTask>();
    for (const object of objects.filter((o) => o.table === plan.table)) {
      const sql = createObjectSql(object, plan.qualified, undefined);
      const task: PoolTask = { label: object.name, run: (c) => c.query(sql).then(() => undefined) };
      const group = object.sameDefaultName === undefined ? undefined : grouped.get(object.sameDefaultName);
      if (group) {
        // After the first of its group, in the same task (SchemaObject.sameDefaultName).
        const first = group.run;
        group.run = async (c) => {
          await first(c);
          await task.run(c);
        };
        continue;
      }
      if (object.sameDefaultName !== undefined) grouped.set(object.sameDefaultName, task);
      tasks.push(task);
    }
  }
  const started = performance.now();
  let done = 0;
  await pool.runAll(tasks, signal, (task, ms) => {
    addStep('indexes', task.label, ms);
    progress.update(stepProgressText('indexes', ++done, tasks.length, task.label, performance.now() - started));
  });
  const attach = objects.map((object) => statementTask(object.name, createObjectSql(object, `dms.${object.table}`, object.name)));
  await pool.runSerially(attach, signal, (task, ms) => addStep('indexes', task.label, ms));
}

/**
 * A foreign key added to the partitioned table would be checked partition after partition in one
 * statement. Added NOT VALID to each partition instead (quick, one at a time: each takes a lock on
 * the referenced table), they are validated in parallel, and the partitioned table's own
 * constraint then adopts them without checking again.
 */
async function addForeignKeys(
  pool: LoadPool,
  foreignKeys: readonly SchemaObject[],
  plans: readonly PartitionPlan[],
  progress: ProgressLine,
  signal: AbortSignal | undefined,
  addStep: (phase: LoadPhase, name: string, ms: number) => void,
): Promise<void> {
  const add: PoolTask[] = [];
  const validate: PoolTask[] = [];
  for (const plan of [...plans].sort(bySizeDescending)) {
    for (const object of foreignKeys.filter((o) => o.table === plan.table)) {
      add.push(statementTask(object.name, createObjectSql(object, plan.qualified, object.name, true)));
      validate.push(statementTask(object.name, renderSql('load/validate-constraint', { table: plan.qualified, name: object.name })));
    }
  }
  const onDone = (task: PoolTask, ms: number): void => addStep('foreign keys', task.label, ms);
  await pool.runSerially(add, signal, onDone);
  const started = performance.now();
  let done = 0;
  await pool.runAll(validate, signal, (task, ms) => {
    onDone(task, ms);
    progress.update(stepProgressText('validating foreign keys', ++done, validate.length, task.label, performance.now() - started));
  });
  const attach = foreignKeys.map((object) => statementTask(object.name, createObjectSql(object, `dms.${object.table}`, object.name)));
  await pool.runSerially(attach, signal, onDone);
}

function statementTask(label: string, sql: string): PoolTask {
  return { label, run: (c) => c.query(sql).then(() => undefined) };
}

function transaction(label: string, steps: readonly ((client: pg.Client) => Promise<unknown>)[]): PoolTask {
  return {
    label,
    run: async (client) => {
      await client.query('BEGIN');
      try {
        for (const step of steps) await step(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}

async function advanceIdentity(client: pg.Client, table: string, lastId: number): Promise<void> {
  await client.query(loadSql('load/advance-identity'), [table, Math.max(lastId, 1), lastId > 0]);
}
