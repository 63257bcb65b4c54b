import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { datasetIndex } from '../shared/dataset.ts';
import { DATASET_FILES, datasetCsvChunks } from '../shared/dataset-csv.ts';
import { UsageError } from '../shared/errors.ts';
import { optionalStringFlag, parseFlags } from '../shared/options.ts';
import type { Command } from './command.ts';
import { DATASET_FLAGS, datasetShapeFrom } from './dataset-flags.ts';

const FLAGS = {
  output: { kind: 'string', description: 'directory to write document.csv, alias.csv and reference.csv into' },
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
    await mkdir(output, { recursive: true });
    const index = datasetIndex(shape);
    for (const file of DATASET_FILES) {
      await writeAtomically(join(output, file), datasetCsvChunks(file, index), context.signal);
    }
    context.stdout.write(`wrote ${DATASET_FILES.join(', ')} to ${output}\n`);
    return 0;
  },
};

/** Writes to a temporary name and renames at the end, so an interrupted export leaves no half file. */
async function writeAtomically(path: string, chunks: Iterable<Buffer>, signal: AbortSignal): Promise<void> {
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  try {
    for (const chunk of chunks) {
      if (signal.aborted) throw new UsageError('interrupted');
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
