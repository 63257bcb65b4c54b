import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { MalformedJobError } from '../../shared/errors.ts';
import { parseRunEvent } from '../../shared/protocol/message-validation.ts';
import { sessionIdsOf, type WorkerHealth } from '../../shared/protocol/messages.ts';
import type { SharedClock } from '../../shared/redis-clock.ts';
import { EVENT_FIELD, HEARTBEAT_TIMEOUT_MS, type RedisKeys } from '../../shared/protocol/redis-keys.ts';
import type { TimedEvent } from './run-aggregate.ts';
import type { SessionAssignment } from './session-assignment.ts';
import { heartbeats } from './worker-registry.ts';

/**
 * Reads a run's event stream, validates every entry, and keeps all that each session sent. A
 * session is lost when its worker's heartbeat is older than HEARTBEAT_TIMEOUT_MS (or gone) or its
 * BullMQ job failed; what it sent before is kept. Sessions are never re-run elsewhere.
 */

export interface CollectorOptions {
  /** A dedicated connection: XREAD BLOCK holds it. */
  readonly redis: Redis;
  /** A normal connection for heartbeat lookups. */
  readonly commands: Redis;
  readonly keys: RedisKeys;
  readonly clock: SharedClock;
  readonly runId: string;
  readonly sessions: number;
  readonly assignment: SessionAssignment;
  /** Worker id → its session queue, to find failed jobs. */
  readonly queues: ReadonlyMap<string, Queue>;
  /** BullMQ job id of session s: jobPrefix + s. */
  readonly jobPrefix: string;
  /** Every valid event, in stream order (the aggregate folds them in as they come). */
  readonly onEvent: (event: TimedEvent) => void;
  /** Every valid worker health event (docs/architecture.md#generator-health). */
  readonly onHealth?: (health: WorkerHealth) => void;
}

export interface CollectUntil {
  readonly done: () => boolean;
  readonly signal?: AbortSignal;
  /** Called after every read (live progress). */
  readonly afterRead?: () => void;
  readonly blockMs?: number;
}

const LIVENESS_EVERY_MS = 1000;

export class EventCollector {
  readonly lost = new Map<number, string>();
  /** Entries that failed validation: counted, first reason kept. */
  malformed = 0;
  firstMalformed: string | undefined;
  private readonly ready = new Set<number>();
  private readonly started = new Set<number>();
  private readonly done = new Set<number>();
  private lastId = '0-0';
  /** Worker id → stream time of its latest event: a worker that still sends events is alive. */
  private readonly lastSeen = new Map<string, number>();
  private lastLivenessCheck = -Infinity;

  constructor(private readonly options: CollectorOptions) {}

  get readyCount(): number {
    return this.ready.size;
  }

  get startedCount(): number {
    return this.started.size;
  }

  get doneCount(): number {
    return this.done.size;
  }

  /** Sessions that ended one way or another (done or lost). */
  get endedCount(): number {
    let ended = this.done.size;
    for (const s of this.lost.keys()) if (!this.done.has(s)) ended++;
    return ended;
  }

  /** Sessions running now: started, not ended. */
  get activeCount(): number {
    let active = 0;
    for (const s of this.started) if (!this.done.has(s) && !this.lost.has(s)) active++;
    return active;
  }

  isReadyOrEnded(sessionId: number): boolean {
    return this.ready.has(sessionId) || this.done.has(sessionId) || this.lost.has(sessionId);
  }

  allReadyOrEnded(): boolean {
    for (let s = 0; s < this.options.sessions; s++) if (!this.isReadyOrEnded(s)) return false;
    return true;
  }

  allEnded(): boolean {
    return this.endedCount >= this.options.sessions;
  }

  /** Sessions not yet ended, marked lost with the same reason (interrupted run, connect timeout). */
  loseUnfinished(reason: string): void {
    for (let s = 0; s < this.options.sessions; s++) {
      if (!this.done.has(s) && !this.lost.has(s)) this.lost.set(s, reason);
    }
  }

  async collect(until: CollectUntil): Promise<void> {
    while (!until.done() && !until.signal?.aborted) {
      await this.read(until.blockMs ?? 200);
      until.afterRead?.();
      if (this.options.clock.now() - this.lastLivenessCheck >= LIVENESS_EVERY_MS) {
        await this.detectLost();
        this.lastLivenessCheck = this.options.clock.now();
      }
    }
  }

  /** One XREAD (blocking up to blockMs; 0: don't block); returns how many valid events it brought. */
  async read(blockMs: number): Promise<number> {
    const key = this.options.keys.runEvents(this.options.runId);
    const reply =
      blockMs > 0
        ? await this.options.redis.xread('COUNT', 2000, 'BLOCK', blockMs, 'STREAMS', key, this.lastId)
        : await this.options.redis.xread('COUNT', 2000, 'STREAMS', key, this.lastId);
    let fresh = 0;
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        this.lastId = id;
        const raw = fieldValue(fields, EVENT_FIELD);
        const atMs = Number(id.slice(0, id.indexOf('-')));
        try {
          if (raw === undefined) throw new MalformedJobError(`stream entry ${id} has no "${EVENT_FIELD}" field`);
          const event = parseRunEvent(raw);
          if (event.type === 'health') {
            if (event.runId !== this.options.runId) throw new MalformedJobError(`health event for run ${event.runId} does not belong to this run`);
            this.lastSeen.set(event.workerId, Math.max(this.lastSeen.get(event.workerId) ?? 0, atMs));
            this.options.onHealth?.(event);
            fresh++;
            continue;
          }
          const outside = sessionIdsOf(event).find((s) => s >= this.options.sessions);
          if (event.runId !== this.options.runId || outside !== undefined) {
            throw new MalformedJobError(`event for run ${event.runId} session ${outside ?? sessionIdsOf(event)[0]} does not belong to this run`);
          }
          this.apply({ event, atMs });
          fresh++;
        } catch (error) {
          if (!(error instanceof MalformedJobError)) throw error;
          this.malformed++;
          this.firstMalformed ??= error.message;
        }
      }
    }
    return fresh;
  }

  private apply(timed: TimedEvent): void {
    const { event } = timed;
    this.options.onEvent(timed);
    this.lastSeen.set(event.workerId, Math.max(this.lastSeen.get(event.workerId) ?? 0, timed.atMs));
    if (event.type === 'worker-interval') return;
    if (event.type === 'ready') this.ready.add(event.sessionId);
    else if (event.type === 'started') this.started.add(event.sessionId);
    else if (event.type === 'done') {
      this.done.add(event.sessionId);
      // A late `done` wins over a loss declared meanwhile: the session did end and said so.
      this.lost.delete(event.sessionId);
    }
  }

  /** Marks lost the unfinished sessions of dead workers and of failed jobs. */
  async detectLost(): Promise<void> {
    const { assignment, clock, commands, keys } = this.options;
    const unfinished = new Map<string, number[]>();
    for (let s = 0; s < this.options.sessions; s++) {
      if (this.done.has(s) || this.lost.has(s)) continue;
      const worker = assignment.bySession[s];
      const list = unfinished.get(worker);
      if (list) list.push(s);
      else unfinished.set(worker, [s]);
    }
    if (unfinished.size === 0) return;
    const beats = await heartbeats(commands, keys, [...unfinished.keys()]);
    const failedJobs = await this.failedJobs([...unfinished.keys()]);
    // Drain what arrived meanwhile, so a worker that said `done` and then exited is not called lost.
    await this.read(0);
    const now = clock.now();
    for (const [worker, sessions] of unfinished) {
      const beat = beats.get(worker);
      // A heartbeat can lag on a saturated host while the worker's sessions still report: both count.
      const dead = beat === undefined || now - Math.max(beat, this.lastSeen.get(worker) ?? 0) > HEARTBEAT_TIMEOUT_MS;
      for (const s of sessions) {
        if (this.done.has(s)) continue;
        const failure = failedJobs.get(s);
        if (failure !== undefined) this.lost.set(s, `job failed on worker ${worker}: ${failure}`);
        else if (dead) {
          this.lost.set(s, beat === undefined ? `worker ${worker} left the registry` : `worker ${worker} stopped sending heartbeats`);
        }
      }
    }
  }

  private async failedJobs(workerIds: readonly string[]): Promise<Map<number, string>> {
    const failures = new Map<number, string>();
    const prefix = this.options.jobPrefix;
    for (const id of workerIds) {
      const queue = this.options.queues.get(id);
      if (!queue) continue;
      for (const job of await queue.getFailed(0, -1)) {
        if (job?.id?.startsWith(prefix)) failures.set(Number(job.id.slice(prefix.length)), job.failedReason || 'no reason given');
      }
    }
    return failures;
  }

  /** Waits for the stream to go quiet briefly, so the last intervals reach the aggregate. */
  async settle(ms = 100): Promise<void> {
    await sleep(ms);
    while ((await this.read(0)) > 0);
  }
}

function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
