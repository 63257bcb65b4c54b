import { join } from 'node:path';
import { RunFailedError } from '../../shared/errors.ts';
import type { Command } from '../../shared/cli/command.ts';
import { defaultObservers } from '../observe/default-observers.ts';
import { executeRun, type RunResult } from '../run/run.ts';
import { parseRunArgs, RUN_COMMAND_FLAGS } from '../config/run-flags.ts';
import { renderSummary } from '../results/summary.ts';
import { assertThresholds } from '../results/thresholds.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'One load run: every session a BullMQ job on the connected (or --local-workers) workers, results merged into results/.',
  flags: RUN_COMMAND_FLAGS,
  async run(argv, context) {
    const { config, environment, dashboard } = parseRunArgs(argv, context.env);
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
  },
};

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
