import { assertRefswarmDatabaseName, connectionSettings } from '../../shared/connection.ts';
import { datasetIndex } from '../../shared/dataset.ts';
import { RunFailedError, UsageError } from '../../shared/errors.ts';
import { booleanFlag, optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import { withPg } from '../../shared/pg-connect.ts';
import type { Command } from '../../shared/cli/command.ts';
import { requireDataset } from '../database/manifest.ts';
import { documentsOffDataset, mismatchLine } from '../observe/dataset-check.ts';
import { parseDocumentList } from '../restore/restore-targets.ts';

const FLAGS = {
  documents: { kind: 'string', description: 'check these documents: 1,2,3 or 1-100' },
  all: { kind: 'boolean', description: 'check every document of the dataset' },
  database: { kind: 'string', description: "database name (overrides DATABASE_URL's)" },
} as const;

export const checkCommand: Command = {
  name: 'check',
  summary: 'Checks that documents hold their dataset reference sets (after restore, say): one line per document that does not, exit 1 if any.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('check', FLAGS, argv, context.env);
    const list = optionalStringFlag(flags, 'documents');
    const all = booleanFlag(flags, 'all');
    if ((list === undefined) === !all) throw new UsageError('specify exactly one of --documents LIST and --all');
    const settings = connectionSettings(context.env, optionalStringFlag(flags, 'database'));
    assertRefswarmDatabaseName(settings.databaseName);
    const requested = list === undefined ? undefined : [...new Set(parseDocumentList(list))].sort((a, b) => a - b);

    const { documents, mismatches } = await withPg(settings.databaseUrl, async (client) => {
      const manifest = await requireDataset(client, settings.databaseName);
      const count = manifest.shape.documents;
      const outOfRange = requested?.find((id) => id > count);
      if (outOfRange !== undefined) {
        throw new UsageError(`document ${outOfRange} is not in the dataset of "${settings.databaseName}" (documents 1..${count})`);
      }
      const ids = requested ?? Array.from({ length: count }, (_, i) => i + 1);
      const found = await documentsOffDataset(client, datasetIndex(manifest.shape), ids, { distinctPairs: manifest.distinctPairs }, manifest.schema, context.signal);
      return { documents: ids.length, mismatches: found };
    });
    if (context.signal.aborted) throw new RunFailedError('check interrupted: nothing concluded');
    for (const mismatch of mismatches) context.stdout.write(`${mismatchLine(mismatch)}\n`);
    context.stdout.write(
      mismatches.length === 0
        ? `checked ${documents} documents of ${settings.databaseName}: all hold their dataset sets\n`
        : `checked ${documents} documents of ${settings.databaseName}: ${mismatches.length} do not hold their dataset sets\n`,
    );
    return mismatches.length === 0 ? 0 : 1;
  },
};
