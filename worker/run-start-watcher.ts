import type { Redis } from 'ioredis';
import { MalformedJobError } from '../shared/errors.ts';
import type { RedisKeys } from '../shared/protocol/redis-keys.ts';
import type { SharedClock } from '../shared/redis-clock.ts';
import { startBarrier } from './start-barrier.ts';

/**
 * One poller per worker process per run (not per session): it reads the run's start key until the
 * coordinator sets it, then keeps reading the stop key while the run has sessions here. Sessions
 * learn both without any Redis call of their own, and one start barrier per run (start-barrier.ts)
 * wakes them all at the common instant.
 */

const START_POLL_MS = 20;
const STOP_POLL_MS = 200;

export interface RunHandle {
  /** Shared-clock epoch ms at which every session of the run starts. */
  readonly startAt: Promise<number>;
  /** Resolves when the shared clock reaches the start time (one timer for every session of the worker). */
  readonly released: Promise<void>;
  /** Aborted when the coordinator asks the run to stop (keys.runStop). */
  readonly stopSignal: AbortSignal;
  /** The session no longer needs the run's signals; the poller ends with the last one. */
  release(): void;
}

interface WatchedRun {
  sessions: number;
  startAtMs: number | undefined;
  readonly startAt: Promise<number>;
  readonly released: Promise<void>;
  resolveStart(ms: number): void;
  rejectStart(error: Error): void;
  readonly stop: AbortController;
}

export function parseStartAt(raw: string): number {
  const ms = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(ms) || ms <= 0) throw new MalformedJobError(`run start time "${raw}" is not epoch milliseconds`);
  return ms;
}

export class RunStartWatcher {
  private readonly runs = new Map<string, WatchedRun>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly clock: SharedClock,
    private readonly onError: (message: string) => void,
  ) {}

  join(runId: string): RunHandle {
    let run = this.runs.get(runId);
    if (!run) {
      run = this.watch(runId);
    }
    run.sessions++;
    const watched = run;
    let released = false;
    return {
      startAt: watched.startAt,
      released: watched.released,
      stopSignal: watched.stop.signal,
      release: () => {
        if (released) return;
        released = true;
        watched.sessions--;
        if (watched.sessions === 0) this.runs.delete(runId);
      },
    };
  }

  private watch(runId: string): WatchedRun {
    let resolveStart!: (ms: number) => void;
    let rejectStart!: (error: Error) => void;
    const startAt = new Promise<number>((resolve, reject) => {
      resolveStart = resolve;
      rejectStart = reject;
    });
    startAt.catch(() => undefined);
    const stop = new AbortController();
    const released = startAt.then((ms) => {
      const barrier = startBarrier(this.clock, ms);
      stop.signal.addEventListener('abort', () => barrier.cancel(), { once: true });
      return barrier.released;
    });
    released.catch(() => undefined);
    const run: WatchedRun = { sessions: 0, startAtMs: undefined, startAt, released, resolveStart, rejectStart, stop };
    this.runs.set(runId, run);
    void this.poll(runId, run);
    return run;
  }

  private async poll(runId: string, run: WatchedRun): Promise<void> {
    let reportedError = false;
    while (this.runs.get(runId) === run) {
      try {
        const [start, stop] = await this.redis.mget(this.keys.runStart(runId), this.keys.runStop(runId));
        if (run.startAtMs === undefined && start !== null) {
          try {
            run.startAtMs = parseStartAt(start);
            run.resolveStart(run.startAtMs);
          } catch (error) {
            run.rejectStart(error as Error);
          }
        }
        if (stop !== null && !run.stop.signal.aborted) run.stop.abort(new Error('the run was stopped'));
        reportedError = false;
      } catch (error) {
        if (!reportedError) this.onError(`cannot read the start/stop keys of run ${runId}: ${(error as Error).message}`);
        reportedError = true;
      }
      await new Promise((resolve) => setTimeout(resolve, run.startAtMs === undefined ? START_POLL_MS : STOP_POLL_MS));
    }
  }
}
