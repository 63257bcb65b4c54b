import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { sameShape, type DatasetShape } from '../../shared/dataset.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { DEFAULT_SCHEMA_LAYOUT, SCHEMA_LAYOUTS, type SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';

/**
 * The dataset manifest (dms.perf_dataset_manifest): written by setup (the partition count) and by
 * the last step of a completed load (the dataset). Commands that need a database made by setup or
 * a particular dataset ask here, and refuse with one clear line otherwise.
 */

export interface DatasetManifest {
  readonly shape: DatasetShape;
  /** sha256 of the generated COPY streams, partition by partition (coordinator/load/load-rows.ts). */
  readonly checksum: string;
  /** ISO 8601. */
  readonly loadedAt: string;
  /** Whether the merge strategy's unique constraint exists (false when the loaded data has duplicate pairs). */
  readonly mergeConstraint: boolean;
  /** Reference rows of the generated dataset repeating a (parent, referential id) pair already present. */
  readonly duplicatePairs: number;
  /**
   * Loaded with `--distinct-pairs`: those duplicatePairs rows were left out, so each document's
   * dataset reference set is its distinct set (DatasetIndex.datasetReferences(i, { distinctPairs })).
   */
  readonly distinctPairs: boolean;
  readonly partitions: number;
  /** The layout setup built (--schema). */
  readonly schema: SchemaLayout;
  /** DMS's data-out indexes on Document and REPLICA IDENTITY FULL (--dms-indexes). */
  readonly dmsIndexes: boolean;
}

/** What setup recorded, and the dataset when a load has completed. */
export interface SetupRecord {
  readonly partitions: number;
  readonly schema: SchemaLayout;
  readonly dmsIndexes: boolean;
  readonly dataset: DatasetManifest | undefined;
}

/** What setup builds besides the partition count. */
export interface SetupLayout {
  readonly schema: SchemaLayout;
  readonly dmsIndexes: boolean;
}

interface ManifestRow {
  partitions: number;
  documents: number | null;
  reference_rows: string | null;
  avg_refs_per_doc: number | null;
  checksum: string | null;
  merge_constraint: boolean | null;
  duplicate_pairs: string | null;
  distinct_pairs: boolean | null;
  loaded_at: Date | null;
  schema_layout: string | null;
  dms_indexes: boolean | null;
}

export const REFSWARM_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** undefined when the database was not made by refswarm setup. */
export async function readSetupRecord(client: pg.Client): Promise<SetupRecord | undefined> {
  const exists = await client.query<{ present: boolean }>(loadSql('manifest/exists'));
  if (!exists.rows[0].present) return undefined;
  const result = await client.query<ManifestRow>(loadSql('manifest/read'));
  const row = result.rows[0];
  if (!row) return undefined;
  const layout = layoutOf(row);
  return { partitions: row.partitions, ...layout, dataset: datasetOf(row, layout) };
}

function layoutOf(row: ManifestRow): SetupLayout {
  const schema = (SCHEMA_LAYOUTS as readonly (string | null)[]).includes(row.schema_layout)
    ? (row.schema_layout as SchemaLayout)
    : DEFAULT_SCHEMA_LAYOUT;
  return { schema, dmsIndexes: row.dms_indexes === true };
}

function datasetOf(row: ManifestRow, layout: SetupLayout): DatasetManifest | undefined {
  if (row.loaded_at === null || row.documents === null || row.reference_rows === null || row.avg_refs_per_doc === null) {
    return undefined;
  }
  return {
    shape: {
      documents: row.documents,
      references: Number(row.reference_rows),
      avgRefsPerDoc: row.avg_refs_per_doc,
      partitions: row.partitions,
    },
    checksum: row.checksum ?? '',
    loadedAt: row.loaded_at.toISOString(),
    mergeConstraint: row.merge_constraint === true,
    duplicatePairs: Number(row.duplicate_pairs ?? 0),
    distinctPairs: row.distinct_pairs === true,
    partitions: row.partitions,
    ...layout,
  };
}

/** The loaded dataset; undefined when nothing is loaded yet (or the database was not set up). */
export async function readManifest(client: pg.Client): Promise<DatasetManifest | undefined> {
  return (await readSetupRecord(client))?.dataset;
}

/** Throws ConfigurationError when the database was not made by refswarm setup. */
export async function requireSetupRecord(client: pg.Client, databaseName: string): Promise<SetupRecord> {
  const record = await readSetupRecord(client);
  if (!record) {
    throw new ConfigurationError(
      `database "${databaseName}" was not made by refswarm setup: run refswarm setup --database ${databaseName} --force (drops and recreates it)`,
    );
  }
  return record;
}

/** Throws ConfigurationError when nothing is loaded or the loaded shape differs from `expected` (when given). */
export async function requireDataset(client: pg.Client, databaseName: string, expected?: DatasetShape): Promise<DatasetManifest> {
  const record = await requireSetupRecord(client, databaseName);
  const dataset = record.dataset;
  if (!dataset) {
    throw new ConfigurationError(`database "${databaseName}" holds no dataset: run refswarm load --database ${databaseName}`);
  }
  if (expected && !sameShape(dataset.shape, expected)) {
    throw new ConfigurationError(
      `database "${databaseName}" holds the dataset ${describeShape(dataset.shape)}, not ${describeShape(expected)}: ` +
        `run refswarm load --force with the wanted dataset flags, or use the loaded dataset's`,
    );
  }
  return dataset;
}

/** How the dataset was loaded: "with --distinct-pairs" or "without --distinct-pairs". */
export function describeDistinctPairs(distinctPairs: boolean): string {
  return `${distinctPairs ? 'with' : 'without'} --distinct-pairs`;
}

/** The dataset as the flags that produce it: "--documents 1000 --references 50000 ...". */
export function describeShape(shape: DatasetShape): string {
  return (
    `--documents ${shape.documents} --references ${shape.references} ` +
    `--avg-refs-per-doc ${shape.avgRefsPerDoc} --partitions ${shape.partitions}`
  );
}

export async function recordSetup(client: pg.Client, partitions: number, layout: SetupLayout): Promise<void> {
  await client.query(loadSql('manifest/record-setup'), [partitions, REFSWARM_VERSION, layout.schema, layout.dmsIndexes]);
}

/** Marks the database as holding no complete dataset (the first write of a load). */
export async function clearDataset(client: pg.Client): Promise<void> {
  await client.query(loadSql('manifest/add-distinct-pairs'));
  await client.query(loadSql('manifest/clear-dataset'));
}

export interface DatasetRecord {
  readonly shape: DatasetShape;
  readonly checksum: string;
  readonly mergeConstraint: boolean;
  readonly duplicatePairs: number;
  readonly distinctPairs: boolean;
}

/** The identity setup recorded (undefined: no manifest, or one set up before identities existed). */
export async function readSetupId(client: pg.Client): Promise<string | undefined> {
  const exists = await client.query<{ present: boolean }>(loadSql('manifest/exists'));
  if (!exists.rows[0].present) return undefined;
  const { rows } = await client.query<{ setup_id: string | null }>(loadSql('manifest/setup-id'));
  return rows[0]?.setup_id ?? undefined;
}

/** Records a completed load (its last write). */
export async function recordDataset(client: pg.Client, record: DatasetRecord): Promise<void> {
  const { shape } = record;
  await client.query(loadSql('manifest/record-dataset'), [
    shape.documents,
    shape.references,
    shape.avgRefsPerDoc,
    record.checksum,
    record.mergeConstraint,
    record.duplicatePairs,
    record.distinctPairs,
  ]);
}
