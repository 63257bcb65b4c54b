/**
 * Every Redis key and BullMQ queue name refswarm uses, under one hash tag so that a Redis Cluster
 * keeps them in one slot (BullMQ's advice for clusters: a braced prefix). The namespace
 * (REFSWARM_NAMESPACE, default "refswarm") lets several independent setups, or tests, share a Redis.
 */

export const DEFAULT_NAMESPACE = 'refswarm';

export interface RedisKeys {
  /** BullMQ `prefix` option for every Queue and Worker. */
  readonly queuePrefix: string;
  /** ZSET workerId → last heartbeat (shared-clock ms). */
  readonly workers: string;
  /** JSON WorkerAnnouncement, expiring unless refreshed. */
  worker(workerId: string): string;
  /** Stream of SessionEvent JSON (field EVENT_FIELD), kept for the retention time after the run. */
  runEvents(runId: string): string;
  /** Shared-clock epoch ms at which every session starts. */
  runStart(runId: string): string;
  /** Set when the coordinator asks the run's sessions to stop early. */
  runStop(runId: string): string;
  /** JSON: the run's masked config, dataset, assignment and timestamps, for `report --run-id`. */
  runMeta(runId: string): string;
  /** JSON {runId, name, startedAt} of the run holding `database`: SET NX PX, renewed while the run lives. */
  runLock(database: string): string;
  /** A run that went ahead with --allow-concurrent-runs while another held the lock. */
  runLockGuest(database: string, runId: string): string;
  /** SET of the JSON {runId, name, startedAt} of every guest that went ahead while `runId` held the lock. */
  runGuests(runId: string): string;
}

export function redisKeys(namespace: string = DEFAULT_NAMESPACE): RedisKeys {
  const tag = `{${namespace}}`;
  return {
    queuePrefix: tag,
    workers: `${tag}:workers`,
    worker: (workerId) => `${tag}:worker:${workerId}`,
    runEvents: (runId) => `${tag}:run:${runId}:events`,
    runStart: (runId) => `${tag}:run:${runId}:start`,
    runStop: (runId) => `${tag}:run:${runId}:stop`,
    runMeta: (runId) => `${tag}:run:${runId}:meta`,
    runLock: (database) => `${tag}:lock:${database}`,
    runLockGuest: (database, runId) => `${tag}:lock:${database}:guest:${runId}`,
    runGuests: (runId) => `${tag}:run:${runId}:guests`,
  };
}

/** Each worker consumes its own queue; the coordinator assigns sessions to live workers. */
export function workerQueueName(workerId: string): string {
  return `sessions-${workerId}`;
}

/** Event stream field name. */
export const EVENT_FIELD = 'm';

export const HEARTBEAT_INTERVAL_MS = 1000;
/**
 * A worker whose heartbeat is older than this is gone; its unfinished sessions are lost. Generous,
 * because a worker saturating its CPU (seen with 256 sessions on 2 cores) can miss several beats.
 */
export const HEARTBEAT_TIMEOUT_MS = 10_000;
/** How long a run's events stay in Redis after it ends (REFSWARM_RETENTION overrides). */
export const DEFAULT_RETENTION_MS = 24 * 3600 * 1000;
