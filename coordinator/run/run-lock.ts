import type { Redis } from 'ioredis';
import { ConfigurationError } from '../../shared/errors.ts';
import type { RedisKeys } from '../../shared/protocol/redis-keys.ts';

/**
 * One run at a time per database and namespace (docs/architecture.md#reliability): two coordinators
 * on one database would each count the other's writes as integrity violations and mix their pg
 * deltas. The lock is a Redis key set with NX and a short expiry, renewed while the run lives and
 * deleted at its end, so a crashed coordinator's lock expires by itself. With
 * --allow-concurrent-runs a run goes ahead anyway as a guest (a key of its own, renewed the same
 * way), and every run lists the others it shared the database with.
 */

export interface RunInProgress {
  readonly runId: string;
  readonly name: string;
  readonly startedAt: string;
}

export const RUN_LOCK_TTL_MS = 10_000;
/** How long the holder's list of guests lives if the holder dies before reading it. */
const GUEST_LIST_TTL_MS = 24 * 3600_000;
const RENEW_EVERY_MS = RUN_LOCK_TTL_MS / 4;

const RENEW_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const DELETE_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RunLock {
  /** Other runs that used the database while this one did (only with --allow-concurrent-runs). */
  sharedWith(): Promise<RunInProgress[]>;
  release(): Promise<void>;
}

/** The run holding the database, if any (for `setup`, which must not drop it). */
export async function runHoldingDatabase(redis: Redis, keys: RedisKeys, database: string): Promise<RunInProgress | undefined> {
  return parseHolder(await redis.get(keys.runLock(database)));
}

export function describeRun(run: RunInProgress): string {
  return `run ${run.runId} "${run.name}", started ${run.startedAt}`;
}

export async function acquireRunLock(redis: Redis, keys: RedisKeys, database: string, self: RunInProgress, allowConcurrent: boolean): Promise<RunLock> {
  const value = JSON.stringify(self);
  const lockKey = keys.runLock(database);
  const acquired = (await redis.set(lockKey, value, 'PX', RUN_LOCK_TTL_MS, 'NX')) === 'OK';
  const seen = new Map<string, RunInProgress>();
  let ownKey = lockKey;
  if (!acquired) {
    const holder = parseHolder(await redis.get(lockKey));
    if (!allowConcurrent) {
      throw new ConfigurationError(
        `a run is in progress on database "${database}": ${holder ? describeRun(holder) : 'its lock is held'}; ` +
          `wait for it to end, or pass --allow-concurrent-runs (integrity and pg deltas are then shared between the runs)`,
      );
    }
    if (holder) {
      seen.set(holder.runId, holder);
      // The holder polls for guests every few seconds; a guest shorter than that would go unseen, so it also signs the holder's list.
      await redis.multi().sadd(keys.runGuests(holder.runId), value).pexpire(keys.runGuests(holder.runId), GUEST_LIST_TTL_MS).exec();
    }
    ownKey = keys.runLockGuest(database, self.runId);
    await redis.set(ownKey, value, 'PX', RUN_LOCK_TTL_MS);
  }
  const noteOthers = async (): Promise<void> => {
    for (const other of await othersOn(redis, keys, database, self.runId)) seen.set(other.runId, other);
  };
  await noteOthers();
  // Each renewal also notes guests that came and went meanwhile: the holder's figures include their writes too.
  const timer = setInterval(() => {
    redis.eval(RENEW_IF_OURS, 1, ownKey, value, RUN_LOCK_TTL_MS).catch(() => undefined);
    noteOthers().catch(() => undefined);
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    async sharedWith() {
      await noteOthers();
      for (const guest of (await redis.smembers(keys.runGuests(self.runId))).map(parseHolder)) if (guest) seen.set(guest.runId, guest);
      return [...seen.values()];
    },
    async release() {
      clearInterval(timer);
      await redis.eval(DELETE_IF_OURS, 1, ownKey, value);
      await redis.del(keys.runGuests(self.runId));
    },
  };
}

/** The holder and the guests on `database` other than `runId`. */
async function othersOn(redis: Redis, keys: RedisKeys, database: string, runId: string): Promise<RunInProgress[]> {
  const guestKeys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.runLockGuest(database, '*'), 'COUNT', 100);
    guestKeys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  const values = await redis.mget(keys.runLock(database), ...guestKeys);
  return values.map(parseHolder).filter((r): r is RunInProgress => r !== undefined && r.runId !== runId);
}

function parseHolder(text: string | null): RunInProgress | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RunInProgress>;
    if (typeof value.runId === 'string' && typeof value.name === 'string' && typeof value.startedAt === 'string') {
      return { runId: value.runId, name: value.name, startedAt: value.startedAt };
    }
  } catch {
    // Another version's lock: still a lock.
  }
  return { runId: 'unknown', name: 'unknown', startedAt: 'unknown' };
}
