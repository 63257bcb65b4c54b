/** Every error a user can cause or meet, with the exit code the CLI maps it to. */

/** Bad flags, bad values, bad environment: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  override readonly name = 'UsageError';
}

/** A service or database is not in the state the command needs (unreachable, not set up, wrong dataset): exit 2. */
export class ConfigurationError extends Error {
  readonly exitCode = 2;
  override readonly name = 'ConfigurationError';
}

/** The run started but could not complete as asked: exit 1. */
export class RunFailedError extends Error {
  readonly exitCode = 1;
  override readonly name = 'RunFailedError';
}

/** The run completed but one or more --threshold expressions were breached: exit 3. */
export class ThresholdBreachedError extends Error {
  readonly exitCode = 3;
  override readonly name = 'ThresholdBreachedError';
}

/** A job payload that does not match the protocol this worker speaks. */
export class MalformedJobError extends Error {
  override readonly name = 'MalformedJobError';
}

export type RefswarmError = UsageError | ConfigurationError | RunFailedError | ThresholdBreachedError;

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigurationError) return error.exitCode;
  if (error instanceof RunFailedError || error instanceof ThresholdBreachedError) return error.exitCode;
  return 1;
}
