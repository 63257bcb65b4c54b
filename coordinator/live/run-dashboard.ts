import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDatabase } from '../../shared/connection.ts';
import type { DashboardOptions } from '../config/dashboard-flags.ts';
import type { RunListener, RunResult } from '../run/run.ts';
import type { SharedClock } from '../../shared/redis-clock.ts';
import { watchDatabase, type DatabaseWatch } from './database-watch.ts';
import { LiveRun, type LiveEnd } from './live-run.ts';
import { startLiveServer, type LiveServer } from './live-server.ts';

/**
 * `refswarm run --dashboard`: a server listening before the run begins, and a RunListener that
 * feeds it a LiveRun once the run's sessions are assigned; then, when the run is over, shows how it ended (integrity, the report
 * link) and keeps serving for --dashboard-linger.
 */

export interface RunDashboard {
  readonly listener: RunListener;
  readonly url: string;
  /** The run returned (`result`) or threw: the last update. */
  finish(outcome: { readonly result?: RunResult; readonly problem?: string }): Promise<void>;
  /** After a run with results, keeps serving for --dashboard-linger (or until `signal`); then closes. */
  close(signal: AbortSignal): Promise<void>;
}

/** Listens at once, so that a port in use is an error before the run begins. */
export async function runDashboard(options: DashboardOptions, databaseUrl: string, stderr: NodeJS.WritableStream): Promise<RunDashboard> {
  let live: LiveRun | undefined;
  let database: DatabaseWatch | undefined;
  let clock: SharedClock | undefined;
  let withResults = false;
  const server: LiveServer = await startLiveServer({
    host: options.host,
    port: options.port,
    run: () => live,
    now: () => clock?.now() ?? Date.now(),
    database: () => database,
  });
  stderr.write(`dashboard: ${server.url} (metrics: ${server.url}metrics)\n`);
  return {
    url: server.url,
    listener: {
      async onAssigned(run) {
        const { config } = run;
        live = new LiveRun({
          runId: run.runId,
          name: config.name,
          scenario: config.workload.scenario.scenario,
          strategy: config.workload.strategy,
          shape: config.workload.shape,
          sessions: config.sessions,
          intervalMs: run.intervalMs,
          assignment: run.assignment.bySession,
        });
        clock = run.clock;
        database = watchDatabase(withDatabase(databaseUrl, config.databaseName), run.applicationTag);
      },
      onStart: (startAtMs) => live?.start(startAtMs),
      onEvent: (timed, latency) => live?.addEvent(timed, latency),
      onLost: (lost) => live?.setLost(lost.keys()),
    },
    async finish(outcome) {
      if (!live) return;
      live.finish(liveEnd(outcome));
      withResults = outcome.result !== undefined;
      await server.flush();
    },
    async close(signal) {
      if (withResults && !signal.aborted) {
        stderr.write(`dashboard: serving the end of the run for ${Math.round(options.lingerMs / 1000)} s more (Ctrl-C ends it)\n`);
        await sleep(options.lingerMs, undefined, { signal }).catch(() => undefined);
      }
      await server.close();
    },
  };
}

function liveEnd({ result, problem }: { readonly result?: RunResult; readonly problem?: string }): LiveEnd {
  if (!result) return { status: 'failed', problem: problem ?? 'the run ended without results' };
  const integrity = result.report.integrity;
  return {
    status: problem === undefined ? 'completed' : 'incomplete',
    ...(problem !== undefined && { problem }),
    ...(integrity && { integrity: { documentsChecked: integrity.documentsChecked, violations: integrity.violations } }),
    ...(result.files.includes('report.html') && { reportPath: join(result.directory, 'report.html') }),
  };
}
