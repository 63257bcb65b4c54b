import type { Redis } from 'ioredis';
import { workerQueueName, type RedisKeys } from './redis-keys.ts';

/**
 * A worker's BullMQ queue keys expire unless the worker renews them (docs/architecture.md#redis-keys):
 * BullMQ has no expiry of its own for a queue, and obliterating the queue on every beat would drop its
 * jobs, so each heartbeat PEXPIREs the queue's keys, found by pattern. Keys BullMQ already expires
 * itself (job locks, the stalled-check marker) keep their own short expiry: extending them would
 * delay BullMQ's stalled-job detection.
 */

const OWN_EXPIRY = /:(lock|stalled-check)$/;

/** Longest time a key BullMQ creates after a renewal goes without its expiry while the worker lives. */
export const MAX_QUEUE_EXPIRY_RENEWAL_MS = 60_000;

/**
 * How often a live worker renews its queue keys' expiry: a quarter of the retention time, so that a key
 * never expires under a live worker, but at most every MAX_QUEUE_EXPIRY_RENEWAL_MS and at least every
 * beat. Renewing on every beat cost each worker a SCAN of the whole keyspace and a PEXPIRE of each of
 * its jobs' keys every second: at 10,000 sessions over 20 workers, 699 SCANs and 7,743 PEXPIREs a
 * second, 97 % of Redis's commands.
 */
export function queueExpiryRenewalMs(retentionMs: number, beatMs: number): number {
  return Math.max(beatMs, Math.min(retentionMs / 4, MAX_QUEUE_EXPIRY_RENEWAL_MS));
}

function queuePattern(keys: RedisKeys, workerId: string): string {
  return `${keys.queuePrefix}:${workerQueueName(workerId)}:*`;
}

/** Every key matching the pattern (SCAN, so Redis is never blocked). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Sets every key of the worker's queue to expire `ttlMs` from now. */
export async function expireQueueKeys(redis: Redis, keys: RedisKeys, workerId: string, ttlMs: number): Promise<void> {
  const found = (await scanKeys(redis, queuePattern(keys, workerId))).filter((key) => !OWN_EXPIRY.test(key));
  if (found.length === 0) return;
  const multi = redis.multi();
  for (const key of found) multi.pexpire(key, ttlMs);
  await multi.exec();
}

/** Deletes every key of the worker's queue (a worker gone for longer than the retention time). */
export async function deleteQueueKeys(redis: Redis, keys: RedisKeys, workerId: string): Promise<void> {
  const found = await scanKeys(redis, queuePattern(keys, workerId));
  if (found.length > 0) await redis.del(...found);
}
