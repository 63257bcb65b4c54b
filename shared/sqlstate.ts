/**
 * The failure taxonomy (docs/architecture.md#retries-and-failure-codes): every failed try is
 * counted under one code — its SQLSTATE, or "connection" for anything that means the session's
 * connection is gone (SQLSTATE class 08, the server terminating the backend, or a node-level socket
 * error), or a refswarm code such as "unknown-alias". Only deadlocks and serialization failures are
 * worth retrying.
 */

export const DEADLOCK = '40P01';
export const SERIALIZATION_FAILURE = '40001';
export const LOCK_NOT_AVAILABLE = '55P03';
export const QUERY_CANCELED = '57014';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CONNECTION = 'connection';
/** A strategy call returned referential ids that have no Alias: nothing was written. */
export const UNKNOWN_ALIAS = 'unknown-alias';

/** Human names for report legends; codes not listed are shown as they are. */
export const ERROR_CODE_NAMES: Readonly<Record<string, string>> = {
  [DEADLOCK]: 'deadlock',
  [SERIALIZATION_FAILURE]: 'serialization failure',
  [LOCK_NOT_AVAILABLE]: 'lock not available',
  [QUERY_CANCELED]: 'statement timeout',
  [FOREIGN_KEY_VIOLATION]: 'foreign key violation',
  [CONNECTION]: 'connection lost',
  [UNKNOWN_ALIAS]: 'unknown referential id',
};

/** Server-side codes after which the backend is gone: admin_shutdown, crash_shutdown, cannot_connect_now, idle session timeout. */
const CONNECTION_ENDING_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05']);

/** Socket-level errors from node and the messages node-postgres uses for a dead client. */
const NODE_CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ENETUNREACH']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'connection is closed',
];

const SQLSTATE_PATTERN = /^[0-9A-Z]{5}$/;

/**
 * The code a failed try counts under, or undefined when the error is not a database failure at all
 * (a programming error, which must propagate rather than be counted).
 */
export function failureCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Checked first: "EPIPE" also has the shape of a SQLSTATE.
    if (NODE_CONNECTION_CODES.has(code)) return CONNECTION;
    if (SQLSTATE_PATTERN.test(code)) {
      return code.startsWith('08') || CONNECTION_ENDING_SQLSTATES.has(code) ? CONNECTION : code;
    }
  }
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return CONNECTION;
  return undefined;
}

/** Retried under --max-tries: the whole operation is run again from its start. */
export function isRetryable(code: string): boolean {
  return code === DEADLOCK || code === SERIALIZATION_FAILURE;
}

export function errorCodeName(code: string): string {
  return ERROR_CODE_NAMES[code] ?? code;
}
