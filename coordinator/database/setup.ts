import type pg from 'pg';
import { assertRefswarmDatabaseName, withDatabase, type ConnectionSettings } from '../../shared/connection.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';
import { recordSetup } from './manifest.ts';
import { DATASET_TABLES, SCHEMA_OBJECTS, createObjectSql, partitionNames, renderSql } from './schema-objects.ts';

/**
 * refswarm setup (docs/architecture.md#schema): a fresh database holding the dms schema with P
 * partitions per table, every key, index and constraint, the three strategy functions, the fixtures
 * table and functions, dms.perf_test_results and the manifest. Extensions are enabled where the
 * server allows.
 */

export interface SetupOptions {
  readonly force: boolean;
  readonly partitions: number;
}

export interface SetupReport {
  /** Always true when setup returns: the database was created (afresh). */
  readonly created: boolean;
  /** Whether an existing database was dropped first (--force). */
  readonly dropped: boolean;
  readonly partitions: number;
  /** 'enabled', or why the extension is missing and how to enable it. */
  readonly extensions: Record<string, 'enabled' | string>;
}

export const STRATEGY_SQL = ['strategies/current', 'strategies/differential', 'strategies/merge'] as const;

interface ExtensionNeed {
  readonly name: string;
  /** Collects only when listed in shared_preload_libraries. */
  readonly preload: boolean;
}

const EXTENSIONS: readonly ExtensionNeed[] = [
  { name: 'pg_stat_statements', preload: true },
  { name: 'pgstattuple', preload: false },
];

/** A maintenance database to create and drop from. */
const MAINTENANCE_DATABASE = 'postgres';

export async function setupDatabase(
  settings: ConnectionSettings,
  options: SetupOptions,
  log: (line: string) => void,
): Promise<SetupReport> {
  const name = settings.databaseName;
  assertRefswarmDatabaseName(name);
  const maintenanceUrl = withDatabase(settings.databaseUrl, MAINTENANCE_DATABASE);
  const dropped = await withPg(maintenanceUrl, async (admin) => {
    const exists = ((await admin.query(loadSql('schema/database-exists'), [name])).rowCount ?? 0) > 0;
    if (exists && !options.force) {
      throw new ConfigurationError(`database "${name}" already exists: pass --force to drop and recreate it`);
    }
    if (exists) await refuseWhileInUse(admin, name);
    if (exists) await admin.query(renderSql('schema/drop-database', { database: name }));
    await admin.query(renderSql('schema/create-database', { database: name }));
    return exists;
  });
  log(`${dropped ? 'dropped and re-created' : 'created'} database ${name}`);

  let extensions: Record<string, string>;
  try {
    extensions = await withPg(settings.databaseUrl, async (client) => {
      await createSchema(client, options.partitions);
      return enableExtensions(client, name);
    });
  } catch (error) {
    // A database without the complete schema would look set up to nobody: remove it.
    await withPg(maintenanceUrl, (admin) => admin.query(renderSql('schema/drop-database', { database: name }))).catch(
      () => undefined,
    );
    throw error;
  }
  log(`schema dms: document, alias, reference with ${options.partitions} partitions each, strategies, fixtures, results, manifest`);
  for (const [extension, state] of Object.entries(extensions)) log(`${extension}: ${state}`);
  return { created: true, dropped, partitions: options.partitions, extensions };
}

/** Dropping a database under live sessions would let a run carry on into the empty one: name them and stop. */
async function refuseWhileInUse(admin: pg.Client, name: string): Promise<void> {
  const { rows } = await admin.query<{ application_name: string; sessions: number }>(loadSql('schema/database-sessions'), [name]);
  if (rows.length === 0) return;
  const who = rows.map((r) => `${r.application_name}: ${r.sessions}`).join(', ');
  throw new ConfigurationError(`database "${name}" is in use (${who}): end those sessions (or wait for the run to finish), then run setup --force again`);
}

/** Everything in one transaction, the manifest row last. */
async function createSchema(client: pg.Client, partitions: number): Promise<void> {
  await client.query('BEGIN');
  await client.query(loadSql('schema/create-schema'));
  for (const table of DATASET_TABLES) {
    await client.query(loadSql(`schema/${table}-table`));
    const names = partitionNames(table, partitions);
    for (let remainder = 0; remainder < partitions; remainder++) {
      await client.query(
        renderSql(`schema/${table}-partition`, { partition: names[remainder], modulus: partitions, remainder }),
      );
    }
  }
  for (const object of SCHEMA_OBJECTS) {
    await client.query(createObjectSql(object, `dms.${object.table}`, object.name));
  }
  for (const name of STRATEGY_SQL) await client.query(loadSql(name));
  await client.query(loadSql('fixtures/create-table'));
  await client.query(loadSql('fixtures/insert-reference-target-for-docs'));
  await client.query(loadSql('fixtures/build-perf-reference-targets'));
  await client.query(loadSql('results/create-table'));
  await client.query(loadSql('manifest/create-table'));
  await recordSetup(client, partitions);
  await client.query('COMMIT');
}

async function enableExtensions(client: pg.Client, database: string): Promise<Record<string, string>> {
  const states: Record<string, string> = {};
  for (const extension of EXTENSIONS) states[extension.name] = await enableExtension(client, database, extension);
  return states;
}

async function enableExtension(client: pg.Client, database: string, extension: ExtensionNeed): Promise<string> {
  const available = await client.query(loadSql('schema/extension-available'), [extension.name]);
  if ((available.rowCount ?? 0) === 0) {
    return (
      `not available: the server has no ${extension.name} extension files; install the PostgreSQL contrib ` +
      `package for the server's version (e.g. apt-get install postgresql-contrib), then run refswarm setup --force`
    );
  }
  try {
    await client.query(renderSql('schema/create-extension', { extension: extension.name }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `not available: CREATE EXTENSION failed (${message}); ask a superuser to run "CREATE EXTENSION ${extension.name}" in database ${database}`;
  }
  if (extension.preload) {
    const result = await client.query<{ libraries: string }>(loadSql('schema/preloaded-libraries'));
    const libraries = result.rows[0].libraries.split(',').map((s) => s.trim());
    if (!libraries.includes(extension.name)) {
      return (
        `not collecting: add ${extension.name} to shared_preload_libraries in postgresql.conf ` +
        `(shared_preload_libraries = '${extension.name}') and restart PostgreSQL`
      );
    }
  }
  return 'enabled';
}
