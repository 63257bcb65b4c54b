import type pg from 'pg';
import { assertRefswarmDatabaseName, withDatabase, type ConnectionSettings } from '../../shared/connection.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { DEFAULT_SCHEMA_LAYOUT, type SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';
import { recordSetup, type SetupLayout } from './manifest.ts';
import { DATASET_TABLES, createObjectSql, partitionNames, renderSql, schemaObjects, type DatasetTable } from './schema-objects.ts';

/**
 * refswarm setup (docs/architecture.md#schema): a fresh database holding the dms schema in one of
 * the two layouts (--schema) with P partitions per table, every key, index and constraint (DMS's
 * data-out indexes on Document too with --dms-indexes), the layout's strategy functions, the
 * fixtures table and functions, dms.perf_test_results and the manifest. Extensions are enabled where
 * the server allows.
 */

export interface SetupOptions {
  readonly force: boolean;
  readonly partitions: number;
  /** Default referential-id. */
  readonly schema?: SchemaLayout;
  /** Default false. */
  readonly dmsIndexes?: boolean;
}

export interface SetupReport {
  /** Always true when setup returns: the database was created (afresh). */
  readonly created: boolean;
  /** Whether an existing database was dropped first (--force). */
  readonly dropped: boolean;
  readonly partitions: number;
  readonly schema: SchemaLayout;
  readonly dmsIndexes: boolean;
  /** 'enabled', or why the extension is missing and how to enable it. */
  readonly extensions: Record<string, 'enabled' | string>;
}

export const STRATEGY_SQL: Readonly<Record<SchemaLayout, readonly string[]>> = {
  'referential-id': ['strategies/current', 'strategies/differential', 'strategies/merge'],
  'alias-id': ['strategies/upsert'],
};

const FIXTURE_FUNCTION_SQL: Readonly<Record<SchemaLayout, string>> = {
  'referential-id': 'fixtures/insert-reference-target-for-docs',
  'alias-id': 'fixtures/insert-reference-target-for-docs-alias-id',
};

/** dms.InsertReferences (alias-id) names a partition reference_NN with two digits. */
export const MAX_ALIAS_ID_PARTITIONS = 100;

interface ExtensionNeed {
  readonly name: string;
  /** Collects only when listed in shared_preload_libraries. */
  readonly preload: boolean;
  /** Where its files come from when the server lacks them. */
  readonly packageHint: string;
}

const CONTRIB = "the PostgreSQL contrib package for the server's version (e.g. apt-get install postgresql-contrib)";

const EXTENSIONS: readonly ExtensionNeed[] = [
  { name: 'pg_stat_statements', preload: true, packageHint: CONTRIB },
  { name: 'pgstattuple', preload: false, packageHint: CONTRIB },
  // Optional: the in-server wait profile (coordinator/observe/wait-sampling.ts); the client sampler otherwise.
  { name: 'pg_wait_sampling', preload: true, packageHint: "its package for the server's version (Debian: apt-get install postgresql-15-pg-wait-sampling)" },
];

/** Every preloaded extension, each its own quoted name: one string with a comma would name one library. */
const PRELOAD_SETTING = `ALTER SYSTEM SET shared_preload_libraries = ${EXTENSIONS.filter((e) => e.preload).map((e) => `'${e.name}'`).join(', ')}`;

/** A maintenance database to create and drop from. */
const MAINTENANCE_DATABASE = 'postgres';

export async function setupDatabase(
  settings: ConnectionSettings,
  options: SetupOptions,
  log: (line: string) => void,
): Promise<SetupReport> {
  const name = settings.databaseName;
  assertRefswarmDatabaseName(name);
  const layout: SetupLayout = { schema: options.schema ?? DEFAULT_SCHEMA_LAYOUT, dmsIndexes: options.dmsIndexes === true };
  if (layout.schema === 'alias-id' && options.partitions > MAX_ALIAS_ID_PARTITIONS) {
    throw new ConfigurationError(
      `--schema alias-id takes at most ${MAX_ALIAS_ID_PARTITIONS} partitions (dms.InsertReferences names them reference_00 .. reference_99), not --partitions ${options.partitions}: ` +
        `pass --partitions ${MAX_ALIAS_ID_PARTITIONS} or fewer (DMS uses 16)`,
    );
  }
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
      await createSchema(client, options.partitions, layout);
      return enableExtensions(client, name);
    });
  } catch (error) {
    // A database without the complete schema would look set up to nobody: remove it.
    await withPg(maintenanceUrl, (admin) => admin.query(renderSql('schema/drop-database', { database: name }))).catch(
      () => undefined,
    );
    throw error;
  }
  const partitioning = layout.schema === 'alias-id' ? 'LIST' : 'HASH';
  const strategies = STRATEGY_SQL[layout.schema].map((f) => f.replace('strategies/', '')).join(', ');
  log(
    `schema dms (--schema ${layout.schema}): document, alias, reference with ${options.partitions} ${partitioning} partitions each` +
      `${layout.dmsIndexes ? ", DMS's data-out indexes and REPLICA IDENTITY FULL on document" : ''}, strategies (${strategies}), fixtures, results, manifest`,
  );
  for (const [extension, state] of Object.entries(extensions)) log(`${extension}: ${state}`);
  return { created: true, dropped, partitions: options.partitions, ...layout, extensions };
}

/** Dropping a database under live sessions would let a run carry on into the empty one: name them and stop. */
async function refuseWhileInUse(admin: pg.Client, name: string): Promise<void> {
  const { rows } = await admin.query<{ application_name: string; sessions: number }>(loadSql('schema/database-sessions'), [name]);
  if (rows.length === 0) return;
  const who = rows.map((r) => `${r.application_name}: ${r.sessions}`).join(', ');
  throw new ConfigurationError(`database "${name}" is in use (${who}): end those sessions (or wait for the run to finish), then run setup --force again`);
}

/** Everything in one transaction, the manifest row last. */
async function createSchema(client: pg.Client, partitions: number, layout: SetupLayout): Promise<void> {
  await client.query('BEGIN');
  await client.query(loadSql('schema/create-schema'));
  for (const table of DATASET_TABLES) await createTable(client, table, partitions, layout.schema);
  if (layout.dmsIndexes) {
    for (const table of ['dms.document', ...partitionNames('document', partitions).map((p) => `dms.${p}`)]) {
      await client.query(renderSql('schema/replica-identity-full', { table }));
    }
  }
  for (const object of schemaObjects(layout.schema, layout.dmsIndexes)) {
    await client.query(createObjectSql(object, `dms.${object.table}`, object.name));
  }
  for (const name of STRATEGY_SQL[layout.schema]) await client.query(loadSql(name));
  await client.query(loadSql('fixtures/create-table'));
  await client.query(loadSql(FIXTURE_FUNCTION_SQL[layout.schema]));
  await client.query(loadSql('fixtures/build-perf-reference-targets'));
  await client.query(loadSql('results/create-table'));
  await client.query(loadSql('manifest/create-table'));
  await recordSetup(client, partitions, layout);
  await client.query('COMMIT');
}

/** referential-id: HASH partitions (remainder r); alias-id: LIST partitions, key k in partition k, as DMS-867. */
async function createTable(client: pg.Client, table: DatasetTable, partitions: number, schema: SchemaLayout): Promise<void> {
  const names = partitionNames(table, partitions);
  if (schema === 'alias-id') {
    const tableSql = table === 'reference' ? loadSql('schema/reference-table-alias-id') : renderSql(`schema/${table}-table`, { method: 'LIST' });
    await client.query(tableSql);
    for (let key = 0; key < partitions; key++) {
      await client.query(renderSql('schema/list-partition', { table: TABLE_NAMES[table], partition: names[key], key }));
    }
    return;
  }
  await client.query(table === 'reference' ? loadSql('schema/reference-table') : renderSql(`schema/${table}-table`, { method: 'HASH' }));
  for (let remainder = 0; remainder < partitions; remainder++) {
    await client.query(renderSql(`schema/${table}-partition`, { partition: names[remainder], modulus: partitions, remainder }));
  }
}

const TABLE_NAMES: Readonly<Record<DatasetTable, string>> = { document: 'Document', alias: 'Alias', reference: 'Reference' };

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
        `not collecting: add ${extension.name} to shared_preload_libraries (${PRELOAD_SETTING}) and restart PostgreSQL`
      );
    }
  }
  return 'enabled';
}
