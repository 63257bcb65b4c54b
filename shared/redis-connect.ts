import { Redis } from 'ioredis';
import { maskUrl, REDIS_CLUSTER_PROTOCOLS } from './connection.ts';
import { ConfigurationError } from './errors.ts';
import { redisKeys } from './protocol/redis-keys.ts';

/**
 * Opens one Redis connection. The first connection either succeeds or fails at once with one clear
 * ConfigurationError (Redis unreachable at start is a configuration problem); once connected, a
 * dropped connection is retried with bounded backoff, as BullMQ expects (maxRetriesPerRequest null).
 *
 * A `redis-cluster://` URL names any node of a Redis Cluster: every key refswarm and BullMQ use sits
 * under one hash tag (shared/protocol/redis-keys.ts), so one slot, so one master serves all of it.
 * The connection goes to that master, found with CLUSTER KEYSLOT and CLUSTER SLOTS
 * (docs/architecture.md#redis-keys). A slot moved during a run (resharding, failover) fails the
 * commands that follow with MOVED: restart the run.
 */
export interface RedisConnectOptions {
  /** CLIENT SETNAME, visible in CLIENT LIST. */
  readonly connectionName?: string;
  /** Batch commands issued in the same tick into one round trip (event publishing). */
  readonly autoPipelining?: boolean;
  /** REFSWARM_NAMESPACE: decides the hash slot, so the master, of a `redis-cluster://` URL. */
  readonly namespace?: string;
}

const CONNECT_TIMEOUT_MS = 5000;
const MAX_RECONNECT_DELAY_MS = 2000;

export async function connectRedis(redisUrl: string, options: RedisConnectOptions = {}): Promise<Redis> {
  if (isClusterUrl(redisUrl)) {
    const master = await slotOwnerUrl(redisUrl, options.namespace);
    return connectNode(master, options, redisUrl);
  }
  return connectNode(redisUrl, options, redisUrl);
}

export function isClusterUrl(redisUrl: string): boolean {
  return REDIS_CLUSTER_PROTOCOLS.some((protocol) => redisUrl.startsWith(protocol));
}

/** The same URL with the plain scheme ioredis understands (redis: or rediss:). */
export function nodeUrl(clusterUrl: string): string {
  return clusterUrl.replace(/^(rediss?)-cluster:/, '$1:');
}

/** One slot range of CLUSTER SLOTS: [start, end, master, ...replicas], each node [host, port, id, …]. */
type SlotRange = [number, number, ...(readonly [string, number, ...unknown[]])[]];

/** The master that owns the namespace's slot, as a node URL with the seed's credentials. */
export function slotOwner(slot: number, ranges: readonly SlotRange[], seedUrl: string): string | undefined {
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  const master = range?.[2];
  if (master === undefined) return undefined;
  const [host, port] = master;
  const url = new URL(nodeUrl(seedUrl));
  // A node that announces no host (cluster-announce-hostname unset, older servers) is reached as the seed was.
  if (host !== '' && host !== '?') url.hostname = host.includes(':') ? `[${host}]` : host;
  url.port = String(port);
  return url.toString();
}

async function slotOwnerUrl(clusterUrl: string, namespace: string | undefined): Promise<string> {
  if (namespace === undefined) throw new Error('connectRedis: a redis-cluster:// URL needs the namespace to find its slot');
  const seed = await connectNode(nodeUrl(clusterUrl), { connectionName: 'refswarm-cluster-seed' }, clusterUrl);
  try {
    const slot = (await seed.cluster('KEYSLOT', redisKeys(namespace).workers)) as number;
    const ranges: SlotRange[] = await seed.cluster('SLOTS');
    const owner = slotOwner(slot, ranges, clusterUrl);
    if (owner === undefined) {
      throw new ConfigurationError(`Redis Cluster at ${maskUrl(clusterUrl)} has no master for slot ${slot} (namespace "${namespace}"): check CLUSTER INFO`);
    }
    return owner;
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`${maskUrl(clusterUrl)} is not a Redis Cluster node (${(error as Error).message}): use a redis:// URL`);
  } finally {
    seed.disconnect();
  }
}

async function connectNode(redisUrl: string, options: RedisConnectOptions, shownUrl: string): Promise<Redis> {
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
    throw describeRedisConnectError(lastError ?? error, shownUrl);
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
