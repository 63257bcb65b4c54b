import type pg from 'pg';
import type { SharedClock } from '../../shared/redis-clock.ts';
import { loadSql } from '../../shared/sql.ts';
import { parseSqlTag } from '../../shared/workload/sql-tag.ts';
import { TransactionTags } from './transaction-tags.ts';
import { isWaitingOnLock, type LockSample, type SessionSample } from './lock-profile.ts';

/**
 * Samples pg_stat_activity every intervalMs for the sessions whose application_name starts with the
 * run's tag (docs/architecture.md#observability). Samples never overlap: when one takes longer than
 * the interval, the next starts right after it. A failing sample is counted and skipped, never
 * fatal to the run; with `reconnect`, a sample that failed makes the next one open a new connection
 * (its backend may have been terminated), retried with backoff while that fails. The sampler keeps
 * no samples: each goes to `onSample` as it is taken (lock-sample-fold.ts folds them in).
 */

export interface LockSamplerOptions {
  readonly applicationTag: string;
  readonly intervalMs: number;
  /** The run's shared clock: samples are stamped on it, as the run's start and end are. */
  readonly clock: SharedClock;
  /** First sample at this shared-clock ms (the run's common start); default now. */
  readonly startAtMs?: number;
  /** Opens a replacement connection after a failed sample; without it the sampler keeps its one client. */
  readonly reconnect?: () => Promise<pg.Client>;
  /** Every sample as it is taken, in time order. */
  readonly onSample: (sample: LockSample) => void;
}

export interface LockSampler {
  /** Sessions waiting on a heavyweight lock in the latest sample (for the live progress line). */
  waitingOnLocks(): number;
  /** Stops sampling (waits for a sample in flight, which reaches onSample) and says how it went. */
  stop(): Promise<LockSampleLog>;
}

export interface LockSampleLog {
  /** Samples taken (each passed to onSample). */
  readonly samples: number;
  /** Samples that failed (e.g. the connection dropped), with the last error. */
  readonly failedSamples: number;
  readonly lastError?: string;
  /** Wall time of the samples that succeeded (query round trips and parsing), mean and max ms. */
  readonly sampleTimeMs?: { readonly mean: number; readonly max: number };
}

interface ActivityRow {
  pid: number;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  blocking_pids: number[] | null;
  tag: string | null;
  xact_ms: string | null;
  xact_start_us: string | null;
  state_ms: string | null;
  statement: string | null;
}

interface LockTargetRow {
  pid: number;
  lock_type: string;
  lock_mode: string;
  relation: string | null;
}

/** One sample: the run's sessions, and for blocked ones what they wait for. */
export async function sampleSessions(
  client: pg.Client,
  applicationTag: string,
  atMs: number,
  transactionTags = new TransactionTags(),
): Promise<LockSample> {
  const activity = (await client.query<ActivityRow>(loadSql('observability/session-waits'), [applicationTag])).rows;
  const blockedPids = activity.filter((row) => (row.blocking_pids?.length ?? 0) > 0).map((row) => row.pid);
  const targets = new Map<number, LockTargetRow>();
  if (blockedPids.length > 0) {
    for (const row of (await client.query<LockTargetRow>(loadSql('observability/lock-targets'), [blockedPids])).rows) {
      if (!targets.has(row.pid)) targets.set(row.pid, row);
    }
  }
  const sessions: SessionSample[] = activity.map((row) => {
    const target = targets.get(row.pid);
    const tag = transactionTags.resolve(row.pid, parseSqlTag(row.tag), row.xact_start_us === null ? null : Number(row.xact_start_us));
    return {
      pid: row.pid,
      state: row.state,
      waitEventType: row.wait_event_type,
      waitEvent: row.wait_event,
      blockingPids: row.blocking_pids ?? [],
      ...(target && { lockType: target.lock_type, lockMode: target.lock_mode, ...(target.relation && { relation: target.relation }) }),
      ...(tag && { tag }),
      ...(row.xact_ms !== null && { xactMs: Number(row.xact_ms) }),
      ...(row.state_ms !== null && { stateMs: Number(row.state_ms) }),
      ...(row.statement !== null && { statement: row.statement }),
    };
  });
  return { atMs, sessions };
}

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 2000;

/**
 * Starts sampling on a connection the sampler uses alone (the caller closes it after stop()); the
 * connections it opened itself through `reconnect` it closes on stop().
 */
export function startLockSampler(client: pg.Client, options: LockSamplerOptions): LockSampler {
  const now = (): number => options.clock.now();
  let samples = 0;
  const transactionTags = new TransactionTags();
  let failedSamples = 0;
  let lastError: string | undefined;
  let current = client;
  let broken = false;
  let retryAtMs = 0;
  let backoffMs = RECONNECT_FIRST_MS;
  /** The connection to sample on: the current one, or a new one when the last sample failed. */
  const connection = async (atMs: number): Promise<pg.Client> => {
    if (!broken || !options.reconnect) return current;
    if (atMs < retryAtMs) throw new Error(lastError ?? 'the sampler connection was lost');
    try {
      const fresh = await options.reconnect();
      if (current !== client) await current.end().catch(() => undefined);
      current = fresh;
      broken = false;
      backoffMs = RECONNECT_FIRST_MS;
      return current;
    } catch (error) {
      retryAtMs = now() + backoffMs;
      backoffMs = Math.min(2 * backoffMs, RECONNECT_MAX_MS);
      throw error;
    }
  };
  let waiting = 0;
  let sampleMsTotal = 0;
  let sampleMsMax = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const pause = (untilMs: number): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, Math.max(0, untilMs - now()));
    });

  const loop = async (): Promise<void> => {
    let next = Math.max(now(), options.startAtMs ?? 0);
    if (next > now()) await pause(next);
    while (!stopped) {
      const atMs = now();
      try {
        const began = performance.now();
        const sample = await sampleSessions(await connection(atMs), options.applicationTag, atMs, transactionTags);
        const tookMs = performance.now() - began;
        sampleMsTotal += tookMs;
        sampleMsMax = Math.max(sampleMsMax, tookMs);
        samples += 1;
        waiting = sample.sessions.filter(isWaitingOnLock).length;
        options.onSample(sample);
      } catch (error) {
        failedSamples += 1;
        lastError = (error as Error).message;
        broken = true;
      }
      next = Math.max(next + options.intervalMs, now());
      if (stopped) break;
      await pause(next);
    }
  };
  const running = loop();

  return {
    waitingOnLocks: () => waiting,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
      if (current !== client) await current.end().catch(() => undefined);
      const sampleTimeMs = samples === 0 ? undefined : { mean: round3(sampleMsTotal / samples), max: round3(sampleMsMax) };
      return { samples, failedSamples, ...(lastError !== undefined && { lastError }), ...(sampleTimeMs && { sampleTimeMs }) };
    },
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
