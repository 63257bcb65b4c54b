import type { SessionIntervalPart, WorkerInterval } from '../shared/protocol/messages.ts';
import { MergedInterval } from './merged-interval.ts';
import type { SessionRecorder } from './session-recorder.ts';

/**
 * A session's interval as it hands it over: its recorder (drained at once, so it can record the next
 * interval) and what it wrote and drew since its previous one.
 */
export interface SessionIntervalHandover {
  readonly runId: string;
  readonly index: number;
  readonly sessionId: number;
  readonly recorder: Pick<SessionRecorder, 'drainInterval'>;
  readonly progress: Omit<SessionIntervalPart, 'sessionId' | 'operations'>;
  /** Shared-clock ms at which the session's last recorded operation so far ended. */
  readonly lastEndMs: number | undefined;
}

/**
 * How long the first interval handed over waits for the others before the merged one is sent. The
 * sessions' timers aim at the same boundary of the shared clock and fire in one turn of the event
 * loop, give or take a millisecond of rounding; a session later than this goes into a second event
 * for the interval, which the coordinator adds like the first.
 */
export const MERGE_WINDOW_MS = 5;

/**
 * Merges the intervals of a worker's sessions, per run and interval index, into one `worker-interval`
 * event (docs/architecture.md#intervals): the coordinator then decodes one histogram per worker per
 * interval instead of one per session.
 */
export class IntervalMerger {
  /** Per run, per interval index, what the sessions handed over so far. */
  private readonly pending = new Map<string, Map<number, MergedInterval>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly workerId: string,
    private readonly publish: (event: WorkerInterval) => Promise<void>,
    private readonly log: (line: string) => void,
    private readonly windowMs = MERGE_WINDOW_MS,
  ) {}

  add(handover: SessionIntervalHandover): void {
    let run = this.pending.get(handover.runId);
    if (!run) this.pending.set(handover.runId, (run = new Map()));
    let merged = run.get(handover.index);
    if (!merged) run.set(handover.index, (merged = new MergedInterval()));
    const operations = handover.recorder.drainInterval(merged);
    merged.addSession({ sessionId: handover.sessionId, operations, ...handover.progress }, handover.lastEndMs);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /**
   * Sends what the run's sessions handed over so far, at once: a session's `done` must follow its
   * last interval on the stream (the coordinator takes a session's end as final).
   */
  flushRun(runId: string): void {
    const run = this.pending.get(runId);
    if (!run) return;
    this.pending.delete(runId);
    for (const [index, merged] of [...run].sort(([a], [b]) => a - b)) this.send(runId, index, merged);
  }

  /** Sends everything pending (the merge window ended, or the worker stops). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const runId of [...this.pending.keys()]) this.flushRun(runId);
  }

  private send(runId: string, index: number, merged: MergedInterval): void {
    const event: WorkerInterval = {
      protocol: 1,
      runId,
      workerId: this.workerId,
      type: 'worker-interval',
      index,
      ...merged.measurements(),
      sessions: merged.sessions,
    };
    this.publish(event).catch((error: Error) => this.log(`run ${runId}: cannot send interval ${index} of ${merged.sessions.length} sessions: ${error.message}`));
  }
}
