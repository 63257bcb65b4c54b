import { exitCodeOf } from '../../shared/errors.ts';
import { maskSecrets } from '../../shared/connection.ts';
import { helpText } from '../../shared/cli/options.ts';
import type { Command, CommandContext } from '../../shared/cli/command.ts';

/** Subcommands are imported only when used, so `refswarm worker` does not load the coordinator. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  setup: async () => (await import('./setup-command.ts')).setupCommand,
  load: async () => (await import('./load-command.ts')).loadCommand,
  export: async () => (await import('./export-command.ts')).exportCommand,
  worker: async () => (await import('../../worker/worker-command.ts')).workerCommand,
  run: async () => (await import('./run-command.ts')).runCommand,
  demo: async () => (await import('./demo-command.ts')).demoCommand,
  compare: async () => (await import('./compare-command.ts')).compareCommand,
  sweep: async () => (await import('./sweep-command.ts')).sweepCommand,
  restore: async () => (await import('./restore-command.ts')).restoreCommand,
  report: async () => (await import('./report-command.ts')).reportCommand,
  check: async () => (await import('./check-command.ts')).checkCommand,
  watch: async () => (await import('./watch-command.ts')).watchCommand,
};

const USAGE = `usage: refswarm <command> [options]

commands:
  setup     create the database, schema, partitions, strategy functions
  load      generate the deterministic dataset straight into PostgreSQL
  export    write the dataset as CSV files
  worker    run a worker that executes sessions
  run       one load run across the connected workers
  demo      setup, load a small dataset and run, all on local services
  compare   compare runs side by side: a table and compare.html
  sweep     a matrix of runs back to back, with one comparison
  restore   put the documents a run touched back to their dataset references
  report    re-render a run's summary.txt and report.html (DIR), or rebuild it from Redis (--run-id)
  check     check that documents hold their dataset reference sets (--documents LIST or --all)
  watch     serve the live dashboard and /metrics of a run started elsewhere (from Redis)

"refswarm <command> --help" describes a command's options.
`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`refswarm: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const context: CommandContext = { env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText(command.name, command.summary, command.flags));
      return 0;
    }
    return await command.run(rest, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`refswarm ${name}: ${maskSecrets(message.split('\n')[0])}\n`);
    if (env.REFSWARM_DEBUG && error instanceof Error && error.stack) process.stderr.write(maskSecrets(error.stack) + '\n');
    return exitCodeOf(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
