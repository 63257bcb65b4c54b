import type pg from 'pg';
import type { DatasetIndex } from '../../shared/dataset.ts';
import { ConfigurationError, RunFailedError } from '../../shared/errors.ts';
import { loadSql } from '../../shared/sql.ts';
import { DEFAULT_RESTORE_BATCH_ROWS, normalizeDocumentIds, restoreBatches } from './restore-batches.ts';

/**
 * Puts documents back to their dataset reference sets (docs/architecture.md#dataset), batch by
 * batch, each batch one transaction through the `current` strategy function — so consecutive runs
 * start from the same state without reloading. The caller has checked that the database holds
 * `index`'s dataset.
 */

export interface RestoreOptions {
  readonly batchRows?: number;
  /** The dataset was loaded with --distinct-pairs (the manifest says so): restore the distinct sets. */
  readonly distinctPairs?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each batch with the documents restored so far. */
  readonly progress?: (restored: number, total: number) => void;
}

export interface RestoreReport {
  readonly documents: number;
  readonly references: number;
  readonly batches: number;
  readonly elapsedMs: number;
}

export async function restoreDocuments(
  client: pg.Client,
  index: DatasetIndex,
  documentIds: Iterable<number>,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const ids = normalizeDocumentIds(documentIds, index.shape.documents);
  let restored = 0;
  let references = 0;
  let batches = 0;
  for (const batch of restoreBatches(index, ids, options.batchRows ?? DEFAULT_RESTORE_BATCH_ROWS, { distinctPairs: options.distinctPairs === true })) {
    if (options.signal?.aborted) {
      throw new RunFailedError(`restore interrupted after ${restored} of ${ids.length} documents: run it again to finish`);
    }
    await client.query('BEGIN');
    try {
      if (batch.emptyDocumentIds.length > 0) {
        await client.query(loadSql('restore/delete-references'), [batch.emptyDocumentIds, batch.emptyDocumentPartitionKeys]);
      }
      if (batch.documents > 0) {
        const unknown = await client.query<{ referential_id: string }>(loadSql('restore/rewrite-references'), [
          batch.parentDocumentIds,
          batch.parentDocumentPartitionKeys,
          batch.referentialIds,
          batch.referentialPartitionKeys,
        ]);
        if (unknown.rows.length > 0) {
          throw new ConfigurationError(
            `the database lacks ${unknown.rows.length} aliases of the dataset (e.g. ${unknown.rows[0].referential_id}): it does not hold this dataset; reload it with refswarm load`,
          );
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    batches++;
    restored += batch.documents + batch.emptyDocumentIds.length;
    references += batch.parentDocumentIds.length;
    options.progress?.(restored, ids.length);
  }
  return { documents: restored, references, batches, elapsedMs: Math.round(performance.now() - started) };
}
