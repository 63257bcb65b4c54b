import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import { diffCounters } from '../observe/pg-delta.ts';
import { numericFields, type Counters } from '../observe/pg-snapshot.ts';
import { sampleSessions } from '../observe/lock-sampler.ts';
import type { LockSample } from '../observe/lock-profile.ts';
import type { PgRates } from './prometheus-text.ts';

/**
 * What the dashboard reads of PostgreSQL, once per update on a connection of its own, the same for
 * `run --dashboard` and `watch`: one sample of the run's sessions (lock-sampler.ts's query) and
 * pg_stat_database's counters, turned into changes per second. run.json's lock-wait profile
 * still comes from the run's own sampler at --sample-interval; this one only feeds the live view.
 * A failing poll is skipped, and the next one reconnects.
 */

export const DASHBOARD_APPLICATION_NAME = 'refswarm_dashboard';

export interface DatabasePoll {
  readonly sample?: LockSample;
  readonly rates: PgRates;
}

export interface DatabaseWatch {
  poll(atMs: number): Promise<DatabasePoll>;
  close(): Promise<void>;
}

export function watchDatabase(databaseUrl: string, applicationTag: string): DatabaseWatch {
  let client: pg.Client | undefined;
  let previous: { atMs: number; counters: Counters } | undefined;
  let rates: PgRates = {};
  return {
    async poll(atMs) {
      try {
        client ??= await connectPg(databaseUrl, DASHBOARD_APPLICATION_NAME);
        const sample = await sampleSessions(client, applicationTag, atMs);
        const row = (await client.query<{ stats: unknown }>(loadSql('observability/database-stats'))).rows[0];
        const counters = numericFields(row?.stats);
        if (previous && atMs > previous.atMs) {
          const seconds = (atMs - previous.atMs) / 1000;
          rates = Object.fromEntries(Object.entries(diffCounters(previous.counters, counters)).map(([k, v]) => [k, Math.round((v / seconds) * 100) / 100]));
        }
        previous = { atMs, counters };
        return { sample, rates };
      } catch {
        await client?.end().catch(() => undefined);
        client = undefined;
        return { rates };
      }
    },
    async close() {
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
