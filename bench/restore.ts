/**
 * npm run bench:restore [-- --rewritten 2000]
 *
 * Issue 13 part 5, "restore at COPY speed": loads D=20k, R=1M (about 50 references per document),
 * P=16 into its own database, rewrites 2,000 documents spread over the dataset with SQL (a third get
 * 10 other references, a third none, a third twice their rows), times restoreDocuments on them
 * (what `refswarm restore` and `run --restore-after` call) and prints references written per second
 * against the goal (≥ 50k/s). Then restores the same documents again, when every one is already at
 * its dataset set, and checks the Reference table holds the loaded rows again (Ids aside).
 * Uses the database dms_perf_bench_restore (dropped at the end) on DATABASE_URL's server.
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { connectionSettings, withDatabase } from '../shared/connection.ts';
import { datasetIndex, type DatasetShape } from '../shared/dataset.ts';
import { withPg } from '../shared/pg-connect.ts';
import { loadDataset } from '../coordinator/load/load.ts';
import { formatSeconds } from '../coordinator/load/load-progress.ts';
import { setupDatabase } from '../coordinator/database/setup.ts';
import { restoreDocuments } from '../coordinator/restore/restore.ts';

const GOAL_REFERENCES_PER_SECOND = 50_000;
/** The batch-wise restore through dms.InsertReferences, measured here with this benchmark before issue 13 part 5. */
const BEFORE = { referencesPerSecond: 2_771, commit: '5863ef2' };

const { values } = parseArgs({
  options: {
    rewritten: { type: 'string', default: '2000' },
    database: { type: 'string', default: 'dms_perf_bench_restore' },
  },
});
const settings = connectionSettings(process.env, values.database);
const shape: DatasetShape = { documents: 20_000, references: 1_000_000, avgRefsPerDoc: 50, partitions: 16 };
const index = datasetIndex(shape);
const rewritten = Number(values.rewritten);
// Stride 9 walks every residue of Id mod 20, so the documents carry the dataset's mix of weights.
const documentIds = Array.from({ length: rewritten }, (_, j) => 1 + ((9 * j) % shape.documents));

/** Count and an order-independent sum of row hashes over the whole table, Id left out. */
async function tableDigest(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ digest: string }>(
    `SELECT count(*) || ':' || sum(hashtext(concat_ws(' ', ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId,
       ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey))::numeric) AS digest FROM dms.Reference`,
  );
  return rows[0].digest;
}

/** A third replaced by 10 other references, a third emptied, a third with every row twice. */
async function rewrite(client: pg.Client): Promise<void> {
  const part = (r: number): number[] => documentIds.filter((_, j) => j % 3 === r);
  const keys = (ids: readonly number[]): number[] => ids.map((id) => index.documentPartitionKeys[id]);
  const [replaced, emptied, grown] = [part(0), part(1), part(2)];
  await client.query(
    `DELETE FROM dms.Reference r USING unnest($1::bigint[], $2::smallint[]) AS d (Id, Key)
     WHERE r.ParentDocumentPartitionKey = d.Key AND r.ParentDocumentId = d.Id`,
    [[...replaced, ...emptied], keys([...replaced, ...emptied])],
  );
  await client.query(
    `INSERT INTO dms.Reference (ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
     SELECT d.Id, d.Key, a.DocumentId, a.DocumentPartitionKey, a.ReferentialId, a.ReferentialPartitionKey
     FROM unnest($1::bigint[], $2::smallint[]) AS d (Id, Key)
     CROSS JOIN generate_series(1, 10) AS k
     JOIN dms.Alias a ON a.Id = (d.Id + 1000 * k) % $3 + 1`,
    [replaced, keys(replaced), shape.documents],
  );
  await client.query(
    `INSERT INTO dms.Reference (ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
     SELECT r.ParentDocumentId, r.ParentDocumentPartitionKey, r.ReferencedDocumentId, r.ReferencedDocumentPartitionKey, r.ReferentialId, r.ReferentialPartitionKey
     FROM dms.Reference r JOIN unnest($1::bigint[], $2::smallint[]) AS d (Id, Key)
       ON r.ParentDocumentPartitionKey = d.Key AND r.ParentDocumentId = d.Id`,
    [grown, keys(grown)],
  );
  await client.query('ANALYZE dms.reference');
}

async function dropBenchDatabase(): Promise<void> {
  await withPg(withDatabase(settings.databaseUrl, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${settings.databaseName} WITH (FORCE)`));
}

function perSecond(references: number, ms: number): string {
  return `${Math.round(references / (ms / 1000)).toLocaleString('en-US')} references/s`;
}

try {
  console.log(`dataset: documents ${shape.documents}, references ${shape.references}, avg ${shape.avgRefsPerDoc}, partitions ${shape.partitions}`);
  await setupDatabase(settings, { force: true, partitions: shape.partitions }, () => undefined);
  await loadDataset(settings, shape, { force: false }, process.stderr);
  await withPg(settings.databaseUrl, async (client) => {
    const loaded = await tableDigest(client);
    await rewrite(client);
    const datasetRows = documentIds.reduce((sum, id) => sum + index.referenceCounts[id], 0);
    console.log(`rewritten: ${documentIds.length} documents (dataset sets: ${datasetRows} references)`);

    const first = await restoreDocuments(client, index, documentIds);
    console.log(
      `restore: ${first.documents} documents, ${first.written} references written, ${first.batches} transactions, ` +
        `foreign keys ${first.setWiseForeignKeys ? 'checked set-wise' : 'checked by their row triggers'}, ${formatSeconds(first.elapsedMs)}`,
    );
    console.log(`restore rate: ${perSecond(first.written, first.elapsedMs)} (goal >= ${GOAL_REFERENCES_PER_SECOND.toLocaleString('en-US')}: ` +
      `${first.written / (first.elapsedMs / 1000) >= GOAL_REFERENCES_PER_SECOND ? 'met' : 'NOT met'})`);
    if (BEFORE.referencesPerSecond > 0) {
      console.log(`before (batches through dms.InsertReferences, ${BEFORE.commit}): ${BEFORE.referencesPerSecond.toLocaleString('en-US')} references/s`);
    }

    const again = await restoreDocuments(client, index, documentIds);
    console.log(`restore again (all ${again.skipped} already at their dataset sets): ${again.written} references written, ${formatSeconds(again.elapsedMs)}`);

    const restored = await tableDigest(client);
    if (restored !== loaded) throw new Error(`the Reference table differs from the loaded dataset after restore (${restored} vs ${loaded})`);
    console.log('check: the Reference table holds the loaded rows again (Ids aside)');
  });
} finally {
  await dropBenchDatabase().catch((error: Error) => console.error(`could not drop ${settings.databaseName}: ${error.message}`));
}
