import pg from 'pg';
import { ConfigurationError } from './errors.ts';
import { maskUrl } from './connection.ts';

/** Opens one PostgreSQL connection, turning "cannot connect" into one clear ConfigurationError. */
export async function connectPg(databaseUrl: string, applicationName = 'refswarm'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
  client.on('error', () => {
    // A dropped idle connection surfaces on the next query; without a listener it would crash the process.
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw describeConnectError(error, databaseUrl);
  }
  return client;
}

export function describeConnectError(error: unknown, databaseUrl: string): ConfigurationError {
  const e = error as { code?: string; message?: string };
  const where = maskUrl(databaseUrl);
  if (e.code === '3D000') return new ConfigurationError(`database in ${where} does not exist: run "refswarm setup" first`);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new ConfigurationError(`cannot reach PostgreSQL at ${where} (${e.code}): start it or set DATABASE_URL`);
  }
  return new ConfigurationError(`cannot connect to PostgreSQL at ${where}: ${e.message ?? String(error)}`);
}

export async function withPg<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>, applicationName?: string): Promise<T> {
  const client = await connectPg(databaseUrl, applicationName);
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
