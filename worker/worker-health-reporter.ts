import { PROTOCOL_VERSION, type SessionJob, type WorkerHealth } from '../shared/protocol/messages.ts';
import { sampleHealthPerInterval, type IntervalHealthSampler } from '../shared/interval-health.ts';
import type { SharedClock } from '../shared/redis-clock.ts';
import type { RunHandle } from './run-start-watcher.ts';

/**
 * The worker's own health on each run it has sessions of (docs/architecture.md#generator-health):
 * from the run's common start, at every interval boundary of the shared clock, one `health` event
 * with this process's event-loop delay and CPU use over that interval; a last, partial one when the
 * run's last session here ends. One per worker per interval, however many sessions it runs.
 */

export interface WorkerHealthEnvironment {
  readonly workerId: string;
  readonly clock: SharedClock;
  joinRun(runId: string): RunHandle;
  publish(event: WorkerHealth): Promise<void>;
  log(line: string): void;
}

interface RunHealth {
  sessions: number;
  readonly handle: RunHandle;
  sampler?: IntervalHealthSampler;
  ended: boolean;
}

export class WorkerHealthReporter {
  private readonly runs = new Map<string, RunHealth>();

  constructor(private readonly env: WorkerHealthEnvironment) {}

  /** A session of the job's run begins here; call the returned function when it has ended. */
  enter(job: SessionJob): () => void {
    let run = this.runs.get(job.runId);
    if (!run) {
      run = this.watch(job);
      this.runs.set(job.runId, run);
    }
    run.sessions++;
    const entered = run;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      entered.sessions--;
      if (entered.sessions > 0) return;
      this.runs.delete(job.runId);
      entered.ended = true;
      entered.sampler?.stop();
      entered.handle.release();
    };
  }

  private watch(job: SessionJob): RunHealth {
    const { env } = this;
    // Joined like a session, so the run's start poller lives as long as this worker reports on it.
    const run: RunHealth = { sessions: 0, handle: env.joinRun(job.runId), ended: false };
    const send = (index: number, sample: Omit<WorkerHealth, 'protocol' | 'runId' | 'workerId' | 'type' | 'index' | 'sessions'>): void => {
      const event: WorkerHealth = { protocol: PROTOCOL_VERSION, runId: job.runId, workerId: env.workerId, type: 'health', index, ...sample, sessions: run.sessions };
      env.publish(event).catch((error: Error) => env.log(`run ${job.runId}: cannot send the worker's health: ${error.message}`));
    };
    run.handle.startAt.then(
      (startAtMs) => {
        if (!run.ended) run.sampler = sampleHealthPerInterval(env.clock, startAtMs, job.intervalMs, send);
      },
      () => undefined,
    );
    return run;
  }
}
