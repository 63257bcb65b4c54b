import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hostInfo } from '../shared/host-info.ts';
import { withDatabase, type ConnectionSettings } from '../shared/connection.ts';
import { MalformedJobError } from '../shared/errors.ts';
import { parseSessionJob } from '../shared/protocol/message-validation.ts';
import { PROTOCOL_VERSION, type SessionDone, type WorkerAnnouncement } from '../shared/protocol/messages.ts';
import { measureSharedClock, type SharedClock } from '../shared/redis-clock.ts';
import { connectRedis } from '../shared/redis-connect.ts';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, redisKeys, workerQueueName, type RedisKeys } from '../shared/protocol/redis-keys.ts';
import { createOperationStream } from '../shared/workload/operation-stream.ts';
import { expireQueueKeys, queueExpiryRenewalMs } from '../shared/protocol/queue-expiry.ts';
import { EventPublisher } from './event-publisher.ts';
import { IntervalMerger } from './interval-merger.ts';
import { executeOperation } from './operation-executor.ts';
import { readBackDigests } from './write-read-back.ts';
import { RunStartWatcher } from './run-start-watcher.ts';
import { runSession, type SessionEnvironment, type WorkloadModel } from './session.ts';
import { IDLE_CONNECTION, SessionConnection } from './session-connection.ts';
import { WorkerHealthReporter } from './worker-health-reporter.ts';

/**
 * A worker process: consumes its own BullMQ queue (the coordinator assigns sessions to workers, so
 * capacity is real and load spreads deterministically), one job = one session, up to `concurrency`
 * at once; keeps its registry entry alive with heartbeats on the shared clock. A job is never re-run:
 * a session whose worker died is lost (maxStalledCount 0 moves a stalled job to failed).
 */

export interface WorkerProcessOptions {
  readonly workerId: string;
  readonly concurrency: number;
  readonly connection: ConnectionSettings;
  readonly namespace: string;
  readonly retentionMs: number;
  log(line: string): void;
  /** Replaces the workload model (tests); defaults to the real operation stream and executor. */
  readonly workloadModel?: WorkloadModel;
}

export interface WorkerProcess {
  readonly workerId: string;
  readonly announcement: WorkerAnnouncement;
  /** Sessions running now. */
  readonly activeSessions: number;
  /**
   * Stops taking jobs, asks running sessions to end (they send `done` with status "aborted"),
   * removes the registry entries and the worker's own queue, closes connections. Idempotent.
   */
  stop(): Promise<void>;
  /** Resolves when the process can no longer work (a fatal error): the command then stops it. */
  readonly failed: Promise<Error>;
}

const REGISTRY_REMOVAL_BOUND_MS = 2000;
/**
 * BullMQ's lock on a running session job. Only this worker consumes its queue, so BullMQ's stalled
 * check can only ever catch this worker itself renewing late (a dead worker is found by its missing
 * heartbeats). With the default 30 s, 500 sessions on a starved event loop missed their renewals and
 * BullMQ failed thousands of live session jobs (bench:scale at 10,000 sessions): a long lock keeps
 * the check for a worker restarted under the same --id without those false losses.
 */
export const SESSION_JOB_LOCK_MS = 5 * 60_000;

export const DEFAULT_WORKLOAD_MODEL: WorkloadModel = { createOperationStream, executeOperation, readBackDigests };

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { workerId, log } = options;
  const keys = redisKeys(options.namespace);
  const queueName = workerQueueName(workerId);
  const opened: Redis[] = [];
  const connect = async (role: string, autoPipelining = false): Promise<Redis> => {
    const redis = await connectRedis(options.connection.redisUrl, { connectionName: `refswarm-${role}-${workerId}`, autoPipelining, namespace: options.namespace });
    opened.push(redis);
    return redis;
  };
  const disconnectAll = (): void => {
    for (const redis of opened) redis.disconnect();
  };
  try {
    const commands = await connect('worker');
    const events = await connect('events', true);
    const queueConnection = await connect('queue');
    const clock = await measureSharedClock(commands);
    const publisher = new EventPublisher(events, keys, options.retentionMs);
    const intervals = new IntervalMerger(workerId, (event) => publisher.publish(event), log);
    const watcher = new RunStartWatcher(commands, keys, clock, log);
    const stopping = new AbortController();
    let active = 0;

    const environment: SessionEnvironment = {
      workerId,
      clock,
      workloadModel: options.workloadModel ?? DEFAULT_WORKLOAD_MODEL,
      connect: (job, signal) =>
        job.workload.scenario.scenario === 'idle'
          ? Promise.resolve(IDLE_CONNECTION)
          : SessionConnection.open(withDatabase(options.connection.databaseUrl, job.database), job.applicationName, signal),
      publish: (event) => {
        // A session's last interval goes before its `done`, on the same connection: in stream order.
        if (event.type === 'done') intervals.flushRun(event.runId);
        return publisher.publish(event);
      },
      handOverInterval: (handover) => intervals.add(handover),
      joinRun: (runId) => watcher.join(runId),
      stopping: stopping.signal,
      log,
    };

    const health = new WorkerHealthReporter({
      workerId,
      clock,
      joinRun: (runId) => watcher.join(runId),
      publish: (event) => publisher.publish(event),
      log,
    });

    const processSession = async (job: Job): Promise<Pick<SessionDone, 'status'>> => {
      const sessionJob = parseSessionJob(job.data);
      active++;
      const leave = health.enter(sessionJob);
      try {
        const done = await runSession(sessionJob, environment);
        return { status: done.status };
      } finally {
        active--;
        leave();
      }
    };

    const worker = new Worker(queueName, processSession, {
      connection: queueConnection,
      prefix: keys.queuePrefix,
      concurrency: options.concurrency,
      maxStalledCount: 0,
      lockDuration: SESSION_JOB_LOCK_MS,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
      autorun: false,
    });
    let failWith!: (error: Error) => void;
    const failed = new Promise<Error>((resolve) => (failWith = resolve));
    worker.on('failed', (job, error) => {
      const kind = error.name === MalformedJobError.name ? 'malformed job rejected' : 'session job failed';
      log(`${kind}: ${job ? `job ${job.id}` : 'a job'}: ${error.message}`);
    });
    worker.on('error', (error) => log(`queue error: ${error.message}`));
    void worker.run().catch((error: Error) => failWith(error));
    await worker.waitUntilReady();

    const host = hostInfo();
    const announcement: WorkerAnnouncement = {
      protocol: PROTOCOL_VERSION,
      workerId,
      host: host.host,
      pid: process.pid,
      concurrency: options.concurrency,
      queue: queueName,
      version: host.refswarmVersion,
      startedAt: new Date().toISOString(),
      cpus: host.cpus,
      ...(host.cpuModel === undefined ? {} : { cpuModel: host.cpuModel.slice(0, 255) }),
      memoryBytes: host.memoryBytes,
      nodeVersion: host.nodeVersion,
      ...(host.gitCommit === undefined ? {} : { gitCommit: host.gitCommit }),
    };
    const heartbeat = startHeartbeat(commands, keys, clock, announcement, options.retentionMs, log);

    let stopped: Promise<void> | undefined;
    const stop = async (): Promise<void> => {
      stopping.abort();
      await worker.close();
      intervals.flush();
      heartbeat.stop();
      await withBound(removeFromRegistry(commands, keys, workerId, queueName), REGISTRY_REMOVAL_BOUND_MS);
      disconnectAll();
    };
    return {
      workerId,
      announcement,
      get activeSessions() {
        return active;
      },
      stop: () => (stopped ??= stop()),
      failed,
    };
  } catch (error) {
    disconnectAll();
    throw error;
  }
}

interface Heartbeat {
  stop(): void;
}

/**
 * Every HEARTBEAT_INTERVAL_MS: ZADD to the registry at shared-clock now, refresh the announcement,
 * and renew the expiry (the retention time) of the registry; every queueExpiryRenewalMs, that of
 * this worker's queue keys, so that nothing of a worker that died stays in Redis longer than that.
 * The queue keys' renewal (a SCAN of the whole keyspace) runs beside the beats, never holding one
 * back: a worker whose next beat waited on it could be judged gone.
 */
function startHeartbeat(
  redis: Redis,
  keys: RedisKeys,
  clock: SharedClock,
  announcement: WorkerAnnouncement,
  retentionMs: number,
  log: (line: string) => void,
): Heartbeat {
  const json = JSON.stringify(announcement);
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  let failing = false;
  const renewalMs = queueExpiryRenewalMs(retentionMs, HEARTBEAT_INTERVAL_MS);
  let renewal: Promise<void> | undefined;
  let renewalStartedAt = Number.NEGATIVE_INFINITY;
  const renewQueueExpiry = (): void => {
    if (!running || renewal !== undefined || performance.now() - renewalStartedAt < renewalMs) return;
    renewalStartedAt = performance.now();
    renewal = expireQueueKeys(redis, keys, announcement.workerId, retentionMs)
      // Once stopped, the connection may close under a renewal still under way: that is no failure.
      .catch((error: unknown) => {
        if (running) log(`renewing the queue keys' expiry failed: ${(error as Error).message}`);
      })
      .finally(() => (renewal = undefined));
  };
  const beat = async (): Promise<void> => {
    try {
      await redis
        .multi()
        .zadd(keys.workers, Math.round(clock.now()), announcement.workerId)
        .set(keys.worker(announcement.workerId), json, 'PX', HEARTBEAT_TIMEOUT_MS)
        .pexpire(keys.workers, retentionMs)
        .exec();
      renewQueueExpiry();
      if (failing) log('heartbeat restored');
      failing = false;
    } catch (error) {
      if (!failing) log(`heartbeat failed: ${(error as Error).message}`);
      failing = true;
    }
    if (running) timer = setTimeout(beat, HEARTBEAT_INTERVAL_MS);
  };
  void beat();
  return {
    stop() {
      running = false;
      clearTimeout(timer);
    },
  };
}

async function removeFromRegistry(redis: Redis, keys: RedisKeys, workerId: string, queueName: string): Promise<void> {
  await redis.multi().zrem(keys.workers, workerId).del(keys.worker(workerId)).exec();
  const queue = new Queue(queueName, { connection: redis, prefix: keys.queuePrefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

async function withBound(work: Promise<unknown>, boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
  clearTimeout(timer);
}
