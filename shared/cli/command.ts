import type { FlagTable } from './options.ts';

/** What every subcommand module exports: its flag table and what it does with parsed arguments. */
export interface CommandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM: commands stop, clean up, and return. */
  readonly signal: AbortSignal;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly flags: FlagTable;
  readonly positionals?: string;
  /** Returns the exit code; throws UsageError/ConfigurationError/RunFailedError for the CLI to print. */
  run(argv: readonly string[], context: CommandContext): Promise<number>;
}
