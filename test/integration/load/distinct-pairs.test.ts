import test from 'ava';
import type pg from 'pg';
import { checkIntegrity } from '../../../coordinator/observe/integrity.ts';
import { loadDataset } from '../../../coordinator/load/load.ts';
import { duplicatePairCount } from '../../../coordinator/load/load-duplicate-pairs.ts';
import { requireDataset } from '../../../coordinator/database/manifest.ts';
import { restoreDocuments } from '../../../coordinator/restore/restore.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { workloadProblems } from '../../../coordinator/config/workload-fit.ts';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { connectionSettings, withDatabase } from '../../../shared/connection.ts';
import { DatasetIndex, type DatasetShape } from '../../../shared/dataset.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { connectPg, withPg } from '../../../shared/pg-connect.ts';
import { runCli } from '../support/processes.ts';
import { BIN } from '../support/test-environment.ts';

/**
 * `refswarm load --distinct-pairs`: the dataset without its repeated (parent, referential id) rows,
 * so the merge strategy gets its unique constraint; restore and the integrity check then take a
 * document's distinct set as its dataset set. Own database, dropped at the end.
 */

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const NAME = 'dms_perf_test_distinct_pairs';
const URL_ = withDatabase(BASE_URL, NAME);
const SETTINGS = connectionSettings({ DATABASE_URL: URL_ });
/** Has both kinds of duplicate: the bumped self-reference, and heavy documents wrapping around all 100 aliases. */
const SHAPE: DatasetShape = { documents: 100, references: 2000, avgRefsPerDoc: 20, partitions: 16 };
const INDEX = new DatasetIndex(SHAPE);
const DUPLICATES = duplicatePairCount(INDEX);
const ALL_DOCUMENTS = Array.from({ length: SHAPE.documents }, (_, i) => i + 1);
const silent = { write: () => true } as unknown as NodeJS.WritableStream;

let client: pg.Client;

async function dropDatabase(): Promise<void> {
  await withPg(withDatabase(BASE_URL, 'postgres'), (admin) => admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`));
}

test.before(async () => {
  await dropDatabase();
  await setupDatabase(SETTINGS, { force: true, partitions: SHAPE.partitions }, () => undefined);
  client = await connectPg(URL_);
});

test.after.always(async () => {
  await client?.end().catch(() => undefined);
  await dropDatabase();
});

/** documentId → the alias ids of its Reference rows, in Id order. */
async function heldReferences(): Promise<Map<number, number[]>> {
  const { rows } = await client.query<{ parent: string; alias: string }>(
    `SELECT r.ParentDocumentId AS parent, a.Id AS alias
     FROM dms.Reference r JOIN dms.Alias a ON a.ReferentialPartitionKey = r.ReferentialPartitionKey AND a.ReferentialId = r.ReferentialId
     ORDER BY r.Id`,
  );
  const held = new Map<number, number[]>();
  for (const row of rows) {
    const list = held.get(Number(row.parent)) ?? [];
    list.push(Number(row.alias));
    held.set(Number(row.parent), list);
  }
  return held;
}

function expectedSets(distinctPairs: boolean): Map<number, number[]> {
  const sets = new Map<number, number[]>();
  for (const id of ALL_DOCUMENTS) {
    const set = INDEX.datasetReferences(id, { distinctPairs });
    if (set.length > 0) sets.set(id, set);
  }
  return sets;
}

function sortedSets(sets: ReadonlyMap<number, readonly number[]>): Map<number, number[]> {
  return new Map([...sets].sort(([a], [b]) => a - b).map(([id, set]) => [id, [...set].sort((a, b) => a - b)]));
}

async function duplicateRows(): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT coalesce(sum(n - 1), 0)::int AS n FROM (
       SELECT count(*) AS n FROM dms.Reference
       GROUP BY ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey) g`,
  );
  return rows[0].n;
}

async function mergeConstraintPresent(): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_constraint WHERE conrelid = 'dms.reference'::regclass AND conname = 'ux_reference_parentreferential' AND contype = 'u'`,
  );
  return rows.length === 1;
}

/** The strategy's four parallel arrays for one document and alias ids. */
function strategyArrays(documentId: number, aliasIds: readonly number[]): unknown[] {
  return [
    aliasIds.map(() => documentId),
    aliasIds.map(() => INDEX.documentPartitionKeys[documentId]),
    aliasIds.map((a) => INDEX.referentialId(a)),
    aliasIds.map((a) => INDEX.referentialPartitionKeys[a]),
  ];
}

const refswarm = (args: readonly string[]) => runCli(BIN, args, { ...process.env, DATABASE_URL: URL_ });

test.serial('the shape has duplicate pairs of both kinds', (t) => {
  t.true(DUPLICATES > 0);
  t.true(INDEX.referenceCounts[1] > SHAPE.documents, 'document 1 wraps around every alias');
});

test.serial('load --distinct-pairs: no repeated pairs, the merge constraint, the manifest says so', async (t) => {
  const lines: string[] = [];
  const report = await loadDataset(SETTINGS, SHAPE, { force: false, distinctPairs: true, progress: (l) => lines.push(l) }, silent);
  t.false(report.skipped);
  t.true(report.distinctPairs);
  t.true(report.mergeConstraint);
  t.is(report.duplicatePairs, DUPLICATES);
  t.deepEqual(report.rows, { document: SHAPE.documents, alias: SHAPE.documents, reference: SHAPE.references - DUPLICATES });
  t.true(lines.some((l) => l.includes(`--distinct-pairs left out ${DUPLICATES} reference rows`)), lines.join('\n'));

  t.true(await mergeConstraintPresent());
  t.is(await duplicateRows(), 0);
  const count = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM dms.Reference');
  t.is(count.rows[0].n, SHAPE.references - DUPLICATES);
  t.deepEqual(await heldReferences(), expectedSets(true), 'each document holds its distinct set, first occurrences in reference order');

  const manifest = await requireDataset(client, NAME, SHAPE);
  t.true(manifest.distinctPairs);
  t.true(manifest.mergeConstraint);
  t.is(manifest.duplicatePairs, DUPLICATES);
  t.is(manifest.checksum, report.checksum);
  const config = parseRunArgs(['--strategy', 'merge', '--refs-max', '10'], { DATABASE_URL: URL_ }).config;
  t.deepEqual(workloadProblems(config, { shape: manifest.shape, mergeConstraint: manifest.mergeConstraint }), []);
});

test.serial('dms.InsertReferences_Merge works against it, new rows get fresh Ids', async (t) => {
  const documentId = 2;
  const wanted = [...INDEX.datasetReferences(documentId, { distinctPairs: true }).slice(1), 50, 60].filter((a, i, all) => a !== documentId && all.indexOf(a) === i);
  const unknown = await client.query('SELECT * FROM dms.InsertReferences_Merge($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])', strategyArrays(documentId, wanted));
  t.is(unknown.rows.length, 0);
  const held = await heldReferences();
  t.deepEqual([...(held.get(documentId) ?? [])].sort((a, b) => a - b), [...wanted].sort((a, b) => a - b));
  t.is(await duplicateRows(), 0);
});

test.serial('integrity takes the distinct set as the dataset set; restore puts the distinct set back', async (t) => {
  const touched = new Set(ALL_DOCUMENTS);
  const before = await checkIntegrity(client, INDEX, new Map(), touched, { distinctPairs: true });
  t.is(before.violations, 1, 'document 2 was rewritten and nothing was committed for it');
  t.is(before.examples[0]?.documentId, 2);

  const report = await restoreDocuments(client, INDEX, [1, 2, 3], { distinctPairs: true });
  t.is(report.references, [1, 2, 3].reduce((sum, id) => sum + INDEX.datasetReferences(id, { distinctPairs: true }).length, 0));
  t.deepEqual(sortedSets(await heldReferences()), sortedSets(expectedSets(true)), 'restore inserts in no particular order');
  t.is(await duplicateRows(), 0);

  const after = await checkIntegrity(client, INDEX, new Map(), touched, { distinctPairs: true });
  t.is(after.violations, 0);
  const asGenerated = await checkIntegrity(client, INDEX, new Map(), touched);
  t.true(asGenerated.violations > 0, 'against the generated sets, the documents with duplicates differ');
});

test.serial('reloading with another --distinct-pairs is another dataset: refused without --force', async (t) => {
  await t.throwsAsync(loadDataset(SETTINGS, SHAPE, { force: false }, silent), {
    instanceOf: ConfigurationError,
    message: `database "${NAME}" already holds this dataset, loaded with --distinct-pairs: pass --force to reload it without --distinct-pairs`,
  });
  const same = await loadDataset(SETTINGS, SHAPE, { force: false, distinctPairs: true }, silent);
  t.true(same.skipped);
  t.true(same.distinctPairs);

  const cli = await refswarm(['load', '--documents', '100', '--references', '2000', '--avg-refs-per-doc', '20']);
  t.is(cli.code, 2);
  t.is(cli.stdout, '');
  t.regex(cli.stderr, /^refswarm load: database "dms_perf_test_distinct_pairs" already holds this dataset, loaded with --distinct-pairs: pass --force to reload it without --distinct-pairs\n$/);
});

test.serial('load --force without the flag: the dataset as generated, no merge constraint, and it says how to get one', async (t) => {
  const cli = await refswarm(['load', '--force', '--documents', '100', '--references', '2000', '--avg-refs-per-doc', '20']);
  t.is(cli.code, 0, cli.stderr);
  t.regex(cli.stderr, /duplicate \(parent, referential id\) reference rows .*load with --distinct-pairs to run --strategy merge/);
  t.regex(cli.stdout, new RegExp(`merge constraint: no, ${DUPLICATES} duplicate pairs: load with --distinct-pairs to run --strategy merge`));
  t.false(await mergeConstraintPresent());
  t.is(await duplicateRows(), DUPLICATES);
  t.deepEqual(await heldReferences(), expectedSets(false));
  const manifest = await requireDataset(client, NAME, SHAPE);
  t.false(manifest.distinctPairs);
  t.false(manifest.mergeConstraint);
  const config = parseRunArgs(['--strategy', 'merge', '--refs-max', '10'], { DATABASE_URL: URL_ }).config;
  const problems = workloadProblems(config, { shape: manifest.shape, mergeConstraint: manifest.mergeConstraint });
  t.is(problems.length, 1);
  t.regex(problems[0], /load with --distinct-pairs to run --strategy merge/);

  await t.throwsAsync(loadDataset(SETTINGS, SHAPE, { force: false, distinctPairs: true }, silent), {
    message: /already holds this dataset, loaded without --distinct-pairs: pass --force to reload it with --distinct-pairs/,
  });
  const back = await refswarm(['load', '--force', '--distinct-pairs', '--documents', '100', '--references', '2000', '--avg-refs-per-doc', '20']);
  t.is(back.code, 0, back.stderr);
  t.regex(back.stdout, new RegExp(`merge constraint: yes, ${DUPLICATES} duplicate pairs left out`));
  t.true(await mergeConstraintPresent());
});
