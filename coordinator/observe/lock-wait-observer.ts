import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { lockProfile } from './lock-profile.ts';
import { startLockSampler, type LockSampler } from './lock-sampler.ts';
import type { RunObserver } from './run-observers.ts';
import { startWaitSampling, type WaitSampling } from './wait-sampling.ts';
import { withWaitSource } from './wait-sampling-profile.ts';

export const SAMPLER_APPLICATION_NAME = 'refswarm_lock_sampler';

/**
 * Samples the run's sessions from the common start to the end → run.json `lockWaits`, the
 * per-interval profiles, and "N waiting on locks" on the live progress line. Where the server has
 * pg_wait_sampling, its in-server profile of the run's backends is the section's source
 * (wait-sampling.ts) and the client sampler's counts stay beside it.
 */
export function lockWaitObserver(): RunObserver {
  let client: pg.Client | undefined;
  let sampler: LockSampler | undefined;
  let startFailure: string | undefined;
  let waitSampling: WaitSampling | undefined;

  return {
    name: 'lock-waits',
    async onStart(context, startAtMs) {
      try {
        client = await connectPg(context.databaseUrl, SAMPLER_APPLICATION_NAME);
        sampler = startLockSampler(client, {
          applicationTag: context.applicationTag,
          intervalMs: context.config.sampleIntervalMs,
          startAtMs,
          clock: context.clock,
          reconnect: () => connectPg(context.databaseUrl, SAMPLER_APPLICATION_NAME),
        });
      } catch (error) {
        startFailure = (error as Error).message;
      }
      waitSampling = await startWaitSampling(context.databaseUrl, context.applicationTag, context.config.workload.shape);
    },
    progressFragment() {
      if (!sampler) return undefined;
      return `${sampler.waitingOnLocks()} waiting on locks`;
    },
    async abandon() {
      await sampler?.stop();
      await client?.end().catch(() => undefined);
      sampler = undefined;
    },
    async afterRun(_context, outcome) {
      if (!sampler || !client) {
        return startFailure === undefined
          ? {}
          : { lockWaits: { samples: 0, sessionSamples: 0, byEvent: {}, blocked: {}, failure: startFailure } };
      }
      const log = await sampler.stop();
      await client.end().catch(() => undefined);
      sampler = undefined;
      const profile = lockProfile(log.samples, outcome);
      const clientSection = {
        ...profile.section,
        ...(log.failedSamples > 0 && { failedSamples: log.failedSamples, lastError: log.lastError }),
      };
      return {
        lockWaits: waitSampling ? withWaitSource(clientSection, await waitSampling.finish()) : clientSection,
        intervalLockWaits: profile.intervals,
      };
    },
  };
}
