import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDatabase } from '../../shared/connection.ts';
import { ConfigurationError, MalformedJobError } from '../../shared/errors.ts';
import { parseRunEvent } from '../../shared/protocol/message-validation.ts';
import { runApplicationTag, sessionIdsOf } from '../../shared/protocol/messages.ts';
import { EVENT_FIELD, HEARTBEAT_TIMEOUT_MS, redisKeys, type RedisKeys } from '../../shared/protocol/redis-keys.ts';
import { measureSharedClock } from '../../shared/redis-clock.ts';
import { connectRedis } from '../../shared/redis-connect.ts';
import { runEnvironmentFrom } from '../../shared/run-environment.ts';
import type { DashboardOptions } from '../config/dashboard-flags.ts';
import { parseRunMeta, type RunMeta } from '../results/run-meta.ts';
import { heartbeats } from '../run/worker-registry.ts';
import { watchDatabase } from './database-watch.ts';
import { LiveRun } from './live-run.ts';
import { startLiveServer } from './live-server.ts';

/**
 * `refswarm watch`: the live dashboard of a run another coordinator started, from what Redis holds
 * (docs/architecture.md#live-view): its run meta, its start instant and its event stream, read from
 * the beginning, so that a watcher started late still shows the whole run. A session whose worker
 * stopped beating for HEARTBEAT_TIMEOUT_MS is shown lost, as the coordinator would declare it. The
 * view ends when every session sent `done` or was lost; integrity and report.html belong to the
 * coordinator that ran it and are not shown.
 */

export interface WatchOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Default: the newest run in the namespace. */
  readonly runId?: string;
  readonly dashboard: DashboardOptions;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
}

const READ_BLOCK_MS = 1000;

export async function watchRun(options: WatchOptions): Promise<void> {
  const environment = runEnvironmentFrom(options.env);
  const keys = redisKeys(environment.namespace);
  const redis = await connectRedis(environment.connection.redisUrl, { connectionName: 'refswarm-watch' });
  const blocking = await connectRedis(environment.connection.redisUrl, { connectionName: 'refswarm-watch-events' });
  try {
    const runId = options.runId ?? (await newestRunId(redis, keys, environment.namespace));
    const metaText = await redis.get(keys.runMeta(runId));
    if (metaText === null) {
      throw new ConfigurationError(`Redis holds nothing for run ${runId} in namespace "${environment.namespace}": check --run-id and REFSWARM_NAMESPACE, or the run ended longer ago than REFSWARM_RETENTION`);
    }
    const meta = parseRunMeta(metaText, runId);
    const clock = await measureSharedClock(redis);
    const live = new LiveRun({
      runId,
      name: meta.config.name,
      scenario: meta.config.workload.scenario.scenario,
      strategy: meta.config.workload.strategy,
      shape: meta.config.workload.shape,
      sessions: meta.config.sessions,
      intervalMs: meta.intervalMs,
      assignment: meta.assignment,
    });
    const database = watchDatabase(withDatabase(environment.connection.databaseUrl, meta.config.databaseName), runApplicationTag(runId));
    const server = await startLiveServer({
      host: options.dashboard.host,
      port: options.dashboard.port,
      run: () => live,
      now: () => clock.now(),
      database: () => database,
    });
    options.stderr.write(`watching run ${runId} (${meta.config.name}): ${server.url} (metrics: ${server.url}metrics)\n`);
    try {
      const ended = await follow(live, meta, { redis, blocking, keys, now: () => clock.now(), signal: options.signal });
      live.finish(ended);
      await server.flush();
      if (!options.signal.aborted) {
        options.stderr.write(`run ${runId} ${ended.status}; serving its end for ${Math.round(options.dashboard.lingerMs / 1000)} s more (Ctrl-C ends it)\n`);
        await sleep(options.dashboard.lingerMs, undefined, { signal: options.signal }).catch(() => undefined);
      }
    } finally {
      await server.close();
    }
  } finally {
    await blocking.quit().catch(() => undefined);
    await redis.quit().catch(() => undefined);
  }
}

interface Follow {
  readonly redis: Redis;
  readonly blocking: Redis;
  readonly keys: RedisKeys;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

/** Reads the run's stream into `live` until every session ended (or the watcher is stopped). */
async function follow(live: LiveRun, meta: RunMeta, f: Follow): Promise<{ status: 'completed' | 'incomplete'; problem?: string }> {
  const sessions = meta.config.sessions;
  const done = new Set<number>();
  const notOk = new Set<number>();
  const lost = new Set<number>();
  let started = false;
  let lastId = '0-0';
  const workers = [...new Set(meta.assignment)];
  while (!f.signal.aborted && done.size + lost.size < sessions) {
    if (!started) {
      const start = await f.redis.get(f.keys.runStart(meta.runId));
      if (start !== null) {
        live.start(Number(start));
        started = true;
      }
    }
    const reply = await f.blocking.xread('COUNT', 2000, 'BLOCK', READ_BLOCK_MS, 'STREAMS', f.keys.runEvents(meta.runId), lastId);
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        lastId = id;
        const at = fields.indexOf(EVENT_FIELD);
        try {
          const event = parseRunEvent(at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : '');
          // Workers' health is not shown here.
          if (event.type === 'health' || event.runId !== meta.runId || sessionIdsOf(event).some((s) => s >= sessions)) continue;
          live.addEvent({ event, atMs: Number(id.slice(0, id.indexOf('-'))) });
          if (event.type === 'done') {
            done.add(event.sessionId);
            lost.delete(event.sessionId);
            if (event.status !== 'completed') notOk.add(event.sessionId);
          }
        } catch (error) {
          if (!(error instanceof MalformedJobError)) throw error;
        }
      }
    }
    // A worker silent for the heartbeat timeout has lost its unfinished sessions.
    const beats = await heartbeats(f.redis, f.keys, workers);
    const now = f.now();
    meta.assignment.forEach((worker, session) => {
      const beat = beats.get(worker);
      if (!done.has(session) && started && (beat === undefined || now - beat > HEARTBEAT_TIMEOUT_MS)) lost.add(session);
    });
    live.setLost(lost);
  }
  if (f.signal.aborted && done.size + lost.size < sessions) return { status: 'incomplete', problem: 'the watcher was stopped before the run ended' };
  const problems = [...(notOk.size > 0 ? [`${notOk.size} sessions did not complete`] : []), ...(lost.size > 0 ? [`${lost.size} sessions lost`] : [])];
  return problems.length === 0 ? { status: 'completed' } : { status: 'incomplete', problem: problems.join(', ') };
}

/** The run whose meta was written last, among those Redis still holds in this namespace. */
async function newestRunId(redis: Redis, keys: RedisKeys, namespace: string): Promise<string> {
  const pattern = keys.runMeta('*');
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern.replace(/[{}]/g, '\\$&'), 'COUNT', 500);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  let newest: { runId: string; createdAt: string } | undefined;
  for (const key of found) {
    const text = await redis.get(key);
    if (text === null) continue;
    try {
      const { runId, createdAt } = JSON.parse(text) as { runId?: unknown; createdAt?: unknown };
      if (typeof runId !== 'string' || typeof createdAt !== 'string') continue;
      if (!newest || createdAt > newest.createdAt) newest = { runId, createdAt };
    } catch {
      continue;
    }
  }
  if (!newest) throw new ConfigurationError(`Redis holds no run in namespace "${namespace}": start one with refswarm run, or set REFSWARM_NAMESPACE to the run's`);
  return newest.runId;
}
