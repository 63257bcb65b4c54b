import { assertRefswarmDatabaseName, connectionSettings, maskUrl } from '../../shared/connection.ts';
import { datasetIndex } from '../../shared/dataset.ts';
import { UsageError } from '../../shared/errors.ts';
import { intFlag, optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import { withPg } from '../../shared/pg-connect.ts';
import type { Command } from '../../shared/cli/command.ts';
import { requireDataset } from '../database/manifest.ts';
import { restoreDocuments } from '../restore/restore.ts';
import { DEFAULT_RESTORE_BATCH_ROWS } from '../restore/restore-batches.ts';
import { parseDocumentList, targetsOfAllRunsIn, targetsOfRun, type RestoreTargets } from '../restore/restore-targets.ts';

const FLAGS = {
  run: { kind: 'string', description: 'restore the documents this run touched (its results directory)' },
  'all-touched-from': { kind: 'string', description: 'restore the documents every run under this folder touched (a sweep folder, results/)' },
  documents: { kind: 'string', description: 'restore these documents: 1,2,3 or 1-100' },
  'batch-rows': { kind: 'string', description: 'reference rows per transaction', defaultText: String(DEFAULT_RESTORE_BATCH_ROWS) },
  database: { kind: 'string', description: "database name (overrides DATABASE_URL's)" },
} as const;

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Puts documents back to their dataset reference sets, so the next run starts from the loaded state without reloading.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('restore', FLAGS, argv, context.env);
    const sources = (['run', 'all-touched-from', 'documents'] as const).filter((f) => flags.values[f] !== undefined);
    if (sources.length !== 1) {
      throw new UsageError('specify exactly one of --run DIR, --all-touched-from DIR and --documents LIST');
    }
    const batchRows = intFlag(flags, 'batch-rows', DEFAULT_RESTORE_BATCH_ROWS, 1, 10_000_000);
    const settings = connectionSettings(context.env, optionalStringFlag(flags, 'database'));
    assertRefswarmDatabaseName(settings.databaseName);
    const targets = await resolveTargets(flags.values as Record<string, string | undefined>);

    const report = await withPg(settings.databaseUrl, async (client) => {
      const manifest = await requireDataset(client, settings.databaseName, targets.dataset);
      const index = datasetIndex(manifest.shape);
      const outOfRange = targets.documentIds.find((id) => id > manifest.shape.documents);
      if (outOfRange !== undefined) {
        throw new UsageError(`document ${outOfRange} is not in the dataset of "${settings.databaseName}" (documents 1..${manifest.shape.documents})`);
      }
      return restoreDocuments(client, index, targets.documentIds, { batchRows, distinctPairs: manifest.distinctPairs, schema: manifest.schema, signal: context.signal });
    });
    context.stdout.write(
      `restored ${report.documents} documents (${report.references} references, ${report.skipped} already in place, ${report.batches} transactions, ${(report.elapsedMs / 1000).toFixed(1)} s) ` +
        `from ${targets.source} in ${maskUrl(settings.databaseUrl)}\n`,
    );
    return 0;
  },
};

async function resolveTargets(values: Readonly<Record<string, string | undefined>>): Promise<RestoreTargets> {
  if (values.run !== undefined) return targetsOfRun(values.run);
  if (values['all-touched-from'] !== undefined) return targetsOfAllRunsIn(values['all-touched-from']);
  const list = values.documents ?? '';
  return { documentIds: parseDocumentList(list), source: `--documents ${list}` };
}
