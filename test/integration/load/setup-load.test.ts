import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { loadDataset } from '../../../coordinator/load/load.ts';
import { readManifest, requireDataset, requireSetupRecord } from '../../../coordinator/database/manifest.ts';
import { SCHEMA_OBJECTS } from '../../../coordinator/database/schema-objects.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { connectionSettings, withDatabase, type ConnectionSettings } from '../../../shared/connection.ts';
import { datasetIndex, md5uuid, partitionKeyOf, type DatasetShape } from '../../../shared/dataset.ts';
import { edfiDocJson, securityElementsJson } from '../../../coordinator/load/dataset-csv.ts';
import { ConfigurationError, RunFailedError } from '../../../shared/errors.ts';
import { withPg } from '../../../shared/pg-connect.ts';

/** setup → load against the real PostgreSQL, in databases of their own (dropped at the end). */

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const MAIN = settingsFor('dms_perf_test_setupload_main');
const BARE = settingsFor('dms_perf_test_setupload_bare');
const SMALL_P = settingsFor('dms_perf_test_setupload_p3');
const SETUP_ONLY = settingsFor('dms_perf_test_setupload_setuponly');
/** A golden set: reference.csv and alias.csv rebuilt from the database must match the reference generator's sums. */
const GOLDEN: DatasetShape = { documents: 1000, references: 50_000, avgRefsPerDoc: 200, partitions: 16 };
const TINY: DatasetShape = { documents: 100, references: 2000, avgRefsPerDoc: 20, partitions: 16 };
const GOLDEN_SUMS = readFileSync(new URL('../../golden/dataset-checksums.tsv', import.meta.url), 'utf8');

const silent = { write: () => true } as unknown as NodeJS.WritableStream;
const noLog = (): void => undefined;

function settingsFor(database: string): ConnectionSettings {
  return connectionSettings({ DATABASE_URL: withDatabase(BASE_URL, database) });
}

function goldenSum(shape: DatasetShape, file: string): string {
  const line = GOLDEN_SUMS.split('\n').find((l) =>
    l.startsWith(`${shape.documents}\t${shape.references}\t${shape.avgRefsPerDoc}\t${shape.partitions}\t${file}\t`),
  );
  if (!line) throw new Error(`no golden sum for ${file}`);
  return line.split('\t')[5];
}

/** A query's rows as the reference generator writes CSV: header, quoting only when needed, CRLF. */
async function csvSha256(client: pg.Client, query: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
  for await (const chunk of stream) hash.update(Buffer.from(chunk as Buffer).toString('utf8').replaceAll('\n', '\r\n'));
  return hash.digest('hex');
}

async function dropDatabases(): Promise<void> {
  await withPg(withDatabase(BASE_URL, 'postgres'), async (admin) => {
    for (const s of [MAIN, BARE, SMALL_P, SETUP_ONLY]) await admin.query(`DROP DATABASE IF EXISTS ${s.databaseName} WITH (FORCE)`);
  });
}

test.before(dropDatabases);
test.after.always(dropDatabases);

test.serial('setup creates the database, refuses to drop it without --force, re-creates it with --force', async (t) => {
  const lines: string[] = [];
  const first = await setupDatabase(MAIN, { force: false, partitions: 16 }, (l) => lines.push(l));
  t.true(first.created);
  t.false(first.dropped);
  t.deepEqual(Object.keys(first.extensions).sort(), ['pg_stat_statements', 'pg_wait_sampling', 'pgstattuple']);
  t.true(lines.some((l) => l.startsWith('pg_stat_statements: ')));
  await t.throwsAsync(setupDatabase(MAIN, { force: false, partitions: 16 }, noLog), {
    instanceOf: ConfigurationError,
    message: /already exists: pass --force/,
  });
  const again = await setupDatabase(MAIN, { force: true, partitions: 16 }, noLog);
  t.true(again.dropped);
  await withPg(MAIN.databaseUrl, async (c) => {
    await requireSetupRecord(c, MAIN.databaseName);
    t.is(await readManifest(c), undefined, 'nothing loaded yet');
    await t.throwsAsync(requireDataset(c, MAIN.databaseName), { instanceOf: ConfigurationError, message: /holds no dataset: run refswarm load/ });
    const functions = await c.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'dms'::regnamespace ORDER BY 1`);
    const names = functions.rows.map((r: { proname: string }) => r.proname);
    for (const f of ['insertreferences', 'insertreferences_differential', 'insertreferences_merge', 'build_perf_reference_targets', 'insert_reference_target_for_docs']) {
      t.true(names.includes(f), f);
    }
    const tables = await c.query(`SELECT to_regclass('dms.perf_test_results') AS results, to_regclass('dms.perf_reference_targets') AS fixtures`);
    t.truthy(tables.rows[0].results);
    t.truthy(tables.rows[0].fixtures);
  });
});

test.serial('load: the same rows as export (golden sums), Id i ↔ md5uuid("doc:i"), partition keys, counts', async (t) => {
  const report = await loadDataset(MAIN, GOLDEN, { force: false }, silent);
  t.false(report.skipped);
  t.deepEqual(report.rows, { document: 1000, alias: 1000, reference: 50_000 });
  t.false(report.mergeConstraint);
  t.is(report.duplicatePairs, 50);
  t.regex(report.checksum, /^[0-9a-f]{64}$/);
  await withPg(MAIN.databaseUrl, async (c) => {
    const counts = await c.query(
      `SELECT (SELECT count(*) FROM dms.document)::int AS d, (SELECT count(*) FROM dms.alias)::int AS a, (SELECT count(*) FROM dms.reference)::int AS r`,
    );
    t.deepEqual(counts.rows[0], { d: 1000, a: 1000, r: 50_000 });
    t.is(
      await csvSha256(
        c,
        `SELECT ParentDocumentId AS "ParentDocumentId", ParentDocumentPartitionKey AS "ParentDocumentPartitionKey",
                ReferencedDocumentId AS "ReferencedDocumentId", ReferencedDocumentPartitionKey AS "ReferencedDocumentPartitionKey",
                ReferentialId AS "ReferentialId", ReferentialPartitionKey AS "ReferentialPartitionKey"
         FROM dms.reference ORDER BY Id`,
      ),
      goldenSum(GOLDEN, 'reference.csv'),
    );
    t.is(
      await csvSha256(
        c,
        `SELECT ReferentialPartitionKey AS "ReferentialPartitionKey", ReferentialId AS "ReferentialId",
                DocumentId AS "DocumentId", DocumentPartitionKey AS "DocumentPartitionKey"
         FROM dms.alias ORDER BY Id`,
      ),
      goldenSum(GOLDEN, 'alias.csv'),
    );
    const aliasIds = await c.query(`SELECT count(*)::int AS n FROM dms.alias WHERE Id <> DocumentId`);
    t.is(aliasIds.rows[0].n, 0, 'Alias i has Id i');
    const documents = await c.query(
      `SELECT Id::int AS id, DocumentPartitionKey AS key, DocumentUuid AS uuid, ResourceName AS resource, EdfiDoc AS doc,
              SecurityElements AS security, LastModifiedTraceId AS trace, IsDescriptor AS descriptor
       FROM dms.document ORDER BY Id`,
    );
    t.is(documents.rows.length, 1000);
    // jsonb keeps its own key order, so the JSON columns are compared as values.
    let mismatches = 0;
    for (const row of documents.rows as { id: number; key: number; uuid: string; doc: unknown; security: unknown; trace: string; descriptor: boolean }[]) {
      const uuid = md5uuid(`doc:${row.id}`);
      const same =
        row.uuid === uuid &&
        row.key === partitionKeyOf(uuid, 16) &&
        isDeepStrictEqual(row.doc, JSON.parse(edfiDocJson(row.id, uuid))) &&
        isDeepStrictEqual(row.security, JSON.parse(securityElementsJson(row.id))) &&
        row.trace === `perf-test-${row.id}` &&
        row.descriptor === false;
      if (!same) mismatches++;
    }
    t.is(mismatches, 0);
    t.deepEqual(documents.rows.map((r: { id: number }) => r.id), Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});

test.serial('load: every key, index and foreign key on the tables and all their partitions, validated', async (t) => {
  await withPg(MAIN.databaseUrl, async (c) => {
    for (const object of SCHEMA_OBJECTS) {
      const name = object.name.toLowerCase();
      if (object.mergeArbiter) {
        const absent = await c.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = $1`, [name]);
        t.is(absent.rows[0].n, 0, 'no merge constraint: the dataset has duplicate pairs');
        continue;
      }
      if (object.kind === 'index') {
        const children = await c.query(
          `SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = $1::regclass ORDER BY 1`,
          [`dms.${name}`],
        );
        t.is(children.rows.length, 16, object.name);
        continue;
      }
      const parent = await c.query(
        `SELECT oid, convalidated FROM pg_constraint WHERE conname = $1 AND conrelid = $2::regclass`,
        [name, `dms.${object.table}`],
      );
      t.is(parent.rows.length, 1, object.name);
      t.true(parent.rows[0].convalidated, object.name);
      const children = await c.query(
        `SELECT count(*)::int AS n, bool_and(convalidated) AS valid FROM pg_constraint
         WHERE conparentid = $1 AND conrelid::regclass::text ~ '^dms\\.(document|alias|reference)_[0-9]+$'`,
        [parent.rows[0].oid],
      );
      t.deepEqual(children.rows[0], { n: 16, valid: true }, object.name);
    }
    const fkAlias = await c.query(`SELECT confdeltype, confupdtype FROM pg_constraint WHERE conname = 'fk_reference_referencedalias' AND conrelid = 'dms.reference'::regclass`);
    t.deepEqual(fkAlias.rows[0], { confdeltype: 'r', confupdtype: 'c' });
    await t.throwsAsync(
      c.query(`INSERT INTO dms.reference (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey) VALUES (1, $1, gen_random_uuid(), 0)`, [
        partitionKeyOf(md5uuid('doc:1'), 16),
      ]),
      { message: /fk_reference_referencedalias/ },
    );
  });
});

/** Every key, index and constraint of the partitions, by name (the merge arbiter aside: it exists only on data without duplicate pairs). */
async function partitionObjectNames(settings: ConnectionSettings): Promise<string[]> {
  return withPg(settings.databaseUrl, async (c) => {
    const result = await c.query<{ name: string }>(
      `SELECT format('constraint %s.%s', conrelid::regclass, conname) AS name FROM pg_constraint
       WHERE conrelid::regclass::text ~ '^dms\\.(document|alias|reference)_[0-9]+$' AND contype <> 'u'
       UNION ALL
       SELECT format('index %s', i.indexrelid::regclass) FROM pg_index i
       WHERE i.indrelid::regclass::text ~ '^dms\\.(document|alias|reference)_[0-9]+$'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint u WHERE u.conindid = i.indexrelid AND u.contype = 'u')
       ORDER BY 1`,
    );
    return result.rows.map((r) => r.name);
  });
}

test.serial('unknown referential ids on a loaded database: partition constraints get the names PostgreSQL gives them, as on a database made by setup alone', async (t) => {
  await setupDatabase(SETUP_ONLY, { force: true, partitions: 16 }, noLog);
  const loaded = await partitionObjectNames(MAIN);
  t.true(loaded.includes('constraint dms.reference_03.fk_reference_referencedalias'), 'a partition foreign key keeps the table\'s name');
  t.true(loaded.includes('index dms.reference_03_pkey'), 'a partition key is named by PostgreSQL');
  t.deepEqual(loaded, await partitionObjectNames(SETUP_ONLY));
});

test.serial('unknown referential ids on a loaded database are returned by dms.InsertReferences, not raised as 23503', async (t) => {
  const unknown = '00000000-0000-4000-8000-000000000001';
  await withPg(MAIN.databaseUrl, async (c) => {
    await c.query('BEGIN');
    try {
      const parentKey = partitionKeyOf(md5uuid('doc:1'), 16);
      const result = await c.query<{ referentialid: string }>(
        'SELECT * FROM dms.InsertReferences($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])',
        [[1], [parentKey], [unknown], [3]],
      );
      t.deepEqual(result.rows.map((r) => r.referentialid), [unknown]);
    } finally {
      await c.query('ROLLBACK');
    }
  });
});

test.serial('load: identity sequences continue after the loaded ids', async (t) => {
  await withPg(MAIN.databaseUrl, async (c) => {
    await c.query('BEGIN');
    const document = await c.query(
      `INSERT INTO dms.document (DocumentPartitionKey, DocumentUuid, ResourceName, ResourceVersion, IsDescriptor, ProjectName, EdfiDoc, SecurityElements, LastModifiedTraceId)
       VALUES (0, gen_random_uuid(), 'x', '5.0.0', false, 'ed-fi', '{}', '{}', 't') RETURNING Id::int AS id`,
    );
    t.true(document.rows[0].id > 1000, 'after Document 1000');
    const reference = await c.query(
      `INSERT INTO dms.reference (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
       SELECT 1, $1, ReferentialId, ReferentialPartitionKey FROM dms.alias WHERE Id = 5 RETURNING Id::int AS id`,
      [partitionKeyOf(md5uuid('doc:1'), 16)],
    );
    t.true(reference.rows[0].id > 50_000, 'after reference row 50000');
    await c.query('ROLLBACK');
  });
});

test.serial('load: fixtures are rebuilt from the loaded references', async (t) => {
  const index = datasetIndex(GOLDEN);
  /** Document i's first n references ordered by referential partition key, then reference Id. */
  const expected = (documentId: number, n: number): { ids: string[]; keys: number[] } => {
    const rows = index.datasetReferences(documentId).map((alias, k) => ({
      id: index.firstReferenceRow[documentId] + k + 1,
      rid: index.referentialId(alias),
      key: index.referentialPartitionKeys[alias],
    }));
    rows.sort((a, b) => a.key - b.key || a.id - b.id);
    const first = rows.slice(0, n);
    return { ids: first.map((r) => r.rid), keys: first.map((r) => r.key) };
  };
  await withPg(MAIN.databaseUrl, async (c) => {
    interface Fixture {
      target_name: string;
      parents: string[];
      ids: string[];
      keys: number[];
      reference_count: number;
    }
    const result = await c.query<Fixture>(
      `SELECT target_name, parent_document_ids::text[] AS parents, referential_ids::text[] AS ids, referential_partition_keys AS keys, reference_count
       FROM dms.perf_reference_targets ORDER BY target_name`,
    );
    const byName = new Map(result.rows.map((r) => [r.target_name, r] as const));
    const standard = byName.get('single_doc_standard')!;
    t.is(standard.reference_count, Math.min(50, index.referenceCounts[2]));
    t.true(standard.parents.every((p) => p === '2'));
    t.deepEqual({ ids: standard.ids, keys: standard.keys }, expected(2, 50));
    const heavy = byName.get('single_doc_heavy')!;
    t.is(heavy.reference_count, Math.min(200, index.referenceCounts[1]));
    t.deepEqual({ ids: heavy.ids, keys: heavy.keys }, expected(1, 200));
    const batch = byName.get('batch_100_mixed')!;
    let batchRows = 0;
    for (let i = 1; i <= 100; i++) batchRows += Math.min(20, index.referenceCounts[i]);
    t.is(batch.reference_count, batchRows);
    t.deepEqual([...new Set(batch.parents)], Array.from({ length: 100 }, (_, i) => String(i + 1)));
  });
});

test.serial('load again: a no-op for the same dataset; another dataset or partition count needs --force or is refused', async (t) => {
  const lines: string[] = [];
  const again = await loadDataset(MAIN, GOLDEN, { force: false, progress: (l) => lines.push(l) }, silent);
  t.true(again.skipped);
  t.regex(lines.join('\n'), /already loaded .*nothing to do/);
  await t.throwsAsync(loadDataset(MAIN, TINY, { force: false }, silent), { instanceOf: ConfigurationError, message: /another dataset .*pass --force/ });
  await t.throwsAsync(loadDataset(MAIN, { ...GOLDEN, partitions: 8 }, { force: true }, silent), {
    instanceOf: ConfigurationError,
    message: /--partitions 8 does not match .*set up with 16 partitions/,
  });
  await withPg(MAIN.databaseUrl, async (c) => {
    const manifest = await requireDataset(c, MAIN.databaseName, GOLDEN);
    t.is(manifest.checksum, again.checksum);
    await t.throwsAsync(requireDataset(c, MAIN.databaseName, TINY), { instanceOf: ConfigurationError, message: /holds the dataset --documents 1000 /, });
  });
});

test.serial('an interrupted load records no dataset, and the next load needs no --force', async (t) => {
  const controller = new AbortController();
  const progress = (line: string): void => {
    if (line.startsWith('copy:')) controller.abort();
  };
  await t.throwsAsync(loadDataset(MAIN, TINY, { force: true, signal: controller.signal, progress }, silent), {
    instanceOf: RunFailedError,
    message: /interrupted: no dataset is recorded/,
  });
  await withPg(MAIN.databaseUrl, async (c) => {
    t.is(await readManifest(c), undefined);
  });
  const report = await loadDataset(MAIN, TINY, { force: false }, silent);
  t.false(report.skipped);
  await withPg(MAIN.databaseUrl, async (c) => {
    const manifest = await requireDataset(c, MAIN.databaseName, TINY);
    t.is(manifest.duplicatePairs, report.duplicatePairs);
    const counts = await c.query(`SELECT (SELECT count(*) FROM dms.reference)::int AS r, (SELECT count(*) FROM pg_constraint WHERE conname LIKE 'fk_reference_referencedalias%')::int AS fks`);
    t.is(counts.rows[0].r, 2000);
    t.is(counts.rows[0].fks, 1 + 16, 'the partitioned foreign key and its 16 partitions');
  });
});

test.serial('a database not made by refswarm setup is refused', async (t) => {
  await withPg(withDatabase(BASE_URL, 'postgres'), (c) => c.query(`CREATE DATABASE ${BARE.databaseName}`));
  await t.throwsAsync(loadDataset(BARE, TINY, { force: true }, silent), {
    instanceOf: ConfigurationError,
    message: /"dms_perf_test_setupload_bare" was not made by refswarm setup/,
  });
});

test.serial('any partition count: 3 partitions, every row where PostgreSQL routes it', async (t) => {
  const shape = { ...TINY, partitions: 3 };
  await setupDatabase(SMALL_P, { force: true, partitions: 3 }, noLog);
  const report = await loadDataset(SMALL_P, shape, { force: false, connections: 3 }, silent);
  t.deepEqual(report.rows, { document: 100, alias: 100, reference: 2000 });
  await withPg(SMALL_P.databaseUrl, async (c) => {
    const partitions = await c.query(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM dms.reference GROUP BY 1 ORDER BY 1`,
    );
    t.true(partitions.rows.every((r: { partition: string }) => /^dms\.reference_0[0-2]$/.test(r.partition)));
    t.is(partitions.rows.reduce((s: number, r: { n: number }) => s + r.n, 0), 2000);
    const misplaced = await c.query(
      `SELECT count(*)::int AS n FROM dms.reference r
       WHERE NOT satisfies_hash_partition('dms.reference'::regclass, 3, right(tableoid::regclass::text, 2)::int, r.ParentDocumentPartitionKey)`,
    );
    t.is(misplaced.rows[0].n, 0);
  });
});
