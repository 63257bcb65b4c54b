import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { booleanFlag, intFlag, listFlag, optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import { writeAtomically } from '../results/atomic-file.ts';
import type { Command } from '../../shared/cli/command.ts';
import { compareRuns, DEFAULT_COMPARE_OPTIONS } from '../compare/compare.ts';
import { renderCompareHtml } from '../html/compare-html.ts';
import { readRunReports, type LoadedRun } from '../results/read-run-report.ts';
import { readIntervalHistograms } from '../results/read-interval-histograms.ts';
import { renderCompareText } from '../compare/compare-text.ts';
import { renderVerdictsText } from '../compare/verdicts-text.ts';
import { groupRuns, type RunGroup, type RunSample } from '../compare/run-groups.ts';
import { judgeGroups, judgeRelativeThresholds } from '../compare/verdicts.ts';
import type { CompareJson } from '../compare/compare-json.ts';
import { assertThresholds, parseRelativeThreshold } from '../results/thresholds.ts';
import { findRunDirectories } from '../restore/restore-targets.ts';

const FLAGS = {
  output: { kind: 'string', description: 'where to write the HTML comparison (compare.json beside it)', defaultText: 'compare.html' },
  'top-lock-waits': { kind: 'string', description: 'lock-wait categories shown: the union of each run’s top N', defaultText: '5' },
  json: { kind: 'boolean', description: 'print compare.json on stdout instead of the table' },
  seed: { kind: 'string', description: 'seed of the bootstrap (the same files and seed give the same verdicts)', defaultText: '1' },
  baseline: { kind: 'string', description: 'results directory (or folder of repeats) every other run group is judged against' },
  threshold: { kind: 'multiple', description: "with --baseline, repeatable: 'p99<baseline*1.10', 'ops/s>baseline*0.95' (exit 3 when significantly breached)" },
} as const;

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'Compares runs side by side (results directories, or folders of them such as a sweep): a table on stdout, compare.html and compare.json. Runs of one configuration are grouped; every group is judged against the first (or --baseline) with 95% confidence intervals.',
  flags: FLAGS,
  positionals: 'DIR...',
  async run(argv, context) {
    const flags = parseFlags('compare', FLAGS, argv, context.env, true);
    const output = resolve(optionalStringFlag(flags, 'output') ?? 'compare.html');
    const topLockWaits = intFlag(flags, 'top-lock-waits', DEFAULT_COMPARE_OPTIONS.topLockWaits, 1, 100);
    const seed = intFlag(flags, 'seed', 1, 0, 2 ** 31 - 1);
    const baselinePath = optionalStringFlag(flags, 'baseline');
    const thresholds = listFlag(flags, 'threshold').map(parseRelativeThreshold);
    if (thresholds.length > 0 && baselinePath === undefined) {
      throw new UsageError(`--threshold "${thresholds[0].expression}" is relative to a baseline: give --baseline DIR`);
    }
    if (flags.positionals.length === 0) throw new UsageError('give at least one results directory: refswarm compare DIR...');
    const baselineRuns = baselinePath === undefined ? [] : await readSamples(await expandFolders([baselinePath]));
    const runs = await readSamples(await expandFolders(flags.positionals));
    const all = [...baselineRuns, ...runs];
    const reports = all.map((r) => r.report);

    const groups: RunGroup[] = baselineRuns.length > 0 ? [{ name: 'baseline', runs: baselineRuns }, ...groupRuns(runs)] : groupRuns(runs);
    let verdicts: CompareJson = judgeGroups(groups, { seed, topLockWaits });
    const gates = judgeRelativeThresholds(verdicts, thresholds);
    if (thresholds.length > 0) verdicts = { ...verdicts, thresholds: gates };

    const comparison = compareRuns(reports, all.map((r) => r.label), { topLockWaits });
    if (booleanFlag(flags, 'json')) {
      context.stdout.write(JSON.stringify(verdicts, null, 2) + '\n');
    } else {
      context.stdout.write(renderCompareText(comparison));
      const text = renderVerdictsText(verdicts);
      if (text !== '') context.stdout.write('\n' + text);
      for (const gate of gates) context.stdout.write(`threshold ${gate.expression}: ${gate.passed ? 'passed' : 'BREACHED'} (${gate.actual})\n`);
    }
    await writeAtomically(output, renderCompareHtml(comparison, reports, { topLockWaits, verdicts }));
    const jsonPath = join(dirname(output), 'compare.json');
    await writeAtomically(jsonPath, JSON.stringify(verdicts, null, 2) + '\n');
    if (!booleanFlag(flags, 'json')) context.stdout.write(`\ncomparison: ${output}\nverdicts: ${jsonPath}\n`);
    assertThresholds(gates);
    return 0;
  },
};

async function readSamples(paths: readonly string[]): Promise<RunSample[]> {
  const loaded: LoadedRun[] = await readRunReports(paths);
  return Promise.all(
    loaded.map(async (run) => {
      const directory = basename(run.label) === 'run.json' ? dirname(run.label) : run.label;
      return { label: run.label, report: run.report, intervalHistograms: await readIntervalHistograms(directory) };
    }),
  );
}

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
