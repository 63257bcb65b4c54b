import { join } from 'node:path';
import { RunFailedError } from '../../shared/errors.ts';
import type { Command } from '../../shared/cli/command.ts';
import { defaultObservers } from '../observe/default-observers.ts';
import { executeRun, type RunResult } from '../run/run.ts';
import { parseRunArgs, RUN_FLAGS } from '../config/run-flags.ts';
import { renderSummary } from '../results/summary.ts';
import { assertThresholds } from '../results/thresholds.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'One load run: every session a BullMQ job on the connected (or --local-workers) workers, results merged into results/.',
  flags: RUN_FLAGS,
  async run(argv, context) {
    const { config, environment } = parseRunArgs(argv, context.env);
    const result = await executeRun(config, environment, defaultObservers(config), context);
    finishRun(result, context.stdout);
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
  const { lost, requested, completed } = result.report.sessions;
  if (lost > 0) {
    const reason = [...result.lostReasons.values(), ...result.endedEarly.values()][0] ?? 'no reason recorded';
    return `${lost} of ${requested} sessions lost (${reason}): results in ${result.directory}`;
  }
  if (completed < requested) {
    const reason = [...result.endedEarly.values()][0] ?? 'no reason recorded';
    return `${requested - completed} of ${requested} sessions did not complete (${reason}): results in ${result.directory}`;
  }
  return undefined;
}
