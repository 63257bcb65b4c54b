import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';
import { ConfigurationError, RunFailedError } from '../../shared/errors.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';
import { documentsToRewrite } from './documents-to-rewrite.ts';
import { DEFAULT_RESTORE_BATCH_ROWS, datasetSetSize, normalizeDocumentIds, restoreBatches, type RestoreBatch } from './restore-batches.ts';
import { stagingChunks } from './staging-rows.ts';

/**
 * Puts documents back to their dataset reference sets (docs/architecture.md#dataset), so consecutive
 * runs start from the same state without reloading. The caller has checked that the database holds
 * `index`'s dataset.
 *
 * Documents that already hold their dataset set (compared as digests, computed server-side) are left
 * alone. The others are rewritten set-wise, in one transaction unless they exceed `batchRows`
 * (restore-batches.ts): their dataset rows are COPYed into a temporary staging table, then one DELETE
 * of their rows per partition and one INSERT … SELECT resolving each referenced document through Alias.
 * Reference's foreign keys are checked and their rows locked set-wise first, and the per-row
 * foreign-key triggers skipped: they cost three look-ups per inserted row, most of the time (measured:
 * bench/restore.ts). Without the privilege that needs, the triggers fire as usual (slower).
 * A committed batch is complete, an interrupted one rolled back: stopping leaves every document
 * either restored or as it was, and running restore again finishes the rest.
 */

export interface RestoreOptions {
  /** Dataset reference rows per transaction, at most (a heavy document alone may exceed it). */
  readonly batchRows?: number;
  /** The dataset was loaded with --distinct-pairs (the manifest says so): restore the distinct sets. */
  readonly distinctPairs?: boolean;
  /** The layout setup built (the manifest says which; default referential-id). */
  readonly schema?: SchemaLayout;
  readonly signal?: AbortSignal;
  /** Called after each transaction with the documents at their dataset sets so far (skipped ones included). */
  readonly progress?: (restored: number, total: number) => void;
}

export interface RestoreReport {
  /** Documents now at their dataset sets: rewritten or skipped. */
  readonly documents: number;
  /** Rows of those documents' dataset sets. */
  readonly references: number;
  /** Documents that already held their dataset set: nothing written. */
  readonly skipped: number;
  /** Reference rows inserted. */
  readonly written: number;
  /** Transactions that rewrote documents. */
  readonly batches: number;
  /** Foreign keys were checked set-wise, their row triggers skipped (false: not permitted, or nothing rewritten). */
  readonly setWiseForeignKeys: boolean;
  readonly elapsedMs: number;
}

export async function restoreDocuments(
  client: pg.Client,
  index: DatasetIndex,
  documentIds: Iterable<number>,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const referenceSets: ReferenceSetOptions = { distinctPairs: options.distinctPairs === true };
  const ids = normalizeDocumentIds(documentIds, index.shape.documents);
  const references = ids.reduce((sum, id) => sum + datasetSetSize(index, id, referenceSets), 0);
  const schema = options.schema ?? 'referential-id';
  const away = await documentsToRewrite(client, index, ids, referenceSets, schema);
  let restored = ids.length - away.length;
  let written = 0;
  let batches = 0;
  let setWiseForeignKeys = false;
  if (away.length > 0) {
    setWiseForeignKeys = (await client.query<{ can_skip: boolean }>(loadSql('restore/can-skip-row-triggers'))).rows[0].can_skip;
    await client.query(loadSql('restore/create-staging'));
    try {
      for (const batch of restoreBatches(index, away, options.batchRows ?? DEFAULT_RESTORE_BATCH_ROWS, referenceSets)) {
        if (options.signal?.aborted) {
          throw new RunFailedError(
            `restore interrupted after ${restored} of ${ids.length} documents (whole transactions: the others are as the run left them): run it again to finish`,
          );
        }
        written += await rewriteBatch(client, index, batch, referenceSets, setWiseForeignKeys, schema);
        batches++;
        restored += batch.documents;
        options.progress?.(restored, ids.length);
      }
    } finally {
      await client.query(loadSql('restore/drop-staging')).catch(() => undefined);
    }
  }
  return { documents: ids.length, references, skipped: ids.length - away.length, written, batches, setWiseForeignKeys, elapsedMs: Math.round(performance.now() - started) };
}

/**
 * One transaction: stage the batch's dataset rows, (check the foreign keys set-wise,) delete the
 * documents' rows partition by partition, insert the staged ones. Returns the rows inserted.
 */
async function rewriteBatch(
  client: pg.Client,
  index: DatasetIndex,
  batch: RestoreBatch,
  referenceSets: ReferenceSetOptions,
  setWiseForeignKeys: boolean,
  schema: SchemaLayout,
): Promise<number> {
  await client.query('BEGIN');
  try {
    if (batch.rows > 0) {
      const copy = client.query(copyFrom(loadSql('restore/copy-staging')));
      // pipeline reports the first error; a second one (the server closing a failed COPY) must not crash the process.
      copy.on('error', () => undefined);
      await pipeline(Readable.from(stagingChunks(index, batch.partitions.flatMap((p) => p.documentIds), referenceSets)), copy);
      if (setWiseForeignKeys) {
        const { rows } = await client.query<{ missing_aliases: string; missing_documents: string }>(loadSql('restore/lock-referenced-rows'));
        if (Number(rows[0].missing_aliases) > 0) throw await unknownAliases(client);
        if (Number(rows[0].missing_documents) > 0) {
          throw new ConfigurationError(
            `the database lacks ${rows[0].missing_documents} documents of the dataset: it does not hold this dataset; reload it with refswarm load`,
          );
        }
        await client.query(loadSql('restore/skip-row-triggers'));
      }
    }
    for (const { partitionKey, documentIds } of batch.partitions) {
      await client.query(loadSql('restore/delete-references'), [partitionKey, documentIds]);
    }
    if (batch.rows > 0) {
      const inserted = await client.query(loadSql(INSERT_SQL[schema]));
      if (inserted.rowCount !== batch.rows) throw await unknownAliases(client);
    }
    await client.query('COMMIT');
    return batch.rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** alias-id rows carry AliasId, resolved through Alias as the referenced document is. */
const INSERT_SQL: Readonly<Record<SchemaLayout, string>> = {
  'referential-id': 'restore/insert-staged-references',
  'alias-id': 'restore/insert-staged-references-alias-id',
};

async function unknownAliases(client: pg.Client): Promise<ConfigurationError> {
  const unknown = await client.query<{ referential_id: string }>(loadSql('restore/unknown-staged-referential-ids'));
  return new ConfigurationError(
    `the database lacks ${unknown.rows.length} aliases of the dataset (e.g. ${unknown.rows[0]?.referential_id ?? 'none found'}): ` +
      'it does not hold this dataset; reload it with refswarm load',
  );
}
