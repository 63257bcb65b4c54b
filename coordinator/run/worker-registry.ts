import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError, MalformedJobError, RunFailedError } from '../../shared/errors.ts';
import { parseWorkerAnnouncement } from '../../shared/protocol/message-validation.ts';
import type { WorkerAnnouncement } from '../../shared/protocol/messages.ts';
import type { SharedClock } from '../../shared/redis-clock.ts';
import { HEARTBEAT_TIMEOUT_MS, type RedisKeys } from '../../shared/protocol/redis-keys.ts';
import { totalCapacity } from './session-assignment.ts';

/** The workers alive right now, as their heartbeats in Redis say. */

export interface LiveWorker {
  readonly announcement: WorkerAnnouncement;
  /** Shared-clock ms of its last heartbeat. */
  readonly heartbeatMs: number;
}

export async function liveWorkers(redis: Redis, keys: RedisKeys, nowMs: number): Promise<LiveWorker[]> {
  const entries = await redis.zrangebyscore(keys.workers, nowMs - HEARTBEAT_TIMEOUT_MS, '+inf', 'WITHSCORES');
  const ids: string[] = [];
  const beats: number[] = [];
  for (let i = 0; i < entries.length; i += 2) {
    ids.push(entries[i]);
    beats.push(Number(entries[i + 1]));
  }
  if (ids.length === 0) return [];
  const raw = await redis.mget(ids.map((id) => keys.worker(id)));
  const workers: LiveWorker[] = [];
  raw.forEach((text, i) => {
    if (text === null) return;
    try {
      workers.push({ announcement: parseWorkerAnnouncement(text), heartbeatMs: beats[i] });
    } catch (error) {
      // A worker of another protocol version is not one we can give sessions to.
      if (!(error instanceof MalformedJobError)) throw error;
    }
  });
  return workers.sort((a, b) => a.announcement.workerId.localeCompare(b.announcement.workerId));
}

/** Worker id → shared-clock ms of its last heartbeat (absent when it never beat or was removed). */
export async function heartbeats(redis: Redis, keys: RedisKeys, workerIds: readonly string[]): Promise<Map<string, number>> {
  const scores = await redis.zmscore(keys.workers, ...workerIds);
  const beats = new Map<string, number>();
  workerIds.forEach((id, i) => {
    if (scores[i] !== null) beats.set(id, Number(scores[i]));
  });
  return beats;
}

export interface CapacityRequest {
  readonly sessions: number;
  readonly waitMs: number;
  /** Only these workers count (the run's local workers); all live ones otherwise. */
  readonly onlyIds?: ReadonlySet<string>;
  /** Wait for at least this many workers even when fewer have the capacity (local workers: all of them). */
  readonly minWorkers?: number;
  readonly signal: AbortSignal;
  readonly pollMs?: number;
  /** Called while waiting with what is there so far. */
  readonly onWait?: (workers: number, capacity: number) => void;
  /** Called on each poll; throwing stops the wait (e.g. a local worker exited). */
  readonly check?: () => void;
}

/**
 * Waits up to `waitMs` until the live workers have a slot for every session; a run whose sessions
 * queued behind each other would not test the concurrency it claims.
 */
export async function waitForCapacity(redis: Redis, keys: RedisKeys, clock: SharedClock, request: CapacityRequest): Promise<LiveWorker[]> {
  const deadline = clock.now() + request.waitMs;
  for (;;) {
    request.check?.();
    const workers = (await liveWorkers(redis, keys, clock.now())).filter(
      (w) => request.onlyIds === undefined || request.onlyIds.has(w.announcement.workerId),
    );
    const capacity = totalCapacity(workers.map((w) => ({ id: w.announcement.workerId, capacity: w.announcement.concurrency })));
    if (capacity >= request.sessions && workers.length >= (request.minWorkers ?? 1)) return workers;
    if (request.signal.aborted) throw new RunFailedError('interrupted while waiting for workers');
    if (clock.now() >= deadline) {
      throw new ConfigurationError(
        `not enough worker capacity: ${request.sessions} sessions need ${request.sessions} slots, found ${capacity} on ${workers.length} ` +
          `worker${workers.length === 1 ? '' : 's'} after ${request.waitMs / 1000}s: start more "refswarm worker" processes, ` +
          `raise their --concurrency, or use --local-workers`,
      );
    }
    request.onWait?.(workers.length, capacity);
    await sleep(request.pollMs ?? 250, undefined, { signal: request.signal }).catch(() => undefined);
  }
}
