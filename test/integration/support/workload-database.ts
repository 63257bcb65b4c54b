import pg from 'pg';
import { MERGE_ARBITER, createObjectSql } from '../../../coordinator/database/schema-objects.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { connectionSettings, withDatabase } from '../../../shared/connection.ts';
import { datasetIndex, type DatasetIndex, type DatasetShape } from '../../../shared/dataset.ts';
import { edfiDocJson, resourceNameOf, securityElementsJson, traceIdOf } from '../../../coordinator/load/dataset-csv.ts';
import { connectPg } from '../../../shared/pg-connect.ts';
import { loadSql } from '../../../shared/sql.ts';

/**
 * A refswarm database (made by `refswarm setup`'s setupDatabase) holding a tiny dataset, for the
 * workload model's integration tests. The rows are those of docs/architecture.md#dataset, inserted
 * directly (the datasets here are tiny), except that the few duplicate (parent, referential id)
 * pairs every dataset has (a self-reference bumped onto the next alias) are kept once, so that the
 * merge strategy's unique constraint exists. Document 1 always has such a pair (its first reference
 * would be itself). `restoreAsLoaded` puts documents back to what this helper loaded.
 */

export interface WorkloadDatabase {
  readonly name: string;
  readonly url: string;
  readonly index: DatasetIndex;
  connect(applicationName?: string): Promise<pg.Client>;
  drop(): Promise<void>;
}

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';

export async function createWorkloadDatabase(name: string, shape: DatasetShape): Promise<WorkloadDatabase> {
  const url = withDatabase(BASE_URL, name);
  const database: WorkloadDatabase = {
    name,
    url,
    index: datasetIndex(shape),
    connect: (applicationName) => connectPg(url, applicationName),
    async drop() {
      const admin = await connectPg(withDatabase(BASE_URL, 'postgres'));
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
  await setupDatabase(connectionSettings({ DATABASE_URL: url }), { force: true, partitions: shape.partitions }, () => undefined);
  try {
    const client = await connectPg(url);
    try {
      await client.query(`ALTER TABLE dms.Reference DROP CONSTRAINT ${MERGE_ARBITER.name}`);
      await insertDataset(client, database.index);
      await client.query(
        `DELETE FROM dms.Reference r USING dms.Reference o
         WHERE o.ParentDocumentPartitionKey = r.ParentDocumentPartitionKey AND o.ParentDocumentId = r.ParentDocumentId
           AND o.ReferentialId = r.ReferentialId AND o.Id < r.Id`,
      );
      await client.query(createObjectSql(MERGE_ARBITER, 'dms.Reference', MERGE_ARBITER.name));
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
  return database;
}

async function insertDataset(client: pg.Client, index: DatasetIndex): Promise<void> {
  const ids = Array.from({ length: index.shape.documents }, (_, k) => k + 1);
  await client.query(
    `INSERT INTO dms.Document (Id, DocumentPartitionKey, DocumentUuid, ResourceName, ResourceVersion, IsDescriptor,
       ProjectName, EdfiDoc, SecurityElements, LastModifiedTraceId)
     OVERRIDING SYSTEM VALUE
     SELECT d.id, d.pk, d.uuid, d.resource, '5.0.0', false, 'ed-fi', d.doc, d.security, d.trace
     FROM unnest($1::bigint[], $2::smallint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[])
       AS d (id, pk, uuid, resource, doc, security, trace)`,
    [
      ids,
      ids.map((i) => index.documentPartitionKeys[i]),
      ids.map((i) => index.documentUuid(i)),
      ids.map(resourceNameOf),
      ids.map((i) => edfiDocJson(i, index.documentUuid(i))),
      ids.map(securityElementsJson),
      ids.map(traceIdOf),
    ],
  );
  await client.query(
    `INSERT INTO dms.Alias (Id, ReferentialPartitionKey, ReferentialId, DocumentId, DocumentPartitionKey)
     OVERRIDING SYSTEM VALUE
     SELECT a.id, a.rpk, a.rid, a.id, a.dpk
     FROM unnest($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[]) AS a (id, rpk, rid, dpk)`,
    [ids, ids.map((i) => index.referentialPartitionKeys[i]), ids.map((i) => index.referentialId(i)), ids.map((i) => index.documentPartitionKeys[i])],
  );
  const parents: number[] = [];
  const targets: number[] = [];
  for (const i of ids) {
    for (const a of index.datasetReferences(i)) {
      parents.push(i);
      targets.push(a);
    }
  }
  await client.query(
    `INSERT INTO dms.Reference (ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId,
       ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
     SELECT r.parent, r.ppk, r.target, r.tpk, r.rid, r.rpk
     FROM unnest($1::bigint[], $2::smallint[], $3::bigint[], $4::smallint[], $5::uuid[], $6::smallint[])
       AS r (parent, ppk, target, tpk, rid, rpk)`,
    [
      parents,
      parents.map((i) => index.documentPartitionKeys[i]),
      targets,
      targets.map((a) => index.documentPartitionKeys[a]),
      targets.map((a) => index.referentialId(a)),
      targets.map((a) => index.referentialPartitionKeys[a]),
    ],
  );
}

export function hasDuplicatePair(index: DatasetIndex, documentId: number): boolean {
  const targets = index.datasetReferences(documentId);
  return new Set(targets).size !== targets.length;
}

/** SessionDb over one pg.Client, with named statements; reconnect is not needed by these tests. */
export function sessionDbOf(client: pg.Client) {
  return {
    query: <R extends Record<string, unknown>>(text: string, values?: readonly unknown[], name?: string) =>
      client.query<R>({ text, values: values as unknown[] | undefined, name }),
    reconnect: async () => {
      throw new Error('the test connection was lost');
    },
  };
}

/** A document's references as comparable rows, in a stable order. */
export async function referenceRows(client: pg.Client, documentIds: readonly number[]): Promise<string[]> {
  const { rows } = await client.query<{ row: string }>(
    `SELECT concat_ws(' ', r.ParentDocumentId, r.ParentDocumentPartitionKey, r.ReferentialId, r.ReferentialPartitionKey,
       r.ReferencedDocumentId, r.ReferencedDocumentPartitionKey) AS row
     FROM dms.Reference r WHERE r.ParentDocumentId = ANY($1::bigint[])
     ORDER BY r.ParentDocumentId, r.ReferentialId`,
    [documentIds],
  );
  return rows.map((r) => r.row);
}

/** Back to the loaded sets: the dataset sets with duplicate pairs kept once (differential dedupes). */
export async function restoreAsLoaded(client: pg.Client, index: DatasetIndex, documentIds: readonly number[]): Promise<void> {
  for (const id of documentIds) {
    const targets = index.datasetReferences(id);
    // A strategy call with no rows names no parent: the last documents, which have no references, are emptied apart.
    if (targets.length === 0) {
      await client.query('DELETE FROM dms.Reference WHERE ParentDocumentPartitionKey = $1 AND ParentDocumentId = $2', [index.documentPartitionKeys[id], id]);
      continue;
    }
    await client.query(loadSql('workload/call-differential'), [
      targets.map(() => id),
      targets.map(() => index.documentPartitionKeys[id]),
      targets.map((a) => index.referentialId(a)),
      targets.map((a) => index.referentialPartitionKeys[a]),
    ]);
  }
}
