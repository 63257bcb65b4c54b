import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { intFlag, optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import { writeAtomically } from '../results/atomic-file.ts';
import type { Command } from '../../shared/cli/command.ts';
import { compareRuns, DEFAULT_COMPARE_OPTIONS } from '../compare/compare.ts';
import { renderCompareHtml } from '../html/compare-html.ts';
import { readRunReports } from '../results/read-run-report.ts';
import { renderCompareText } from '../compare/compare-text.ts';
import { findRunDirectories } from '../restore/restore-targets.ts';

const FLAGS = {
  output: { kind: 'string', description: 'where to write the HTML comparison', defaultText: 'compare.html' },
  'top-lock-waits': { kind: 'string', description: 'lock-wait categories shown: the union of each run’s top N', defaultText: '5' },
} as const;

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'Compares runs side by side (results directories, or folders of them such as a sweep): a table on stdout and compare.html. Differences are against the first run.',
  flags: FLAGS,
  positionals: 'DIR...',
  async run(argv, context) {
    const flags = parseFlags('compare', FLAGS, argv, context.env, true);
    const output = resolve(optionalStringFlag(flags, 'output') ?? 'compare.html');
    const topLockWaits = intFlag(flags, 'top-lock-waits', DEFAULT_COMPARE_OPTIONS.topLockWaits, 1, 100);
    if (flags.positionals.length === 0) throw new UsageError('give at least one results directory: refswarm compare DIR...');
    const runs = await readRunReports(await expandFolders(flags.positionals));
    const reports = runs.map((r) => r.report);
    const comparison = compareRuns(reports, runs.map((r) => r.label), { topLockWaits });
    context.stdout.write(renderCompareText(comparison));
    await writeAtomically(output, renderCompareHtml(comparison, reports, { topLockWaits }));
    context.stdout.write(`\ncomparison: ${output}\n`);
    return 0;
  },
};

/** A folder of runs (a sweep folder, results/) stands for every run in it, in name order. */
async function expandFolders(paths: readonly string[]): Promise<string[]> {
  const expanded: string[] = [];
  for (const path of paths) {
    const isFolderOfRuns = (await stat(path).catch(() => undefined))?.isDirectory() === true && !existsSync(join(path, 'run.json'));
    const found = isFolderOfRuns ? await findRunDirectories(path, 1) : [];
    expanded.push(...(found.length > 0 ? found : [path]));
  }
  return expanded;
}
