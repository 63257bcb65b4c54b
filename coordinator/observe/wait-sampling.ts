import type pg from 'pg';
import { withPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import type { ShapeName } from '../../shared/run-config.ts';
import { statementPhase } from './statement-phase.ts';
import { inServerProfile, profileDelta, type InServerProfile, type ProfileRow } from './wait-sampling-profile.ts';

/** How many statements of the in-server profile go into run.json. */
const STATEMENTS_IN_REPORT = 20;
const APPLICATION_NAME = 'refswarm_wait_sampling';

export type WaitSamplingResult =
  | { readonly profile: InServerProfile; readonly periodMs?: number }
  | { readonly absent: string };

export interface WaitSampling {
  /** Reads the profile again and returns what the run's backends added to it since the start. */
  finish(): Promise<WaitSamplingResult>;
}

/**
 * pg_wait_sampling as the in-server source of the wait profile (wait-sampling-profile.ts): at the
 * start, the run's backends (application_name prefix) and their profile counts; at the end, the
 * counts again (backends that connected meanwhile included) and the statements' texts from
 * pg_stat_statements. The profile is never reset: the server may be shared. When the server cannot
 * profile the run's backends, `finish` says why and the client sampler is the source.
 */
export async function startWaitSampling(databaseUrl: string, applicationTag: string, shape: ShapeName): Promise<WaitSampling> {
  let start: { pids: Set<number>; rows: ProfileRow[]; periodMs?: number } | { absent: string };
  try {
    start = await withPg(databaseUrl, async (client) => {
      const absent = await whyNotUsable(client);
      if (absent.reason !== undefined) return { absent: absent.reason };
      const pids = new Set(await runBackends(client, applicationTag));
      if (pids.size === 0) return { absent: 'no backend of the run was connected at its start' };
      return { pids, rows: await profileOf(client, [...pids]), ...(absent.periodMs !== undefined && { periodMs: absent.periodMs }) };
    }, APPLICATION_NAME);
  } catch (error) {
    start = { absent: `pg_wait_sampling could not be read at the start: ${(error as Error).message}` };
  }
  return {
    async finish() {
      if ('absent' in start) return start;
      const { pids, rows: before, periodMs } = start;
      try {
        return await withPg(databaseUrl, async (client) => {
          for (const pid of await runBackends(client, applicationTag)) pids.add(pid);
          const cells = profileDelta(before, await profileOf(client, [...pids]));
          const queryids = [...new Set(cells.map((c) => c.queryid).filter((q) => q !== '0'))];
          return { profile: inServerProfile(cells, await statementTexts(client, queryids), STATEMENTS_IN_REPORT, (query) => statementPhase(query, shape)), ...(periodMs !== undefined && { periodMs }) };
        }, APPLICATION_NAME);
      } catch (error) {
        return { absent: `pg_wait_sampling could not be read at the end: ${(error as Error).message}` };
      }
    },
  };
}

async function whyNotUsable(client: pg.Client): Promise<{ reason?: string; periodMs?: number }> {
  const { rows } = await client.query<{ installed: boolean; preloaded: boolean; profile_pid: string; profile_queries: string; profile_period: string | null }>(
    loadSql('observability/wait-sampling-check'),
  );
  const check = rows[0]!;
  if (!check.installed) {
    return {
      reason:
        'extension pg_wait_sampling is not installed in this database: install the package for the server ' +
        '(Debian: postgresql-15-pg-wait-sampling), add it to shared_preload_libraries, restart, and run "refswarm setup --force"',
    };
  }
  if (!check.preloaded) {
    return {
      reason:
        "pg_wait_sampling is not in shared_preload_libraries: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'pg_wait_sampling' " +
        'and restart PostgreSQL',
    };
  }
  if (check.profile_pid !== 'on') return { reason: 'pg_wait_sampling.profile_pid is off: its profile does not tell the run\'s backends apart; set it on' };
  const period = Number(check.profile_period);
  return Number.isFinite(period) && period > 0 ? { periodMs: period } : {};
}

async function runBackends(client: pg.Client, applicationTag: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(loadSql('observability/run-backends'), [applicationTag]);
  return rows.map((r) => r.pid);
}

async function profileOf(client: pg.Client, pids: readonly number[]): Promise<ProfileRow[]> {
  return (await client.query<ProfileRow>(loadSql('observability/wait-sampling-profile'), [pids])).rows;
}

/** Statement texts by queryid; empty when pg_stat_statements is not there (the statements keep their ids). */
async function statementTexts(client: pg.Client, queryids: readonly string[]): Promise<Map<string, string>> {
  if (queryids.length === 0) return new Map();
  try {
    const { rows } = await client.query<{ queryid: string; query: string }>(loadSql('observability/statement-texts'), [queryids]);
    return new Map(rows.map((r) => [r.queryid, r.query]));
  } catch {
    return new Map();
  }
}
