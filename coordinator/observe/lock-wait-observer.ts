import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import { deadlockForensics } from './deadlock-forensics.ts';
import { LockSampleFold } from './lock-sample-fold.ts';
import { startLockSampler, type LockSampler } from './lock-sampler.ts';
import type { RunObserver, SessionDeadlock } from './run-observers.ts';
import { startWaitSampling, type WaitSampling } from './wait-sampling.ts';
import { withWaitSource } from './wait-sampling-profile.ts';

export const SAMPLER_APPLICATION_NAME = 'refswarm_lock_sampler';

/**
 * Samples the run's sessions from the common start to the end → run.json `lockWaits`, the
 * per-interval profiles, and "N waiting on locks" on the live progress line. Where the server has
 * pg_wait_sampling, its in-server profile of the run's backends is the section's source
 * (wait-sampling.ts) and the client sampler's counts stay beside it. Samples are folded in as they
 * are taken, deadlocks' participants looked up as the deadlocks arrive (lock-sample-fold.ts).
 */
export function lockWaitObserver(): RunObserver {
  let client: pg.Client | undefined;
  let sampler: LockSampler | undefined;
  let fold: LockSampleFold | undefined;
  let startFailure: string | undefined;
  let waitSampling: WaitSampling | undefined;

  return {
    name: 'lock-waits',
    async onStart(context, startAtMs) {
      try {
        client = await connectPg(context.databaseUrl, SAMPLER_APPLICATION_NAME);
        const samples = new LockSampleFold(startAtMs);
        fold = samples;
        sampler = startLockSampler(client, {
          applicationTag: context.applicationTag,
          intervalMs: context.config.sampleIntervalMs,
          startAtMs,
          clock: context.clock,
          reconnect: () => connectPg(context.databaseUrl, SAMPLER_APPLICATION_NAME),
          onSample: (sample) => samples.add(sample),
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
    onDeadlocks(deadlocks) {
      fold?.noteDeadlocks(deadlocks);
    },
    async abandon() {
      await sampler?.stop();
      await client?.end().catch(() => undefined);
      sampler = undefined;
      fold = undefined;
    },
    async afterRun(_context, outcome) {
      if (!sampler || !client || !fold) {
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
      const folded = fold.finish(outcome, deadlocks, relationNames);
      fold = undefined;
      const { profile } = folded;
      const clientSection = {
        ...profile.section,
        ...folded.attribution,
        ...(log.failedSamples > 0 && { failedSamples: log.failedSamples, lastError: log.lastError }),
        ...(log.sampleTimeMs && { sampleTimeMs: log.sampleTimeMs }),
      };
      return {
        lockWaits: waitSampling ? withWaitSource(clientSection, await waitSampling.finish()) : clientSection,
        deadlocks: folded.deadlocks,
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
