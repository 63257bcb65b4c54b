import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type pg from 'pg';
import { loadDataset } from '../../../coordinator/load/load.ts';
import { restoreDocuments } from '../../../coordinator/restore/restore.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { connectionSettings, withDatabase } from '../../../shared/connection.ts';
import { datasetIndex, type DatasetShape } from '../../../shared/dataset.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { ConfigurationError, RunFailedError } from '../../../shared/errors.ts';
import { loadSql } from '../../../shared/sql.ts';
import { aliasSetDigest, digestFromSums } from '../../../shared/workload/reference-set-digest.ts';
import { fixtureReport } from '../../unit/compare/compare-fixture.ts';

/**
 * Restore against a real database made by setup and load: rewrite documents in every way a run can
 * (other references, none, more), restore, and the Reference table holds the dataset again.
 */

const run = promisify(execFile);
const BIN = new URL('../../../bin/refswarm', import.meta.url).pathname;
const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const NAME = `dms_perf_test_restore_${process.pid}`;
const URL_ = withDatabase(BASE_URL, NAME);
// R below what the weights ask for, so the last documents have no references in the dataset.
const SHAPE: DatasetShape = { documents: 300, references: 6000, avgRefsPerDoc: 25, partitions: 4 };
const index = datasetIndex(SHAPE);
const EMPTY_DOCUMENT = SHAPE.documents;
const quiet = new Writable({ write: (_c, _e, done) => done() });

let client: pg.Client;
let root: string;

test.before(async () => {
  const settings = connectionSettings({ DATABASE_URL: URL_ });
  await setupDatabase(settings, { force: true, partitions: SHAPE.partitions }, () => undefined);
  await loadDataset(settings, SHAPE, { force: true }, quiet);
  client = await connectPg(URL_);
  root = await mkdtemp(join(tmpdir(), 'refswarm-restore-'));
});

test.after.always(async () => {
  await client?.end().catch(() => undefined);
  if (root) await rm(root, { recursive: true, force: true });
  const admin = await connectPg(withDatabase(BASE_URL, 'postgres'));
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${NAME}_bare WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

/** The whole Reference table as a multiset of rows without their identity Id. */
async function referenceTableDigest(): Promise<string> {
  const { rows } = await client.query<{ digest: string; count: string }>(
    `SELECT md5(string_agg(concat_ws(' ', ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId,
       ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey), ',' ORDER BY
       ParentDocumentId, ReferentialId, ReferencedDocumentId)) AS digest, count(*) AS count FROM dms.Reference`,
  );
  return `${rows[0].count}:${rows[0].digest}`;
}

/** What document i's rows must be: its dataset references, resolved through Alias. */
function expectedRows(documentId: number): string[] {
  return index
    .datasetReferences(documentId)
    .map((a) => [documentId, index.documentPartitionKeys[documentId], a, index.documentPartitionKeys[a], index.referentialId(a), index.referentialPartitionKeys[a]].join(' '))
    .sort();
}

async function actualRows(documentId: number): Promise<string[]> {
  const { rows } = await client.query<{ row: string }>(
    `SELECT concat_ws(' ', ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey,
       ReferentialId, ReferentialPartitionKey) AS row FROM dms.Reference WHERE ParentDocumentId = $1`,
    [documentId],
  );
  return rows.map((r) => r.row).sort();
}

/** Rewrites a document's references to the given aliases with the current strategy, as a run would. */
async function rewrite(documentId: number, aliasIds: readonly number[]): Promise<void> {
  await client.query('SELECT * FROM dms.InsertReferences($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])', [
    aliasIds.map(() => documentId),
    aliasIds.map(() => index.documentPartitionKeys[documentId]),
    aliasIds.map((a) => index.referentialId(a)),
    aliasIds.map((a) => index.referentialPartitionKeys[a]),
  ]);
}

async function disturb(documents: readonly number[]): Promise<void> {
  for (const [k, id] of documents.entries()) {
    if (k % 3 === 0) await rewrite(id, [5, 6, 7]);
    else if (k % 3 === 1) await client.query('DELETE FROM dms.Reference WHERE ParentDocumentId = $1', [id]);
    else await rewrite(id, Array.from({ length: 60 }, (_, j) => ((id + j * 7) % SHAPE.documents) + 1));
  }
}

async function writeRunDir(name: string, touched: readonly number[], dataset: DatasetShape = SHAPE): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), JSON.stringify({ ...fixtureReport(), dataset, touchedDocuments: touched }));
  return dir;
}

function cli(args: readonly string[], database = NAME) {
  return run(BIN, [...args, '--database', database], { env: { ...process.env, DATABASE_URL: BASE_URL } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

test.serial('the empty-set document exists in the fixture', (t) => {
  t.is(index.referenceCounts[EMPTY_DOCUMENT], 0);
  t.true(index.referenceCounts[1] > 100, String(index.referenceCounts[1]));
});

test.serial('restoreDocuments puts rewritten, emptied and grown documents back to the dataset', async (t) => {
  const before = await referenceTableDigest();
  const touched = [1, 2, 3, 4, 21, 150, 299, EMPTY_DOCUMENT];
  await disturb(touched);
  t.not(await referenceTableDigest(), before);
  const report = await restoreDocuments(client, index, touched, { batchRows: 100 });
  t.is(report.documents, touched.length);
  t.true(report.batches > 1);
  for (const id of touched) t.deepEqual(await actualRows(id), expectedRows(id), `document ${id}`);
  t.is(await referenceTableDigest(), before);
});

/** What document i's digest must be: its dataset set's (shared/workload/reference-set-digest.ts). */
async function heldDigest(documentId: number): Promise<string> {
  const { rows } = await client.query<{ row_count: string; word0: string; word1: string; word2: string; word3: string }>(
    loadSql('integrity/reference-set-sums'),
    [[documentId], [index.documentPartitionKeys[documentId]]],
  );
  return digestFromSums(Number(rows[0].row_count), [rows[0].word0, rows[0].word1, rows[0].word2, rows[0].word3].map(Number));
}

/** The reference row Ids of the documents, parent by parent. */
async function referenceIds(documentIds: readonly number[]): Promise<string[]> {
  const { rows } = await client.query<{ ids: string }>(
    `SELECT ParentDocumentId || ':' || string_agg(Id::text, ',' ORDER BY Id) AS ids FROM dms.Reference
     WHERE ParentDocumentId = ANY ($1) GROUP BY ParentDocumentId ORDER BY ParentDocumentId`,
    [documentIds],
  );
  return rows.map((r) => r.ids);
}

test.serial('a document already at its dataset set is skipped: its rows keep their Ids', async (t) => {
  const untouched = [70, 71, EMPTY_DOCUMENT];
  const ids = await referenceIds(untouched);
  t.is(ids.length, 2, 'documents 70 and 71 have rows, the empty-set one none');
  await disturb([72]);
  const report = await restoreDocuments(client, index, [...untouched, 72]);
  t.is(report.documents, 4);
  t.is(report.skipped, 3);
  t.is(report.written, index.referenceCounts[72]);
  t.deepEqual(await referenceIds(untouched), ids);
  t.deepEqual(await actualRows(72), expectedRows(72));

  const again = await restoreDocuments(client, index, [...untouched, 72]);
  t.is(again.skipped, 4, 'idempotent: nothing left to write');
  t.is(again.written, 0);
  t.is(again.batches, 0);
});

test.serial('rewritten, emptied and grown documents are restored in one set-wise pass', async (t) => {
  const before = await referenceTableDigest();
  const touched = [5, 6, 7, 8, 9, 10, 100, 101, 102, 240, 241, 242];
  await disturb(touched);
  const report = await restoreDocuments(client, index, touched);
  t.is(report.batches, 1);
  t.is(report.skipped, 0);
  t.true(report.setWiseForeignKeys, 'the test server runs as a superuser');
  t.is(report.written, touched.reduce((sum, id) => sum + index.referenceCounts[id], 0));
  for (const id of touched) {
    t.is(await heldDigest(id), aliasSetDigest(index, index.datasetReferences(id)), `document ${id}`);
    t.deepEqual(await actualRows(id), expectedRows(id), `document ${id}`);
  }
  t.is(await referenceTableDigest(), before);
});

test.serial('an interrupted restore writes nothing it has not finished; running it again finishes', async (t) => {
  const before = await referenceTableDigest();
  await disturb([110, 111]);
  const disturbed = await referenceTableDigest();
  const controller = new AbortController();
  controller.abort();
  await t.throwsAsync(restoreDocuments(client, index, [110, 111], { signal: controller.signal }), {
    instanceOf: RunFailedError,
    message: /^restore interrupted after 0 of 2 documents .*run it again to finish/,
  });
  t.is(await referenceTableDigest(), disturbed);
  await restoreDocuments(client, index, [110, 111]);
  t.is(await referenceTableDigest(), before);
});

test.serial('a database lacking an alias of the dataset is refused, and nothing is written', async (t) => {
  const alias = index.datasetReferences(120)[0];
  const before = await referenceTableDigest();
  await rewrite(120, [5, 6]);
  const disturbed = await referenceTableDigest();
  // ON UPDATE CASCADE carries the change into Reference; renamed back below.
  await client.query('UPDATE dms.Alias SET ReferentialId = $2 WHERE Id = $1', [alias, '00000000-0000-0000-0000-000000000001']);
  try {
    await t.throwsAsync(restoreDocuments(client, index, [120]), {
      instanceOf: ConfigurationError,
      message: `the database lacks 1 aliases of the dataset (e.g. ${index.referentialId(alias)}): it does not hold this dataset; reload it with refswarm load`,
    });
  } finally {
    await client.query('UPDATE dms.Alias SET ReferentialId = $2 WHERE Id = $1', [alias, index.referentialId(alias)]);
  }
  t.is(await referenceTableDigest(), disturbed);
  await restoreDocuments(client, index, [120]);
  t.is(await referenceTableDigest(), before);
});

test.serial('refswarm restore --run DIR restores what the run touched', async (t) => {
  const before = await referenceTableDigest();
  const touched = [10, 11, 12, 13, EMPTY_DOCUMENT];
  await disturb(touched);
  const dir = await writeRunDir('run-a', touched);
  const result = await cli(['restore', '--run', dir]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /restored 5 documents/);
  t.is(await referenceTableDigest(), before);
});

test.serial('refswarm restore --all-touched-from and --documents', async (t) => {
  const before = await referenceTableDigest();
  await disturb([30, 31, 40, 41, 50]);
  await writeRunDir(join('sweep', 'one'), [30, 31]);
  await writeRunDir(join('sweep', 'two'), [40, 41, 31]);
  const all = await cli(['restore', '--all-touched-from', join(root, 'sweep')]);
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /restored 4 documents .* from 2 runs under/);
  const listed = await cli(['restore', '--documents', '50,60-62']);
  t.is(listed.code, 0, listed.stderr);
  t.regex(listed.stdout, /restored 4 documents/);
  t.is(await referenceTableDigest(), before);
});

test.serial('restore refuses a run of another dataset and a database not made by setup', async (t) => {
  const other = await writeRunDir('other-dataset', [1], { ...SHAPE, documents: 400 });
  const mismatch = await cli(['restore', '--run', other]);
  t.is(mismatch.code, 2);
  t.regex(mismatch.stderr, /^refswarm restore: database "dms_perf_test_restore_\d+" holds the dataset --documents 300 .*not --documents 400/);
  t.is(mismatch.stderr.trim().split('\n').length, 1);

  await client.query(`CREATE DATABASE ${NAME}_bare`);
  const bare = await cli(['restore', '--documents', '1'], `${NAME}_bare`);
  t.is(bare.code, 2);
  t.regex(bare.stderr, /was not made by refswarm setup/);

  const outside = await cli(['restore', '--documents', '301']);
  t.is(outside.code, 2);
  t.regex(outside.stderr, /document 301 is not in the dataset/);
});
