import test from 'ava';
import type pg from 'pg';
import { datasetIndex } from '../../../shared/dataset.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { loadSql } from '../../../shared/sql.ts';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * `refswarm setup --schema alias-id --dms-indexes` (DMS-867's layout) end to end: the catalog holds
 * DMS's tables, constraints, indexes, LIST bounds and dms.InsertReferences signature; the function's
 * no-op and unknown-id paths write nothing; a run of --strategy upsert completes with no failure and
 * no integrity violation; a strategy of the other layout is refused with the fix.
 */

const DATASET = { documents: 300, references: 6000, avgRefsPerDoc: 20, partitions: 4 };
const DATASET_FLAGS = ['--documents', '300', '--references', '6000', '--avg-refs-per-doc', '20', '--partitions', '4'];
const environment = testEnvironment('alias_id');
const { bin: BIN, env: ENV } = environment;
const index = datasetIndex(DATASET);
let client: pg.Client;

test.before(async () => {
  const setup = await runCli(BIN, ['setup', '--schema', 'alias-id', '--dms-indexes', '--force', '--partitions', '4'], ENV);
  if (setup.code !== 0) throw new Error(setup.stderr);
  const load = await runCli(BIN, ['load', ...DATASET_FLAGS], ENV);
  if (load.code !== 0) throw new Error(load.stderr);
  client = await connectPg(environment.databaseUrl);
});

test.after.always(async () => {
  await client?.end();
  await environment.cleanup();
});

const rows = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> =>
  (await client.query<R>(sql, params)).rows;

test.serial('catalog: Reference has DMS-867 columns (AliasId, no ReferentialId, NOT NULL referenced document)', async (t) => {
  const columns = await rows<{ column_name: string; data_type: string; is_nullable: string }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'dms' AND table_name = 'reference' ORDER BY ordinal_position`,
  );
  t.deepEqual(
    columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`),
    [
      'id bigint NO',
      'parentdocumentid bigint NO',
      'parentdocumentpartitionkey smallint NO',
      'referentialpartitionkey smallint NO',
      'aliasid bigint NO',
      'referenceddocumentpartitionkey smallint NO',
      'referenceddocumentid bigint NO',
    ],
  );
});

test.serial('catalog: constraints and indexes carry DMS names and definitions', async (t) => {
  const constraints = await rows<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid IN ('dms.reference'::regclass, 'dms.alias'::regclass, 'dms.document'::regclass) ORDER BY conname`,
  );
  const byName = new Map(constraints.map((c) => [c.name, c.definition]));
  t.is(byName.get('ux_reference_parent_alias'), 'UNIQUE (parentdocumentpartitionkey, parentdocumentid, aliasid)');
  t.is(
    byName.get('fk_reference_referencedalias'),
    'FOREIGN KEY (referentialpartitionkey, aliasid) REFERENCES dms.alias(referentialpartitionkey, id) ON UPDATE CASCADE ON DELETE RESTRICT',
  );
  t.is(byName.get('fk_reference_parentdocument'), 'FOREIGN KEY (parentdocumentpartitionkey, parentdocumentid) REFERENCES dms.document(documentpartitionkey, id) ON DELETE CASCADE');
  t.is(byName.get('fk_alias_document'), 'FOREIGN KEY (documentpartitionkey, documentid) REFERENCES dms.document(documentpartitionkey, id) ON DELETE CASCADE');
  t.false(byName.has('fk_reference_referenceddocument'), 'no foreign key to the referenced document');
  t.is(byName.get('reference_pkey'), 'PRIMARY KEY (parentdocumentpartitionkey, id)');

  const indexes = new Map(
    (
      await rows<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'dms' AND tablename IN ('reference', 'alias', 'document')`,
      )
    ).map((i) => [i.indexname, i.indexdef.replace(/^.* USING /, '')]),
  );
  t.is(indexes.get('ix_reference_aliasid'), 'btree (referentialpartitionkey, aliasid)');
  t.is(
    indexes.get('ix_reference_referenceddocument'),
    'btree (referenceddocumentpartitionkey, referenceddocumentid) INCLUDE (parentdocumentpartitionkey, parentdocumentid)',
  );
  t.is(indexes.get('ix_reference_parentdocumentid'), 'btree (parentdocumentpartitionkey, parentdocumentid)');
  t.is(indexes.get('ix_alias_documentid'), 'btree (documentpartitionkey, documentid)');
  t.is(indexes.get('ux_alias_referentialid'), 'btree (referentialpartitionkey, referentialid)');
  t.false(indexes.has('ix_reference_referentialid'));
  // --dms-indexes: the data-out indexes on Document.
  t.is(indexes.get('ix_document_edfidoc'), 'gin (edfidoc jsonb_path_ops)');
  for (const name of ['ix_document_resourcename_createdat', 'ix_document_studentschoolauthorizationedorgids', 'ix_document_securityelements_namespace']) {
    t.true(indexes.has(name), name);
  }
});

test.serial('catalog: LIST partitions, key k in partition k; REPLICA IDENTITY FULL on Document (--dms-indexes)', async (t) => {
  for (const table of ['document', 'alias', 'reference']) {
    const bounds = await rows<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
      [`dms.${table}`],
    );
    t.deepEqual(
      bounds.map((b) => `${b.name} ${b.bound}`),
      [0, 1, 2, 3].map((k) => `${table}_0${k} FOR VALUES IN ('${k}')`),
    );
  }
  const strategy = await rows<{ strategy: string }>(`SELECT partstrat AS strategy FROM pg_partitioned_table WHERE partrelid = 'dms.reference'::regclass`);
  t.is(strategy[0].strategy, 'l');
  const replica = await rows<{ relname: string; relreplident: string }>(
    `SELECT relname, relreplident FROM pg_class WHERE relnamespace = 'dms'::regnamespace AND relname ~ '^document(_[0-9]+)?$'`,
  );
  t.is(replica.length, 5);
  t.true(replica.every((r) => r.relreplident === 'f'), 'REPLICA IDENTITY FULL on Document and its partitions');
});

test.serial('catalog: dms.InsertReferences has DMS-867 signature, parameter names and default', async (t) => {
  const [fn] = await rows<{ args: string; result: string }>(
    `SELECT pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result
     FROM pg_proc p WHERE p.pronamespace = 'dms'::regnamespace AND p.proname = 'insertreferences'`,
  );
  t.is(
    fn.args,
    'p_parentdocumentid bigint, p_parentdocumentpartitionkey smallint, p_referentialids uuid[], p_referentialpartitionkeys smallint[], p_ispureinsert boolean DEFAULT false',
  );
  t.is(fn.result, 'TABLE(success boolean, invalid_ids uuid[])');
  const manifest = await rows<{ schema_layout: string; dms_indexes: boolean }>('SELECT schema_layout, dms_indexes FROM dms.perf_dataset_manifest');
  t.deepEqual(manifest[0], { schema_layout: 'alias-id', dms_indexes: true });
});

const DOCUMENT = 7;

/** The referential ids and keys document `id` holds in the database, for resubmitting them. */
async function heldSet(id: number): Promise<{ ids: string[]; keys: number[] }> {
  const held = await rows<{ referential_id: string; key: number }>(
    `SELECT a.ReferentialId AS referential_id, r.ReferentialPartitionKey AS key
     FROM dms.Reference r JOIN dms.Alias a ON a.ReferentialPartitionKey = r.ReferentialPartitionKey AND a.Id = r.AliasId
     WHERE r.ParentDocumentPartitionKey = $2 AND r.ParentDocumentId = $1 ORDER BY r.Id`,
    [id, index.documentPartitionKeys[id]],
  );
  return { ids: held.map((h) => h.referential_id), keys: held.map((h) => h.key) };
}

/** Rows inserted, updated and deleted in dms tables by this session, not yet flushed to the shared statistics. */
async function pendingWrites(): Promise<number> {
  const [stats] = await rows<{ written: string }>(
    `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) AS written FROM pg_stat_xact_user_tables WHERE schemaname = 'dms'`,
  );
  return Number(stats.written);
}

/**
 * Calls the function in a transaction; returns its row and what it wrote to dms tables (the temporary
 * staging table is not one), then rolls back. pg_stat_xact_user_tables may still hold earlier
 * transactions' counts (PostgreSQL 15 flushes them at most once a second): the delta is what counts.
 */
async function callAndCount(id: number, ids: string[], keys: number[]): Promise<{ success: boolean; invalid: string[]; written: number }> {
  await client.query('BEGIN');
  try {
    const before = await pendingWrites();
    const [result] = await rows<{ success: boolean; invalid_ids: string[] }>(loadSql('workload/call-upsert'), [id, index.documentPartitionKeys[id], ids, keys, false]);
    return { success: result.success, invalid: result.invalid_ids, written: (await pendingWrites()) - before };
  } finally {
    await client.query('ROLLBACK');
  }
}

test.serial('upsert: the same set resubmitted writes nothing; a changed set writes', async (t) => {
  const { ids, keys } = await heldSet(DOCUMENT);
  t.true(ids.length > 0);
  const same = await callAndCount(DOCUMENT, ids, keys);
  t.deepEqual(same, { success: true, invalid: [], written: 0 });
  const reordered = await callAndCount(DOCUMENT, [...ids].reverse(), [...keys].reverse());
  t.is(reordered.written, 0, 'order does not matter');
  const fewer = await callAndCount(DOCUMENT, ids.slice(1), keys.slice(1));
  t.deepEqual(fewer, { success: true, invalid: [], written: 1 }, 'one row deleted');
});

test.serial('upsert: unknown referential ids are returned and nothing is written', async (t) => {
  const unknown = 'ffffffff-0000-4000-8000-000000000001';
  const before = await heldSet(DOCUMENT);
  const result = await callAndCount(DOCUMENT, [index.referentialId(1), unknown], [index.referentialPartitionKeys[1], 1]);
  t.deepEqual(result, { success: false, invalid: [unknown], written: 0 });
  t.deepEqual(await heldSet(DOCUMENT), before);
});

test.serial('run --strategy upsert completes with 0 failed and 0 integrity violations, and restores what it touched', async (t) => {
  const result = await runCli(
    BIN,
    ['run', '--strategy', 'upsert', '--shape', 'dms', '--sessions', '4', '--iterations', '15', '--refs-max', '30', '--think', '0', '--local-workers', '1', '--restore-after', '--name', 'upsert'],
    ENV,
  );
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  t.is(report.ops.failed, 0);
  t.is(report.ops.ok, 60);
  t.is(report.integrity?.violations, 0);
  t.true((report.integrity?.documentsChecked ?? 0) > 0);
  t.is(report.dataset.schema, 'alias-id');
  t.regex(result.stdout, /^schema: alias-id$/m);
  // --restore-after put every touched document back: restore now finds them all in place.
  const restore = await runCli(BIN, ['restore', '--run', resultsDirOf(result)], ENV);
  t.is(restore.code, 0, restore.stderr);
  t.regex(restore.stdout, /restored (\d+) documents \(\d+ references, \1 already in place, 0 transactions/);
});

test.serial('run --strategy upsert with the workload realism options: rejected unknown ids, --change, the fixture, --explain', async (t) => {
  const result = await runCli(
    BIN,
    [
      'run', '--strategy', 'upsert', '--shape', 'dms', '--sessions', '3', '--iterations', '12', '--change', '2', '--target-skew', 'zipf:1.1',
      '--unknown-ratio', '0.3', '--think', '0', '--local-workers', '1', '--restore-after', '--explain', '--name', 'upsert-realism',
    ],
    ENV,
  );
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  t.is(report.ops.failed, 0);
  t.true((report.ops.rejected ?? 0) > 0);
  t.is(report.ops.ok + (report.ops.rejected ?? 0), 36);
  t.is(report.integrity?.violations, 0);
  t.deepEqual(report.explain?.before?.plans.map((p) => p.statement), ['workload/lock-documents', 'workload/update-documents', 'workload/call-upsert']);
  t.true((report.explain?.after?.nested.length ?? 0) > 0);

  const fixture = await runCli(
    BIN,
    ['run', '--scenario', 'fixture', '--fixture', 'batch_100_mixed', '--fixture-alternate', '--strategy', 'upsert', '--sessions', '1', '--iterations', '8', '--think', '0', '--local-workers', '1', '--restore-after', '--name', 'upsert-fixture'],
    ENV,
  );
  t.is(fixture.code, 0, fixture.stderr);
  const fixtureReport = readReport(resultsDirOf(fixture));
  t.is(fixtureReport.ops.ok, 8);
  t.is(fixtureReport.integrity?.violations, 0);
});

test.serial('a strategy of the other layout is refused with exit 2 and the fix', async (t) => {
  const result = await runCli(BIN, ['run', '--strategy', 'current', '--iterations', '1', '--refs-max', '10'], ENV);
  t.is(result.code, 2);
  t.regex(
    result.stderr,
    /--strategy current needs --schema referential-id, but database "dms_perf_test_alias_id_\w+" was set up with --schema alias-id: run refswarm setup --schema referential-id --force \(then refswarm load\), or use --strategy upsert/,
  );
});
