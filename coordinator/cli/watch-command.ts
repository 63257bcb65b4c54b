import { UsageError } from '../../shared/errors.ts';
import { optionalStringFlag, parseFlags } from '../../shared/cli/options.ts';
import type { Command } from '../../shared/cli/command.ts';
import { DASHBOARD_FLAGS, dashboardOptions, withDashboardPort } from '../config/dashboard-flags.ts';

const FLAGS = {
  'run-id': { kind: 'string', description: 'the run to watch', defaultText: 'the newest run in REFSWARM_NAMESPACE' },
  ...DASHBOARD_FLAGS,
} as const;

export const watchCommand: Command = {
  name: 'watch',
  summary: "Serves the live dashboard and /metrics of a run started elsewhere, from what Redis holds of it (the same page as run --dashboard).",
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('watch', FLAGS, withDashboardPort(argv), context.env);
    const runId = optionalStringFlag(flags, 'run-id');
    if (runId !== undefined && !/^[0-9a-f-]{36}$/.test(runId)) {
      throw new UsageError(`invalid value "${runId}" for --run-id: expected a run id such as 0190a4c2-7d3e-7abc-8def-0123456789ab (run.json's runId)`);
    }
    const dashboard = dashboardOptions(flags, true)!;
    const { watchRun } = await import('../live/watch-run.ts');
    await watchRun({ env: context.env, ...(runId !== undefined && { runId }), dashboard, stderr: context.stderr, signal: context.signal });
    return 0;
  },
};
