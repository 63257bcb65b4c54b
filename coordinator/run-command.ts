import { RunFailedError } from '../shared/errors.ts';
import type { Command } from './command.ts';
import { defaultObservers } from './default-observers.ts';
import { executeRun, type RunResult } from './run.ts';
import { parseRunArgs, RUN_FLAGS } from './run-flags.ts';
import { renderSummary } from './summary.ts';
import { assertThresholds } from './thresholds.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'One load run: every session a BullMQ job on the connected (or --local-workers) workers, results merged into results/.',
  flags: RUN_FLAGS,
  async run(argv, context) {
    const { config, environment } = parseRunArgs(argv, context.env);
    const result = await executeRun(config, environment, defaultObservers(config), context);
    context.stdout.write(renderSummary(result.report));
    context.stdout.write(`results: ${result.directory}\n`);
    assertComplete(result);
    assertThresholds(result.report.thresholds ?? []);
    return 0;
  },
};

/** A run that was interrupted, lost sessions or saw some fail did not do what was asked: exit 1, results kept. */
export function assertComplete(result: RunResult): void {
  if (result.interrupted) throw new RunFailedError(`interrupted: partial results in ${result.directory}`);
  const { lost, requested, completed } = result.report.sessions;
  if (lost > 0) {
    const reason = [...result.lostReasons.values(), ...result.endedEarly.values()][0] ?? 'no reason recorded';
    throw new RunFailedError(`${lost} of ${requested} sessions lost (${reason}): results in ${result.directory}`);
  }
  if (completed < requested) {
    const reason = [...result.endedEarly.values()][0] ?? 'no reason recorded';
    throw new RunFailedError(`${requested - completed} of ${requested} sessions did not complete (${reason}): results in ${result.directory}`);
  }
}
