import type { Redis } from 'ioredis';
import { join, resolve } from 'node:path';
import { connectionSettings } from '../../shared/connection.ts';
import { ConfigurationError, RunFailedError } from '../../shared/errors.ts';
import { parseRunEvent } from '../../shared/protocol/message-validation.ts';
import { runApplicationTag, sessionIdsOf, type WorkerHealth } from '../../shared/protocol/messages.ts';
import { measureSharedClock, type SharedClock } from '../../shared/redis-clock.ts';
import { connectRedis } from '../../shared/redis-connect.ts';
import { EVENT_FIELD, redisKeys, type RedisKeys } from '../../shared/protocol/redis-keys.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { RunReport } from './run-report.ts';
import { parseRunMeta, type RunMeta } from './run-meta.ts';
import { IntervalLogFile } from './interval-log-file.ts';
import { INTERVAL_LOG_FILE_NAME } from './report-files.ts';
import { discardResults, openResults } from './results-writer.ts';
import { fileSystemReason } from './results-root.ts';
import { integrityObserver } from '../observe/integrity.ts';
import { finishRun } from '../run/finish-run.ts';
import { aggregateRun, type TimedEvent } from '../run/run-aggregate.ts';
import { GeneratorHealth } from '../run/generator-health.ts';
import { runEnvironmentFrom } from '../../shared/run-environment.ts';
import type { RunObserver, RunObserverContext } from '../observe/run-observers.ts';
import type { SessionAssignment } from '../run/session-assignment.ts';

/**
 * `refswarm report --run-id ID`: when the coordinator died, the run's results are rebuilt from what
 * Redis still holds for the retention time (REFSWARM_RETENTION): the run meta the coordinator wrote
 * before enqueueing, the start instant, and every event the sessions sent. Sessions that never sent
 * `done` are lost. The integrity check runs again (it reads only the database); the statistics
 * snapshots and lock-wait samples lived in the dead coordinator and are absent.
 */

export interface RedisRunRecord {
  readonly meta: RunMeta;
  /** Shared-clock ms of the common start; undefined when the run never started. */
  readonly startAtMs: number | undefined;
  readonly events: readonly TimedEvent[];
  /** The workers' health events (docs/architecture.md#generator-health). */
  readonly health: readonly WorkerHealth[];
  readonly malformed: number;
}

export interface RebuiltRun {
  readonly directory: string;
  readonly report: RunReport;
  readonly malformed: number;
}

const PAGE = 2000;
export const LOST_WITHOUT_DONE = 'no "done" event in Redis: its worker or the run stopped before the session ended';

export async function readRunFromRedis(redis: Redis, keys: RedisKeys, runId: string, namespace: string): Promise<RedisRunRecord> {
  const metaText = await redis.get(keys.runMeta(runId));
  if (metaText === null) {
    throw new ConfigurationError(
      `Redis holds nothing for run ${runId} in namespace "${namespace}": it ended longer ago than the retention (REFSWARM_RETENTION), ran under another REFSWARM_NAMESPACE, or the id is wrong`,
    );
  }
  const meta = parseRunMeta(metaText, runId);
  const start = await redis.get(keys.runStart(runId));
  const events: TimedEvent[] = [];
  const health: WorkerHealth[] = [];
  let malformed = 0;
  let from = '-';
  for (;;) {
    const page = await redis.xrange(keys.runEvents(runId), from, '+', 'COUNT', PAGE);
    for (const [id, fields] of page) {
      const raw = fieldValue(fields, EVENT_FIELD);
      try {
        if (raw === undefined) throw new Error('no event field');
        const event = parseRunEvent(raw);
        if (event.runId !== runId) throw new Error('not this run');
        if (event.type === 'health') {
          health.push(event);
          continue;
        }
        if (sessionIdsOf(event).some((s) => s >= meta.config.sessions)) throw new Error('not this run');
        events.push({ event, atMs: Number(id.slice(0, id.indexOf('-'))) });
      } catch {
        malformed++;
      }
    }
    if (page.length < PAGE) break;
    from = `(${page[page.length - 1][0]}`;
  }
  return { meta, startAtMs: start === null ? undefined : Number(start), events, health, malformed };
}

function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Sessions without a `done` event, each with why it counts as lost. */
export function sessionsWithoutDone(sessions: number, events: readonly TimedEvent[]): Map<number, string> {
  const done = new Set(events.flatMap(({ event }) => (event.type === 'done' ? [event.sessionId] : [])));
  const lost = new Map<number, string>();
  for (let s = 0; s < sessions; s++) if (!done.has(s)) lost.set(s, LOST_WITHOUT_DONE);
  return lost;
}

function assignmentOf(bySession: readonly string[]): SessionAssignment {
  const byWorker = new Map<string, number[]>();
  bySession.forEach((worker, session) => {
    const list = byWorker.get(worker);
    if (list) list.push(session);
    else byWorker.set(worker, [session]);
  });
  return { bySession, byWorker };
}

export interface ReportFromRedisOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
  /** Observers to run again on the rebuilt outcome; by default the integrity check. */
  readonly observers?: readonly RunObserver[];
}

/** Rebuilds a run's results folder (and its perf_test_results row) from Redis. */
export async function reportFromRedis(runId: string, options: ReportFromRedisOptions): Promise<RebuiltRun> {
  const { env } = options;
  const { namespace, connection } = runEnvironmentFrom(env);
  const keys = redisKeys(namespace);
  const redis = await connectRedis(connection.redisUrl, { connectionName: 'refswarm-report', namespace });
  let record: RedisRunRecord;
  let clock: SharedClock;
  try {
    record = await readRunFromRedis(redis, keys, runId, namespace);
    clock = await measureSharedClock(redis);
  } finally {
    await redis.quit().catch(() => undefined);
  }
  const { meta, events } = record;
  if (record.startAtMs === undefined) {
    throw new ConfigurationError(`run ${runId} never started (no start instant in Redis): there is nothing to report`);
  }
  const startAtMs = record.startAtMs;
  // A loop, not Math.max(...events): a large run's events overflow the argument stack.
  let endAtMs = startAtMs;
  for (const e of events) if (e.atMs > endAtMs) endAtMs = e.atMs;
  const config: RunConfig = { ...meta.config, resultsRoot: resolve(env.RESULTS_DIR || 'results') };
  const hosts = new Map(meta.workers.map((w) => [w.id, w.host]));
  const draft = await openResults(config.resultsRoot, config.name, runId, startAtMs, [INTERVAL_LOG_FILE_NAME]).catch((error: unknown) => {
    throw new RunFailedError(`could not write the results under "${config.resultsRoot}": ${fileSystemReason(error)} (RESULTS_DIR=<a writable folder> to write them elsewhere)`);
  });
  const intervalLog = new IntervalLogFile(join(draft.temporary, INTERVAL_LOG_FILE_NAME), startAtMs);
  try {
    const built = aggregateRun(
      {
        runId,
        config,
        dataset: { ...meta.dataset, distinctPairs: meta.distinctPairs === true, schema: meta.schema },
        assignment: assignmentOf(meta.assignment),
        hosts,
        startAtMs,
        endAtMs,
        intervalMs: meta.intervalMs,
        events,
        lost: sessionsWithoutDone(meta.config.sessions, events),
      },
      intervalLog,
    );
    await intervalLog.close();
    // The coordinator's own health died with it: the workers' is in the stream.
    const generator = new GeneratorHealth();
    for (const h of record.health) generator.addWorker(h);
    const generatorSection = generator.section({ startAtMs, recordFromMs: startAtMs + config.workload.limits.warmupMs, intervalMs: meta.intervalMs }, hosts, '');
    const aggregate = generatorSection ? { ...built, report: { ...built.report, generator: generatorSection } } : built;

    const database = connectionSettings(env, meta.config.databaseName);
    const context: RunObserverContext = {
      runId,
      config,
      dataset: meta.dataset,
      distinctPairs: meta.distinctPairs === true,
      schema: meta.schema,
      databaseUrl: database.databaseUrl,
      applicationTag: runApplicationTag(runId),
      signal: options.signal,
      clock,
    };
    const finished = await finishRun(
      aggregate,
      draft,
      options.observers ?? [integrityObserver()],
      context,
      { startAtMs, endAtMs, intervalMs: meta.intervalMs },
      options.stderr,
    );
    return { directory: finished.directory, report: finished.report, malformed: record.malformed };
  } finally {
    // Once the results are in place the draft is gone: this removes only an unfinished one.
    await intervalLog.close().catch(() => undefined);
    await discardResults(draft).catch(() => undefined);
  }
}
