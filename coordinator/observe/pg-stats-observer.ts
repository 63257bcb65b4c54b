import type pg from 'pg';
import { withPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import type { PgStatsSection } from '../results/run-report.ts';
import { perOperation, pgDelta } from './pg-delta.ts';
import { resetPgStats, takePgSnapshot, type PgSnapshot, type SnapshotOptions } from './pg-snapshot.ts';
import type { RunObserver, RunObserverContext, RunOutcome } from './run-observers.ts';

/** How many statements of each snapshot go into run.json (the delta is computed from all of them). */
const STATEMENTS_IN_REPORT = 20;
/** Sessions flush their statistics when they disconnect: wait up to this long for them to go. */
const DISCONNECT_WAIT_MS = 5000;

/**
 * Statistics before and after a run → run.json `pg` {before, after, delta, perOp, missing}.
 * Counters are reset only when the run asked for it (--reset-stats): the server may be shared.
 */
export function pgStatsObserver(options: SnapshotOptions = {}): RunObserver {
  let before: PgSnapshot | undefined;
  let beforeFailure: string | undefined;
  let resetFailures: Readonly<Record<string, string>> = {};

  return {
    name: 'pg-stats',
    async beforeRun(context) {
      try {
        await withClient(context, async (client) => {
          if (context.config.resetStats) resetFailures = (await resetPgStats(client)).failed;
          before = await takePgSnapshot(client, options, context.clock);
        });
      } catch (error) {
        beforeFailure = (error as Error).message;
      }
    },
    async afterRun(context, outcome) {
      if (!before) return { pg: absentSection(`no "before" snapshot: ${beforeFailure ?? 'the run ended before it'}`) };
      const start = before;
      try {
        return { pg: await withClient(context, async (client) => section(start, await afterSnapshot(client, context), outcome)) };
      } catch (error) {
        return { pg: absentSection(`no "after" snapshot: ${(error as Error).message}`) };
      }
    },
  };

  async function afterSnapshot(client: pg.Client, context: RunObserverContext): Promise<PgSnapshot> {
    await waitForSessionsToLeave(client, context.applicationTag, context.signal);
    return takePgSnapshot(client, options, context.clock);
  }

  function section(start: PgSnapshot, end: PgSnapshot, outcome: RunOutcome): PgStatsSection {
    const delta = pgDelta(start, end);
    const missing: Record<string, string> = { ...start.missing, ...end.missing };
    for (const [what, why] of Object.entries(resetFailures)) missing[`reset ${what}`] = why;
    return {
      before: forReport(start),
      after: forReport(end),
      delta: { ...delta },
      perOp: perOperation(delta, outcome.opsTotal),
      missing,
    };
  }
}

function withClient<T>(context: RunObserverContext, use: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPg(context.databaseUrl, use, 'refswarm_pg_stats');
}

async function waitForSessionsToLeave(client: pg.Client, applicationTag: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + DISCONNECT_WAIT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    const { rows } = await client.query(loadSql('observability/session-count'), [applicationTag]);
    if (rows[0].sessions === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A snapshot as run.json keeps it: the top statements only. */
function forReport(snapshot: PgSnapshot): PgSnapshot {
  return { ...snapshot, statements: snapshot.statements?.slice(0, STATEMENTS_IN_REPORT) };
}

function absentSection(reason: string): PgStatsSection {
  return { before: {}, after: {}, delta: {}, perOp: {}, missing: { snapshots: reason } };
}
