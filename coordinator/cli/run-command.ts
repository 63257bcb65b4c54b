import { join } from 'node:path';
import { RunFailedError, ThresholdBreachedError, UsageError } from '../../shared/errors.ts';
import type { Command, CommandContext } from '../../shared/cli/command.ts';
import { defaultObservers } from '../observe/default-observers.ts';
import { executeRun, type RunResult } from '../run/run.ts';
import { parseRunCommandFlags, repeatCount, repeatName, RUN_COMMAND_FLAGS, runFromFlags, type ParsedRun } from '../config/run-flags.ts';
import { renderSummary } from '../results/summary.ts';
import { assertThresholds } from '../results/thresholds.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'One load run: every session a BullMQ job on the connected (or --local-workers) workers, results merged into results/.',
  flags: RUN_COMMAND_FLAGS,
  async run(argv, context) {
    const flags = parseRunCommandFlags(argv, context.env);
    const parsed = runFromFlags(flags, context.env);
    const repeats = repeatCount(flags);
    if (repeats > 1 && parsed.dashboard !== undefined) throw new UsageError(`--dashboard serves one run, --repeat ${repeats} asks for ${repeats}: drop one of them`);
    if (repeats === 1) return runOnce(parsed, context);
    const { config, environment } = parsed;
    const names = Array.from({ length: repeats }, (_, i) => repeatName(config.name, i + 1, repeats));
    const results: RunResult[] = [];
    for (const [i, name] of names.entries()) {
      if (context.signal.aborted) break;
      context.stderr.write(`run: repeat ${i + 1} of ${repeats} (${name})\n`);
      const repeat = { ...config, name };
      const result = await executeRun(repeat, environment, defaultObservers(repeat), context);
      results.push(result);
      context.stdout.write(renderSummary(result.report));
      context.stdout.write(`results: ${result.directory}\n\n`);
    }
    finishRepeats(results, repeats, context.stdout);
    return 0;
  },
};

/** One run, with the live dashboard when --dashboard asks for it. */
async function runOnce({ config, environment, dashboard }: ParsedRun, context: CommandContext): Promise<number> {
  if (dashboard === undefined) {
    finishRun(await executeRun(config, environment, defaultObservers(config), context), context.stdout);
    return 0;
  }
  const { runDashboard } = await import('../live/run-dashboard.ts');
  const live = await runDashboard(dashboard, environment.connection.databaseUrl, context.stderr);
  let result: RunResult;
  try {
    result = await executeRun(config, environment, defaultObservers(config), { ...context, listener: live.listener });
  } catch (error) {
    await live.finish({ problem: (error as Error).message });
    await live.close(context.signal);
    throw error;
  }
  await live.finish({ result, problem: incompleteness(result) });
  try {
    finishRun(result, context.stdout);
  } finally {
    await live.close(context.signal);
  }
  return 0;
}

/**
 * After `run --repeat N`: the repeats' spread, then one verdict for all: exit 1 if one was
 * incomplete or the repeats were interrupted, 3 if one breached a threshold.
 */
function finishRepeats(results: readonly RunResult[], repeats: number, stdout: NodeJS.WritableStream): void {
  const spread = (label: string, values: readonly number[], unit: string): string => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `${label}: mean ${mean.toFixed(1)}${unit}, min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)} (${values.length} repeats)`;
  };
  if (results.length > 0) {
    stdout.write(spread('repeats ops/s', results.map((r) => r.report.throughput.opsPerSec), '') + '\n');
    stdout.write(spread('repeats latency p99', results.map((r) => r.report.latencyMs.p99), ' ms') + '\n');
    stdout.write(`compare them: refswarm compare ${results.map((r) => r.directory).join(' ')}\n`);
  }
  for (const result of results) assertComplete(result);
  if (results.length < repeats) throw new RunFailedError(`interrupted after ${results.length} of ${repeats} repeats`);
  const breached = results.filter((r) => r.report.thresholds?.some((t) => !t.passed));
  if (breached.length > 0) {
    throw new ThresholdBreachedError(`thresholds breached in ${breached.length} of ${repeats} repeats (${breached.map((r) => r.report.name).join(', ')})`);
  }
}

/** What every command that runs prints at the end, and its verdict: exit 1 if incomplete, 3 if a threshold is breached. */
export function finishRun(result: RunResult, stdout: NodeJS.WritableStream): void {
  stdout.write(renderSummary(result.report));
  stdout.write(`results: ${result.directory}\n`);
  if (result.files.includes('report.html')) stdout.write(`report: ${join(result.directory, 'report.html')}\n`);
  assertComplete(result);
  assertThresholds(result.report.thresholds ?? []);
}

/** A run that was interrupted, lost sessions or saw some fail did not do what was asked: exit 1, results kept. */
export function assertComplete(result: RunResult): void {
  const problem = incompleteness(result);
  if (problem !== undefined) throw new RunFailedError(problem);
}

/** Why the run did not do all it was asked, or undefined when it did. */
export function incompleteness(result: RunResult): string | undefined {
  if (result.interrupted) return `interrupted: partial results in ${result.directory}`;
  const { requested } = result.report.sessions;
  const parts: string[] = [];
  for (const status of ['lost', 'aborted', 'failed'] as const) {
    const sessions = result.report.sessionResults.filter((r) => r.status === status);
    if (sessions.length === 0) continue;
    const first = sessions[0];
    parts.push(`${sessions.length} of ${requested} sessions ${status} (session ${first.sessionId} on worker ${first.worker}: ${first.reason ?? 'no reason recorded'})`);
  }
  return parts.length === 0 ? undefined : `${parts.join('; ')}: results in ${result.directory}`;
}
