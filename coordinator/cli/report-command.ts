import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { mergeHistograms } from '../../shared/histogram.ts';
import { readIntervalLog } from '../../shared/hlog.ts';
import { optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import type { Command } from '../../shared/cli/command.ts';
import { writeAtomically } from '../results/atomic-file.ts';
import { readRunReport } from '../results/read-run-report.ts';
import { spectrumFromHgrm, spectrumFromHistogram, type SpectrumPoint } from '../html/percentile-spectrum.ts';
import { renderReportHtml } from '../html/report-html.ts';
import { renderSummary } from '../results/summary.ts';

const FLAGS = {
  'run-id': {
    kind: 'string',
    description: 'rebuild the results of a run whose coordinator died, from what Redis still holds (instead of DIR)',
  },
} as const;

export const reportCommand: Command = {
  name: 'report',
  summary: 'Re-renders summary.txt and report.html of a results directory from its run.json (and latency.hgrm), or rebuilds a run from Redis with --run-id.',
  flags: FLAGS,
  positionals: 'DIR',
  async run(argv, context) {
    const flags = parseFlags('report', FLAGS, argv, context.env, true);
    const runId = optionalStringFlag(flags, 'run-id');
    const [directory, ...extra] = flags.positionals;
    if (extra.length > 0) throw new UsageError(`give one results directory, not ${flags.positionals.length}: refswarm report DIR`);
    if (runId !== undefined && directory !== undefined) throw new UsageError('give either a results directory or --run-id, not both');
    if (runId !== undefined) {
      const { reportFromRedis } = await import('../results/report-from-redis.ts');
      const rebuilt = await reportFromRedis(runId, { env: context.env, stderr: context.stderr, signal: context.signal });
      context.stdout.write(renderSummary(rebuilt.report));
      context.stdout.write(`\nresults: ${rebuilt.directory}\n`);
      return 0;
    }
    if (directory === undefined) throw new UsageError('give a results directory (refswarm report DIR) or --run-id ID');
    const written = await rerenderDirectory(directory, (line) => context.stderr.write(`${line}\n`));
    context.stdout.write(written.summary);
    context.stdout.write(`\nreport: ${written.reportPath}\n`);
    return 0;
  },
};

export interface Rerendered {
  readonly summary: string;
  readonly reportPath: string;
}

/** summary.txt and report.html from run.json; the spectrum from latency.hgrm, else intervals.hlog. */
export async function rerenderDirectory(directory: string, warn: (line: string) => void): Promise<Rerendered> {
  const { report } = await readRunReport(directory);
  const spectrum = await spectrumOf(directory, warn);
  const summary = renderSummary(report);
  const reportPath = resolve(join(directory, 'report.html'));
  await writeAtomically(join(directory, 'summary.txt'), summary);
  await writeAtomically(reportPath, renderReportHtml(report, spectrum));
  return { summary, reportPath };
}

async function spectrumOf(directory: string, warn: (line: string) => void): Promise<SpectrumPoint[]> {
  const text = async (name: string): Promise<string | undefined> => readFile(join(directory, name), 'utf8').catch(() => undefined);
  const hgrm = await text('latency.hgrm');
  if (hgrm !== undefined) return spectrumFromHgrm(hgrm);
  const hlog = await text('intervals.hlog');
  if (hlog !== undefined) return spectrumFromHistogram(mergeHistograms(readIntervalLog(hlog).map((i) => i.histogram)));
  warn(`warning: ${directory} holds neither latency.hgrm nor intervals.hlog: the report has no percentile spectrum`);
  return [];
}
