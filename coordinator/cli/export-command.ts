import { join } from 'node:path';
import { datasetIndex } from '../../shared/dataset.ts';
import { DATASET_FILES, datasetCsvChunks } from '../load/dataset-csv.ts';
import { UsageError } from '../../shared/errors.ts';
import { choiceFlag, optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import { DEFAULT_SCHEMA_LAYOUT, SCHEMA_LAYOUTS } from '../../shared/schema-layout.ts';
import { writeAtomically } from '../results/atomic-file.ts';
import { makeDirectory } from '../results/make-directory.ts';
import type { Command } from '../../shared/cli/command.ts';
import { DATASET_FLAGS, datasetShapeFrom } from '../config/dataset-flags.ts';

const FLAGS = {
  output: { kind: 'string', description: 'directory to write document.csv, alias.csv and reference.csv into' },
  schema: { kind: 'string', description: `reference.csv's layout: ${SCHEMA_LAYOUTS.join('|')}`, defaultText: DEFAULT_SCHEMA_LAYOUT },
  ...DATASET_FLAGS,
} as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'Writes the dataset as the reference generator does: document.csv, alias.csv, reference.csv.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('export', FLAGS, argv, context.env);
    const output = optionalStringFlag(flags, 'output');
    if (!output) throw new UsageError('--output DIR is required');
    const shape = datasetShapeFrom(flags);
    const schema = choiceFlag(flags, 'schema', SCHEMA_LAYOUTS, DEFAULT_SCHEMA_LAYOUT);
    const index = datasetIndex(shape);
    await makeDirectory(output).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot create --output "${output}": ${error.code ?? error.message}`);
    });
    for (const file of DATASET_FILES) {
      await writeAtomically(join(output, file), untilAborted(datasetCsvChunks(file, index, schema), context.signal));
    }
    context.stdout.write(`wrote ${DATASET_FILES.join(', ')} to ${output}\n`);
    return 0;
  },
};

/** The chunks, stopping with "interrupted" once the command is aborted (so no half file is left). */
function* untilAborted(chunks: Iterable<Buffer>, signal: AbortSignal): Iterable<Buffer> {
  for (const chunk of chunks) {
    if (signal.aborted) throw new UsageError('interrupted');
    yield chunk;
  }
}
