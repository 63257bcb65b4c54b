import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { readSetupId } from '../database/manifest.ts';

/**
 * Notices that a run's database was dropped or recreated under it (its setup identity changed):
 * sessions would reconnect to an empty database and the run would carry on measuring nothing
 * sensible. Checked about once a second on a connection of its own; a connection that drops is
 * reopened on the next check.
 */

export interface DatabaseIdentityWatch {
  /** Why the run must end, once the database is gone or no longer the one set up at the start. */
  change(): string | undefined;
  stop(): Promise<void>;
}

const CHECK_EVERY_MS = 1000;

export function watchDatabaseIdentity(databaseUrl: string, databaseName: string, setupId: string | undefined): DatabaseIdentityWatch {
  let client: pg.Client | undefined;
  let change: string | undefined;
  let checking: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    try {
      client ??= await connectPg(databaseUrl, 'refswarm-coordinator-identity');
      const now = await readSetupId(client);
      if (now !== setupId) change = `database "${databaseName}" was recreated during the run (refswarm setup): its setup identity changed`;
    } catch (error) {
      const message = (error as Error).message;
      if (/does not exist/.test(message)) change = `database "${databaseName}" was dropped during the run`;
      await client?.end().catch(() => undefined);
      client = undefined;
    }
  };
  const timer = setInterval(() => {
    if (change === undefined) checking = checking.then(check);
  }, CHECK_EVERY_MS);
  return {
    change: () => change,
    async stop() {
      clearInterval(timer);
      await checking;
      await client?.end().catch(() => undefined);
    },
  };
}
