import { datasetIndex } from '../../shared/dataset.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { restoreDocuments } from './restore.ts';
import type { RunObserver } from '../observe/run-observers.ts';

/**
 * `--restore-after`: once every other observer is done (the "after" snapshot and the integrity
 * check must see the run's own state), puts the documents the run touched back to their dataset
 * reference sets. Must be the last observer.
 */
export function restoreObserver(): RunObserver {
  return {
    name: 'restore',
    async afterRun(context, outcome) {
      if (!context.config.restoreAfter || outcome.touched.size === 0) return {};
      await withPg(context.databaseUrl, (client) =>
        restoreDocuments(client, datasetIndex(context.dataset), outcome.touched, {
          distinctPairs: context.distinctPairs === true,
          schema: context.schema,
          signal: context.signal,
        }),
      );
      return {};
    },
  };
}
