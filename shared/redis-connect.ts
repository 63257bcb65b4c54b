import { Redis } from 'ioredis';
import { maskUrl } from './connection.ts';
import { ConfigurationError } from './errors.ts';

/**
 * Opens one Redis connection. The first connection either succeeds or fails at once with one clear
 * ConfigurationError (Redis unreachable at start is a configuration problem); once connected, a
 * dropped connection is retried with bounded backoff, as BullMQ expects (maxRetriesPerRequest null).
 */
export interface RedisConnectOptions {
  /** CLIENT SETNAME, visible in CLIENT LIST. */
  readonly connectionName?: string;
  /** Batch commands issued in the same tick into one round trip (event publishing). */
  readonly autoPipelining?: boolean;
}

const CONNECT_TIMEOUT_MS = 5000;
const MAX_RECONNECT_DELAY_MS = 2000;

export async function connectRedis(redisUrl: string, options: RedisConnectOptions = {}): Promise<Redis> {
  let connected = false;
  let lastError: unknown;
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectionName: options.connectionName,
    enableAutoPipelining: options.autoPipelining ?? false,
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => (connected ? Math.min(100 * 2 ** Math.min(times, 5), MAX_RECONNECT_DELAY_MS) : null),
  });
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw describeRedisConnectError(lastError ?? error, redisUrl);
  }
  connected = true;
  return redis;
}

export function describeRedisConnectError(error: unknown, redisUrl: string): ConfigurationError {
  const e = error as { code?: string; message?: string };
  const where = maskUrl(redisUrl);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new ConfigurationError(`cannot reach Redis at ${where} (${e.code}): start it or set REDIS_URL`);
  }
  return new ConfigurationError(`cannot connect to Redis at ${where}: ${e.message ?? String(error)}`);
}
