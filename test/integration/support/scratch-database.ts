import { withDatabase } from '../../../shared/connection.ts';
import { withPg } from '../../../shared/pg-connect.ts';

/**
 * A database of a test's own on the test server (DATABASE_URL, or the local default), for tests that
 * need an empty one rather than a refswarm dataset (support/test-environment.ts gives that).
 */

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';

/** The URL of database `name` on the test server. */
export function scratchDatabaseUrl(name: string): string {
  return withDatabase(BASE_URL, name);
}

/** An empty database `name`, dropped first if a previous run left it behind. */
export async function createScratchDatabase(name: string): Promise<void> {
  await withPg(withDatabase(BASE_URL, 'postgres'), async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
}

/** Drops database `name`, ending its connections; nothing when it is not there. */
export async function dropScratchDatabase(name: string): Promise<void> {
  await withPg(withDatabase(BASE_URL, 'postgres'), (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
