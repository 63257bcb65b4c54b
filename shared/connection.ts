import { UsageError } from './errors.ts';

/** Where PostgreSQL and Redis are: read once from the environment, validated, never logged unmasked. */

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DATABASE_NAME_PREFIX = 'dms_perf_';
/**
 * REDIS_URL schemes naming one node of a Redis Cluster (shared/redis-connect.ts connects to the
 * master that owns refswarm's hash slot).
 */
export const REDIS_CLUSTER_PROTOCOLS = ['redis-cluster:', 'rediss-cluster:'];

export interface ConnectionSettings {
  /** The full PostgreSQL URL, secrets included: only ever handed to pg. */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly databaseName: string;
}

export function connectionSettings(env: NodeJS.ProcessEnv, databaseOverride?: string): ConnectionSettings {
  const databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL || DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:']);
  const redisUrl = parseUrl('REDIS_URL', env.REDIS_URL || DEFAULT_REDIS_URL, ['redis:', 'rediss:', ...REDIS_CLUSTER_PROTOCOLS]);
  if (databaseOverride !== undefined) databaseUrl.pathname = `/${databaseOverride}`;
  const databaseName = decodeURIComponent(databaseUrl.pathname.replace(/^\//, ''));
  if (databaseName === '') throw new UsageError('DATABASE_URL names no database: add one such as /dms_perf_test');
  return { databaseUrl: databaseUrl.toString(), redisUrl: redisUrl.toString(), databaseName };
}

/** "a://, b:// or c://" */
function schemeList(protocols: readonly string[]): string {
  const schemes = protocols.map((protocol) => `${protocol}//`);
  return schemes.length === 1 ? schemes[0] : `${schemes.slice(0, -1).join(', ')} or ${schemes.at(-1)}`;
}

function parseUrl(variable: string, raw: string, protocols: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid ${variable} "${maskSecrets(raw)}": expected a URL such as ${protocols[0]}//host:port/`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new UsageError(`invalid ${variable} "${maskUrl(url.toString())}": expected a ${schemeList(protocols)} URL`);
  }
  return url;
}

/**
 * Query parameters that carry a secret in a PostgreSQL or Redis URL (libpq's `password` and
 * `sslpassword`, and the names other clients use for the same thing).
 */
const SECRET_PARAMETER = /^(?:\w*password|passwd|pass|secret|token|auth|api_?key)$/i;

/** The same URL with every secret it carries (the userinfo password, secret parameters) replaced by ***. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    for (const name of [...url.searchParams.keys()]) if (SECRET_PARAMETER.test(name)) url.searchParams.set(name, '***');
    return url.toString().replaceAll('%2A%2A%2A', '***');
  } catch {
    return maskSecrets(raw);
  }
}

/** Best effort for text that may hold a URL with secrets (error messages). */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@')
    .replace(/(^|[?&;\s"'(])(\w+)=[^&\s"')]*/g, (match, before: string, name: string) => (SECRET_PARAMETER.test(name) ? `${before}${name}=***` : match));
}

/** The URL of another database on the same server (maintenance connections use "postgres"). */
export function withDatabase(databaseUrl: string, databaseName: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export function assertRefswarmDatabaseName(name: string): void {
  if (!name.startsWith(DATABASE_NAME_PREFIX) || !/^[a-z0-9_]+$/.test(name) || name.length > 63) {
    throw new UsageError(
      `refusing database "${name}": refswarm only manages databases named ${DATABASE_NAME_PREFIX}* (lowercase letters, digits, _)`,
    );
  }
}
