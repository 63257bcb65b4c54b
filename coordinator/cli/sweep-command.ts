import { basename, join, resolve } from 'node:path';
import { ConfigurationError, RunFailedError, ThresholdBreachedError, UsageError } from '../../shared/errors.ts';
import { optionalStringFlag, parseFlags, type FlagTable, type ParsedFlags } from '../../shared/cli/options.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { connectRedis } from '../../shared/redis-connect.ts';
import type { RunReport } from '../results/run-report.ts';
import type { Command } from '../../shared/cli/command.ts';
import { compareRuns } from '../compare/compare.ts';
import { writeAtomically } from '../results/atomic-file.ts';
import { renderCompareHtml } from '../html/compare-html.ts';
import { renderCompareText } from '../compare/compare-text.ts';
import { defaultObservers } from '../observe/default-observers.ts';
import { requireDataset } from '../database/manifest.ts';
import { workloadProblems } from '../config/workload-fit.ts';
import { timestampOf } from '../results/results-writer.ts';
import { executeRun } from '../run/run.ts';
import { incompleteness } from './run-command.ts';
import { RUN_FLAGS, runFromFlags, type ParsedRun } from '../config/run-flags.ts';
import { cellRunName, expandSweep, parseSweepAxes, type SweepCell } from '../compare/sweep.ts';
import { renderSweepSections } from '../html/sweep-html.ts';
import { renderSweepText } from '../compare/sweep-text.ts';

const FLAGS = {
  ...RUN_FLAGS,
  sessions: { kind: 'string', description: 'session counts to run, comma-separated', defaultText: '10' },
  strategy: { kind: 'string', description: 'strategies to run, comma-separated: current,differential,merge', defaultText: 'current' },
  scenario: { kind: 'string', description: 'scenarios to run, comma-separated', defaultText: 'single' },
  shape: { kind: 'string', description: 'shapes to run, comma-separated: bare,dms', defaultText: 'bare' },
  output: { kind: 'string', description: 'sweep folder (every run of the sweep and its comparison)', defaultText: 'results/<time>_sweep_<name>' },
} as const satisfies FlagTable;

const SWEEP_ONLY = ['output'] as const;

interface CellOutcome {
  readonly cell: SweepCell;
  readonly name: string;
  readonly directory?: string;
  readonly report?: RunReport;
  readonly error?: string;
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary:
    'A matrix of runs back to back (every combination of --sessions, --strategy, --scenario, --shape lists; other options as for run) into one sweep folder with its own comparison.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('sweep', FLAGS, argv, context.env);
    const axes = parseSweepAxes({
      sessions: optionalStringFlag(flags, 'sessions'),
      strategy: optionalStringFlag(flags, 'strategy'),
      scenario: optionalStringFlag(flags, 'scenario'),
      shape: optionalStringFlag(flags, 'shape'),
    });
    const cells = expandSweep(axes);
    const base = optionalStringFlag(flags, 'name') ?? 'sweep';
    const runs = cellRuns(flags, cells, base, context.env);
    const folder = resolve(optionalStringFlag(flags, 'output') ?? join(runs[0].config.resultsRoot, `${timestampOf(new Date())}_sweep_${base}`));
    await preflight(runs, cells);

    const outcomes: CellOutcome[] = [];
    let stopped: unknown;
    for (const [i, cell] of cells.entries()) {
      if (context.signal.aborted) break;
      const { config, environment } = runs[i];
      const name = config.name;
      context.stderr.write(`sweep: run ${i + 1} of ${cells.length}: ${cell.series}, ${cell.sessions} sessions (${name})\n`);
      try {
        const result = await executeRun({ ...config, resultsRoot: folder }, environment, defaultObservers(config), context);
        // The same verdict as `refswarm run`: failed or aborted sessions make a cell fail too.
        const error = incompleteness(result);
        outcomes.push({ cell, name, directory: result.directory, report: result.report, ...(error ? { error } : {}) });
        context.stderr.write(
          `sweep: ${name}: ${result.report.throughput.opsPerSec.toFixed(1)} ops/s, p99 ${result.report.latencyMs.p99} ms${error ? `, ${error}` : ''}\n`,
        );
      } catch (error) {
        if (!(error instanceof RunFailedError)) {
          // Bad configuration or unreachable services fail every later run the same way: stop here.
          stopped = error;
          outcomes.push({ cell, name, error: (error as Error).message });
          break;
        }
        outcomes.push({ cell, name, error: error.message });
        context.stderr.write(`sweep: ${name} failed: ${error.message}\n`);
      }
    }

    // Nothing is written unless some run got as far as its results.
    if (outcomes.some((o) => o.directory !== undefined)) await writeSweepFolder(folder, axes, cells, outcomes, context.stdout);
    if (stopped !== undefined) throw stopped;
    if (context.signal.aborted) throw new RunFailedError(`interrupted after ${outcomes.length} of ${cells.length} runs: partial sweep in ${folder}`);
    const failed = outcomes.filter((o) => o.error !== undefined);
    if (failed.length > 0) throw new RunFailedError(`${failed.length} of ${cells.length} runs failed (first: ${failed[0].name}: ${failed[0].error}): sweep in ${folder}`);
    const breached = outcomes.filter((o) => o.report?.thresholds?.some((t) => !t.passed));
    if (breached.length > 0) throw new ThresholdBreachedError(`thresholds breached in ${breached.length} of ${cells.length} runs (${breached.map((o) => o.name).join(', ')}): sweep in ${folder}`);
    return 0;
  },
};

/**
 * PostgreSQL and Redis reachable, the database set up and loaded, every cell's workload fitting the
 * dataset: checked once before the first run, so that a sweep that cannot run every cell fails with
 * one line and leaves nothing behind (rather than refusing a later cell after running the first).
 */
async function preflight(runs: readonly ParsedRun[], cells: readonly SweepCell[]): Promise<void> {
  const { connection, namespace } = runs[0].environment;
  await withPg(connection.databaseUrl, async (client) => {
    const manifest = await requireDataset(client, connection.databaseName);
    const facts = { shape: manifest.shape, mergeConstraint: manifest.mergeConstraint };
    for (const [i, { config }] of runs.entries()) {
      const problems = workloadProblems(config, facts);
      if (problems.length > 0) throw new ConfigurationError(`${problems.join('; ')} (sweep run ${cells[i].series}, ${cells[i].sessions} sessions)`);
    }
  });
  const redis = await connectRedis(connection.redisUrl, { connectionName: 'refswarm-sweep', namespace });
  await redis.quit();
}

/** Every cell's configuration, validated before the first run starts: one bad value fails at once. */
function cellRuns(flags: ParsedFlags, cells: readonly SweepCell[], base: string, env: NodeJS.ProcessEnv): ParsedRun[] {
  const values: Record<string, string | boolean | string[] | undefined> = { ...flags.values };
  for (const key of SWEEP_ONLY) delete values[key];
  return cells.map((cell) => {
    const cellFlags: ParsedFlags = {
      command: 'sweep',
      positionals: [],
      values: {
        ...values,
        sessions: String(cell.sessions),
        strategy: cell.strategy,
        scenario: cell.scenario,
        shape: cell.shape,
        name: cellRunName(base, cell),
      },
    };
    try {
      return runFromFlags(cellFlags, env);
    } catch (error) {
      if (error instanceof UsageError || error instanceof ConfigurationError) {
        throw new UsageError(`${error.message} (sweep run ${cell.series}, ${cell.sessions} sessions)`);
      }
      throw error;
    }
  });
}

async function writeSweepFolder(
  folder: string,
  axes: ReturnType<typeof parseSweepAxes>,
  cells: readonly SweepCell[],
  outcomes: readonly CellOutcome[],
  stdout: NodeJS.WritableStream,
): Promise<void> {
  const done = outcomes.filter((o): o is CellOutcome & { report: RunReport; directory: string } => o.report !== undefined);
  const reports = new Map(done.map((o) => [o.cell.index, o.report]));
  const sweepText = renderSweepText(cells, reports);
  const index = {
    axes,
    cells: cells.map((cell) => {
      const outcome = outcomes.find((o) => o.cell.index === cell.index);
      return {
        ...cell,
        name: outcome?.name,
        directory: outcome?.directory ? basename(outcome.directory) : undefined,
        runId: outcome?.report?.runId,
        error: outcome?.error ?? (outcome ? undefined : 'not run'),
      };
    }),
  };
  await writeAtomically(join(folder, 'sweep.json'), JSON.stringify(index, null, 2) + '\n');
  let text = sweepText;
  if (done.length > 0) {
    const labels = done.map((o) => basename(o.directory));
    const comparison = compareRuns(done.map((o) => o.report), labels);
    text += '\n' + renderCompareText(comparison);
    const html = renderCompareHtml(comparison, done.map((o) => o.report), {
      title: `refswarm sweep: ${cells.length} runs`,
      extraSections: renderSweepSections(cells, reports),
    });
    await writeAtomically(join(folder, 'compare.html'), html);
  }
  await writeAtomically(join(folder, 'compare.txt'), text);
  stdout.write(sweepText);
  stdout.write(`sweep: ${folder}\n`);
}
