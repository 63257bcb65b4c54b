/**
 * Every Redis key and BullMQ queue name refswarm uses, under one hash tag so that a Redis Cluster
 * keeps them in one slot (BullMQ's own advice for clusters: a braced prefix).
 */

export const HASH_TAG_PREFIX = '{refswarm}';

/** BullMQ `prefix` option for every Queue and Worker. */
export const QUEUE_PREFIX = HASH_TAG_PREFIX;

/** Each worker consumes its own queue; the coordinator assigns sessions to live workers. */
export function workerQueueName(workerId: string): string {
  return `sessions-${workerId}`;
}

export const redisKeys = {
  /** ZSET workerId → last heartbeat (shared-clock ms). */
  workers: `${HASH_TAG_PREFIX}:workers`,
  /** JSON WorkerAnnouncement, expiring unless refreshed. */
  worker: (workerId: string) => `${HASH_TAG_PREFIX}:worker:${workerId}`,
  /** Stream of SessionEvent JSON (field "m"), kept for the retention time after the run. */
  runEvents: (runId: string) => `${HASH_TAG_PREFIX}:run:${runId}:events`,
  /** Shared-clock epoch ms at which every session starts. */
  runStart: (runId: string) => `${HASH_TAG_PREFIX}:run:${runId}:start`,
  /** Set when the coordinator asks the run's sessions to stop early. */
  runStop: (runId: string) => `${HASH_TAG_PREFIX}:run:${runId}:stop`,
  /** JSON: the run's masked config, dataset, assignment and timestamps, for `report --run-id`. */
  runMeta: (runId: string) => `${HASH_TAG_PREFIX}:run:${runId}:meta`,
} as const;

/** Event stream field name. */
export const EVENT_FIELD = 'm';

export const HEARTBEAT_INTERVAL_MS = 1000;
/** A worker whose heartbeat is older than this is gone; its unfinished sessions are lost. */
export const HEARTBEAT_TIMEOUT_MS = 4000;
/** How long a run's events stay in Redis after it ends (configurable with REFSWARM_RETENTION). */
export const DEFAULT_RETENTION_MS = 24 * 3600 * 1000;
