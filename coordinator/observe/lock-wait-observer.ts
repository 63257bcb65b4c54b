import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import { deadlockForensics } from './deadlock-forensics.ts';
import { lockAttribution } from './lock-attribution.ts';
import { lockProfile } from './lock-profile.ts';
import { startLockSampler, type LockSampler } from './lock-sampler.ts';
import type { RunObserver, SessionDeadlock } from './run-observers.ts';
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
          : {
              lockWaits: { samples: 0, sessionSamples: 0, byEvent: {}, blocked: {}, failure: startFailure },
              deadlocks: deadlockForensics(outcome.deadlocks ?? [], [], new Map()),
            };
      }
      const log = await sampler.stop();
      const deadlocks = outcome.deadlocks ?? [];
      const relationNames = await namesOfRelations(client, deadlocks).catch(() => new Map<number, string>());
      await client.end().catch(() => undefined);
      sampler = undefined;
      const profile = lockProfile(log.samples, outcome);
      const clientSection = {
        ...profile.section,
        ...lockAttribution(log.samples, outcome),
        ...(log.failedSamples > 0 && { failedSamples: log.failedSamples, lastError: log.lastError }),
        ...(log.sampleTimeMs && { sampleTimeMs: log.sampleTimeMs }),
      };
      return {
        lockWaits: waitSampling ? withWaitSource(clientSection, await waitSampling.finish()) : clientSection,
        deadlocks: deadlockForensics(deadlocks, log.samples, relationNames),
        intervalLockWaits: profile.intervals,
      };
    },
  };
}

/** The names of the relations the deadlocks' DETAILs give as OIDs. */
async function namesOfRelations(client: pg.Client, deadlocks: readonly SessionDeadlock[]): Promise<Map<number, string>> {
  const oids = [...new Set(deadlocks.flatMap((d) => d.edges.flatMap((e) => (e.relationOid === undefined ? [] : [e.relationOid]))))];
  if (oids.length === 0) return new Map();
  const { rows } = await client.query<{ oid: string; name: string }>(loadSql('observability/relation-names'), [oids]);
  return new Map(rows.map((row) => [Number(row.oid), row.name]));
}
