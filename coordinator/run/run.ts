import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { uuidv7 } from 'uuidv7';
import type { DatasetShape } from '../../shared/dataset.ts';
import { ConfigurationError, RunFailedError } from '../../shared/errors.ts';
import { PROTOCOL_VERSION, runApplicationTag, sessionApplicationName, type SessionJob } from '../../shared/protocol/messages.ts';
import { connectPg } from '../../shared/pg-connect.ts';
import { measureSharedClock, type SharedClock } from '../../shared/redis-clock.ts';
import type { Histogram } from '../../shared/histogram.ts';
import { connectRedis } from '../../shared/redis-connect.ts';
import { HEARTBEAT_TIMEOUT_MS, redisKeys, workerQueueName, type RedisKeys } from '../../shared/protocol/redis-keys.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import { EventCollector } from './event-collector.ts';
import { createLiveProgress } from './live-progress.ts';
import { startLocalWorkers, type LocalWorkers } from './local-workers.ts';
import { readSetupId, requireDataset } from '../database/manifest.ts';
import { watchDatabaseIdentity } from './database-identity.ts';
import { RunAggregator, type TimedEvent } from './run-aggregate.ts';
import type { RunEnvironment } from '../../shared/run-environment.ts';
import type { RunObserver, RunObserverContext } from '../observe/run-observers.ts';
import { finishRun, type FinishedRun } from './finish-run.ts';
import type { RunMeta } from '../results/run-meta.ts';
import { assignSessions, type SessionAssignment } from './session-assignment.ts';
import { heartbeats, waitForCapacity } from './worker-registry.ts';
import { workloadProblems } from '../config/workload-fit.ts';
import { assertResultsRootWritable } from '../results/results-root.ts';
import { sharedDatabaseNote } from '../results/summary.ts';
import { acquireRunLock } from './run-lock.ts';
import { join } from 'node:path';
import { IntervalLogFile } from '../results/interval-log-file.ts';
import { INTERVAL_LOG_FILE_NAME } from '../results/report-files.ts';
import { discardResults, openResults, type ResultsDraft } from '../results/results-writer.ts';
import { deleteQueueKeys, expireQueueKeys } from '../../shared/protocol/queue-expiry.ts';
import { hostInfo } from '../../shared/host-info.ts';
import { sampleHealthPerInterval } from '../../shared/interval-health.ts';
import { readEnvironment } from '../observe/environment.ts';
import { GeneratorHealth } from './generator-health.ts';

/**
 * One run (docs/architecture.md#data-flow): check the database and the workers, enqueue one job per
 * session, start all sessions at one shared-clock instant, collect what they send, merge, write the
 * results. Used by `refswarm run`, `demo` and `sweep`.
 */

export interface RunIo {
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on Ctrl-C: the sessions are asked to stop, and what they sent is still written. */
  readonly signal: AbortSignal;
  /** Follows the run as it goes (the live dashboard, coordinator/live/); nothing else depends on it. */
  readonly listener?: RunListener;
}

/** A subscription to a run in progress: what the collector reads, as it reads it. */
export interface RunListener {
  /** Sessions are assigned to workers and about to be enqueued. */
  onAssigned(run: { readonly runId: string; readonly config: RunConfig; readonly assignment: SessionAssignment; readonly applicationTag: string; readonly clock: SharedClock; readonly intervalMs: number }): Promise<void>;
  onStart(startAtMs: number): void;
  /** Every valid event, with its decoded latency histogram for intervals. */
  onEvent(timed: TimedEvent, latency: Histogram | undefined): void;
  /** After every read: the sessions declared lost so far. */
  onLost(lost: ReadonlyMap<number, string>): void;
}

export interface RunResult extends FinishedRun {
  /** The run was stopped early (signal) rather than ending by its limits. */
  readonly interrupted: boolean;
}

export const INTERVAL_MS = 1000;
/** Time between publishing the start instant and reaching it: workers must see it first. */
const START_LEAD_MS = 500;
/** How long sessions may take to connect before the run gives up on them. */
const CONNECT_BOUND_MS = 30_000;
/** After a stop request, how long sessions get to send their `done`. */
const STOP_BOUND_MS = 15_000;

export async function executeRun(
  config: RunConfig,
  environment: RunEnvironment,
  observers: readonly RunObserver[],
  io: RunIo,
): Promise<RunResult> {
  const { connection } = environment;
  const keys = redisKeys(environment.namespace);
  const runId = uuidv7();
  const resources = new Resources();
  const progress = createLiveProgress(io.stderr, observers, () => startAtMs);
  let startAtMs: number | undefined;
  let stopSessions: (() => Promise<unknown>) | undefined;
  let observed = false;
  let results: { draft: ResultsDraft; intervalLog: IntervalLogFile } | undefined;
  try {
    await assertResultsRootWritable(config.resultsRoot);
    const client = resources.pg(await connectPg(connection.databaseUrl, 'refswarm-coordinator'));
    const manifest = await requireDataset(client, connection.databaseName);
    const dataset = manifest.shape;
    const problems = workloadProblems(config, { shape: dataset, mergeConstraint: manifest.mergeConstraint, schema: manifest.schema });
    if (problems.length > 0) throw new ConfigurationError(problems.join('; '));
    const identity = watchDatabaseIdentity(connection.databaseUrl, connection.databaseName, await readSetupId(client));
    resources.add(() => identity.stop());

    const redis = resources.redis(await connectRedis(connection.redisUrl, { connectionName: 'refswarm-coordinator', namespace: environment.namespace }));
    const blocking = resources.redis(await connectRedis(connection.redisUrl, { connectionName: 'refswarm-coordinator-events', namespace: environment.namespace }));
    const clock = await measureSharedClock(redis);
    const self = { runId, name: config.name, startedAt: new Date(clock.now()).toISOString() };
    const lock = await acquireRunLock(redis, keys, connection.databaseName, self, config.allowConcurrentRuns === true);
    resources.add(() => lock.release());

    await reapWorkersGoneLongerThan(redis, keys, clock.now(), environment.retentionMs);
    const local = config.localWorkers > 0 ? resources.local(startLocalWorkers(config.localWorkers, config.workerConcurrency, environment.workerEnv)) : undefined;
    const workers = await waitForCapacity(redis, keys, clock, {
      sessions: config.sessions,
      waitMs: config.waitWorkersMs,
      onlyIds: local ? new Set(local.ids) : undefined,
      minWorkers: local?.ids.length,
      signal: io.signal,
      check: () => local?.assertRunning(),
      onWait: (count, capacity) =>
        progress.status(
          local
            ? `starting ${config.localWorkers} local workers: ${count} ready`
            : `waiting for workers: ${count} with ${capacity} slots, ${config.sessions} needed`,
        ),
    });
    const assignment = assignSessions(
      config.sessions,
      workers.map((w) => ({ id: w.announcement.workerId, capacity: w.announcement.concurrency })),
    );
    const hosts = new Map(workers.map((w) => [w.announcement.workerId, w.announcement.host]));

    const context: RunObserverContext = {
      runId,
      config,
      dataset,
      distinctPairs: manifest.distinctPairs,
      schema: manifest.schema,
      databaseUrl: connection.databaseUrl,
      applicationTag: runApplicationTag(runId),
      signal: io.signal,
      clock,
    };
    // Ahead of the observers, so that its queries are not in the "before" snapshot's delta.
    const environmentSection = await readEnvironment(
      client,
      workers.map((w) => w.announcement).filter((a) => assignment.byWorker.has(a.workerId)),
      manifest.checksum,
    );
    for (const observer of observers) await observer.beforeRun?.(context);
    await io.listener?.onAssigned({ runId, config, assignment, applicationTag: context.applicationTag, clock, intervalMs: INTERVAL_MS });

    const jobPrefix = `${runId}_`;
    await redis.set(keys.runMeta(runId), JSON.stringify({ ...runMeta(runId, config, dataset, manifest.distinctPairs, assignment, hosts, clock.now()), schema: manifest.schema }), 'PX', environment.retentionMs);
    const queues = new Map<string, Queue>();
    // From here on, sessions may be running somewhere: however this function ends, it tells them to stop
    // (a session wrongly declared lost must not keep loading the server after the run).
    const stopRun = (): Promise<unknown> => redis.set(keys.runStop(runId), '1', 'PX', environment.retentionMs);
    stopSessions = stopRun;
    for (const [workerId, sessions] of assignment.byWorker) {
      const queue = resources.queue(new Queue(workerQueueName(workerId), { connection: redis, prefix: keys.queuePrefix }));
      queues.set(workerId, queue);
      await queue.addBulk(
        sessions.map((sessionId) => ({
          name: 'session',
          data: sessionJob(runId, sessionId, config, dataset),
          opts: { jobId: `${jobPrefix}${sessionId}`, attempts: 1, removeOnComplete: true, removeOnFail: { age: 3600 } },
        })),
      );
      // Until its worker's next beat renews them (or if it never does), the new keys expire by themselves.
      await expireQueueKeys(redis, keys, workerId, environment.retentionMs);
    }

    const aggregator = new RunAggregator(config.sessions);
    const onEvent = (timed: TimedEvent): void => {
      const latency = aggregator.add(timed);
      if (latency && (timed.event.type === 'interval' || timed.event.type === 'worker-interval')) progress.noteInterval(timed.event.counters, latency);
      io.listener?.onEvent(timed, latency);
    };
    const generator = new GeneratorHealth();
    const onHealth = generator.addWorker.bind(generator);
    const collector = new EventCollector({ redis: blocking, commands: redis, keys, clock, runId, sessions: config.sessions, assignment, queues, jobPrefix, onEvent, onHealth });
    const connectBoundMs = CONNECT_BOUND_MS + 20 * config.sessions;
    const connectDeadline = clock.now() + connectBoundMs;
    await collector.collect({
      done: () => collector.allReadyOrEnded() || clock.now() > connectDeadline || identity.change() !== undefined,
      signal: io.signal,
      afterRead: () => {
        local?.assertRunning();
        progress.status(`connecting sessions: ${collector.readyCount}/${config.sessions} ready`);
      },
    });
    const endIfRecreated = async (): Promise<void> => {
      const change = identity.change();
      if (change === undefined) return;
      await stopRun();
      const stopDeadline = clock.now() + STOP_BOUND_MS;
      await collector.collect({ done: () => collector.allEnded() || clock.now() > stopDeadline });
      throw new RunFailedError(
        `${change}: the run stopped its sessions and wrote no results (they would mix two databases); set it up and load it again, then run again`,
      );
    };
    await endIfRecreated();
    if (!collector.allReadyOrEnded()) {
      await stopRun();
      if (io.signal.aborted) throw new RunFailedError('interrupted before the sessions started');
      throw new RunFailedError(
        `only ${collector.readyCount} of ${config.sessions} sessions connected to PostgreSQL within ${Math.round(connectBoundMs / 1000)}s: check the workers' DATABASE_URL and max_connections`,
      );
    }

    startAtMs = Math.ceil(clock.now() + START_LEAD_MS);
    // The results folder is opened now: intervals.hlog is written into it as intervals settle.
    const draft = await openResults(config.resultsRoot, config.name, runId, startAtMs, [INTERVAL_LOG_FILE_NAME]);
    const intervalLog = new IntervalLogFile(join(draft.temporary, INTERVAL_LOG_FILE_NAME), startAtMs);
    results = { draft, intervalLog };
    aggregator.streamIntervals(intervalLog, startAtMs, INTERVAL_MS);
    await redis.set(keys.runStart(runId), String(startAtMs), 'PX', environment.retentionMs);
    const ownHealth = sampleHealthPerInterval(clock, startAtMs, INTERVAL_MS, (index, sample) => generator.addCoordinator(index, sample));
    resources.add(async () => ownHealth.stop());
    for (const observer of observers) await observer.onStart?.(context, startAtMs);
    io.listener?.onStart(startAtMs);

    const afterRead = (): void => {
      progress.render(clock.now(), collector.activeCount);
      io.listener?.onLost(collector.lost);
    };
    await collector.collect({ done: () => collector.allEnded() || identity.change() !== undefined, signal: io.signal, afterRead });
    await endIfRecreated();
    const interrupted = io.signal.aborted && !collector.allEnded();
    if (interrupted) {
      await stopRun();
      const stopDeadline = clock.now() + STOP_BOUND_MS;
      await collector.collect({ done: () => collector.allEnded() || clock.now() > stopDeadline, afterRead });
      collector.loseUnfinished('the run was interrupted before the session ended');
      io.listener?.onLost(collector.lost);
    }
    const endAtMs = clock.now();
    ownHealth.stop();
    await collector.settle();
    progress.done();
    if (collector.malformed > 0) {
      io.stderr.write(`warning: ignored ${collector.malformed} malformed events (first: ${collector.firstMalformed})\n`);
    }

    let aggregate = aggregator.finish({
      runId,
      config,
      dataset: { ...dataset, distinctPairs: manifest.distinctPairs, schema: manifest.schema },
      assignment,
      hosts,
      startAtMs,
      endAtMs,
      intervalMs: INTERVAL_MS,
      lost: collector.lost,
    });
    await intervalLog.close();
    const generatorSection = generator.section(
      { startAtMs, recordFromMs: startAtMs + config.workload.limits.warmupMs, intervalMs: INTERVAL_MS },
      hosts,
      hostInfo().host,
    );
    aggregate = { ...aggregate, report: { ...aggregate.report, environment: environmentSection, ...(generatorSection ? { generator: generatorSection } : {}) } };
    const concurrentRuns = await lock.sharedWith();
    if (concurrentRuns.length > 0) {
      io.stderr.write(`warning: ${sharedDatabaseNote(concurrentRuns)}\n`);
      aggregate = { ...aggregate, report: { ...aggregate.report, concurrentRuns } };
    }
    observed = true;
    const finished = await finishRun(aggregate, draft, observers, context, { startAtMs, endAtMs, intervalMs: INTERVAL_MS }, io.stderr);
    await expireRunKeys(redis, keys, runId, environment.retentionMs);
    await forgetDeadWorkers(redis, keys, clock.now(), queues);
    return { ...finished, interrupted };
  } finally {
    progress.done();
    if (!observed) for (const observer of observers) await observer.abandon?.().catch(() => undefined);
    await stopSessions?.().catch(() => undefined);
    await resources.release();
    // A run that wrote its results has renamed the folder already: this removes only an unfinished one.
    if (results) {
      await results.intervalLog.close().catch(() => undefined);
      await discardResults(results.draft).catch(() => undefined);
    }
  }
}

function sessionJob(runId: string, sessionId: number, config: RunConfig, dataset: DatasetShape): SessionJob {
  return {
    protocol: PROTOCOL_VERSION,
    runId,
    sessionId,
    sessionCount: config.sessions,
    seed: config.seed,
    database: config.databaseName,
    applicationName: sessionApplicationName(runId, sessionId),
    workload: config.workload,
    dataset,
    intervalMs: INTERVAL_MS,
  };
}

/** What `report --run-id` needs to rebuild results if this coordinator dies. */
function runMeta(
  runId: string,
  config: RunConfig,
  dataset: DatasetShape,
  distinctPairs: boolean,
  assignment: SessionAssignment,
  hosts: ReadonlyMap<string, string>,
  createdAtMs: number,
): RunMeta {
  return {
    runId,
    config,
    dataset,
    distinctPairs,
    intervalMs: INTERVAL_MS,
    createdAt: new Date(createdAtMs).toISOString(),
    assignment: assignment.bySession,
    workers: [...assignment.byWorker.keys()].map((id) => ({ id, host: hosts.get(id) ?? '' })),
  };
}

async function expireRunKeys(redis: Redis, keys: RedisKeys, runId: string, retentionMs: number): Promise<void> {
  await redis
    .multi()
    .pexpire(keys.runEvents(runId), retentionMs)
    .pexpire(keys.runStart(runId), retentionMs)
    .pexpire(keys.runMeta(runId), retentionMs)
    .exec();
}

/**
 * A worker that died leaves its registry entry and its queue (with the run's failed jobs) behind:
 * remove them once it has been silent for a good while. A live worker re-adds itself on its next beat.
 */
async function forgetDeadWorkers(redis: Redis, keys: RedisKeys, nowMs: number, queues: ReadonlyMap<string, Queue>): Promise<void> {
  const silentSince = nowMs - 10 * HEARTBEAT_TIMEOUT_MS;
  const beats = await heartbeats(redis, keys, [...queues.keys()]);
  for (const [workerId, queue] of queues) {
    const beat = beats.get(workerId);
    if (beat === undefined || beat < silentSince) await queue.obliterate({ force: true }).catch(() => undefined);
  }
  await redis.zremrangebyscore(keys.workers, '-inf', silentSince);
}

/**
 * Workers silent for longer than the retention time: their queue keys are deleted (they expire by
 * themselves too; this also covers keys written before expiries existed) and their registry entries removed.
 */
async function reapWorkersGoneLongerThan(redis: Redis, keys: RedisKeys, nowMs: number, retentionMs: number): Promise<void> {
  const gone = await redis.zrangebyscore(keys.workers, '-inf', nowMs - retentionMs);
  for (const workerId of gone) {
    await deleteQueueKeys(redis, keys, workerId);
    await redis.multi().del(keys.worker(workerId)).zrem(keys.workers, workerId).exec();
  }
}

/** Everything a run opened, released in reverse order whatever happens. */
class Resources {
  private readonly releases: (() => Promise<unknown>)[] = [];

  pg(client: pg.Client): pg.Client {
    this.releases.push(() => client.end());
    return client;
  }

  redis(redis: Redis): Redis {
    this.releases.push(() => redis.quit());
    return redis;
  }

  queue(queue: Queue): Queue {
    this.releases.push(() => queue.close());
    return queue;
  }

  add(release: () => Promise<unknown>): void {
    this.releases.push(release);
  }

  local(workers: LocalWorkers): LocalWorkers {
    this.releases.push(() => workers.stop());
    return workers;
  }

  async release(): Promise<void> {
    for (const release of this.releases.reverse()) await release().catch(() => undefined);
    this.releases.length = 0;
  }
}

