/**
 * npm run bench:load [-- --full] [-- --jobs N] [-- --no-reference]
 *
 * Default: D=100k, R=1M, P=16. Times `refswarm load` end to end against the reference method —
 * `refswarm export` plus `psql \copy` of the three CSVs into a freshly set-up schema with its keys,
 * indexes and foreign keys in place, then ANALYZE and the fixtures — and prints both and the ratio
 * (goal: at most 0.1).
 * --full: the default 20M dataset, refswarm load only (the reference method would take about
 * 45 minutes), with where the time goes (COPY, each index, each constraint validation, ANALYZE).
 * Uses the database dms_perf_bench_load (dropped at the end) on DATABASE_URL's server.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectionSettings, withDatabase } from '../shared/connection.ts';
import { DEFAULT_DATASET, type DatasetShape } from '../shared/dataset.ts';
import { withPg } from '../shared/pg-connect.ts';
import { DEFAULT_LOAD_CONNECTIONS, loadDataset, type LoadReport } from '../coordinator/load/load.ts';
import { formatSeconds } from '../coordinator/load/load-progress.ts';
import { setupDatabase } from '../coordinator/database/setup.ts';
import { MERGE_ARBITER } from '../coordinator/database/schema-objects.ts';

const BIN = new URL('../bin/refswarm', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    jobs: { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
    database: { type: 'string', default: 'dms_perf_bench_load' },
  },
});
const settings = connectionSettings(process.env, values.database);
const shape: DatasetShape = values.full ? DEFAULT_DATASET : { documents: 100_000, references: 1_000_000, avgRefsPerDoc: 200, partitions: 16 };
const connections = values.jobs ? Number(values.jobs) : undefined;
const quiet = (): void => undefined;

async function timeRefswarmLoad(): Promise<LoadReport> {
  await setupDatabase(settings, { force: true, partitions: shape.partitions }, quiet);
  return loadDataset(settings, shape, { force: false, connections }, process.stderr);
}

/** What the reference harness does: CSV files, then \copy into tables whose keys and FKs exist. */
async function timeReferenceMethod(): Promise<{ exportMs: number; copyMs: number }> {
  await setupDatabase(settings, { force: true, partitions: shape.partitions }, quiet);
  // The harness's schema has no merge constraint, and this dataset's duplicate pairs would violate it.
  await withPg(settings.databaseUrl, (c) => c.query(`ALTER TABLE dms.reference DROP CONSTRAINT ${MERGE_ARBITER.name}`));
  const dir = await mkdtemp(join(tmpdir(), 'refswarm-bench-load-'));
  try {
    const flags = ['--documents', String(shape.documents), '--references', String(shape.references), '--avg-refs-per-doc', String(shape.avgRefsPerDoc), '--partitions', String(shape.partitions)];
    const t0 = performance.now();
    await run(process.execPath, [BIN, 'export', '--output', dir, ...flags]);
    const exportMs = performance.now() - t0;
    const t1 = performance.now();
    const copy = (table: string, columns: string, file: string): string =>
      `\\copy ${table} (${columns}) FROM '${join(dir, file)}' WITH (FORMAT csv, HEADER true)`;
    await run('psql', [
      settings.databaseUrl,
      '-v', 'ON_ERROR_STOP=1', '-q',
      '-c', copy('dms.document', 'DocumentPartitionKey, DocumentUuid, ResourceName, ResourceVersion, IsDescriptor, ProjectName, EdfiDoc, SecurityElements, LastModifiedTraceId', 'document.csv'),
      '-c', copy('dms.alias', 'ReferentialPartitionKey, ReferentialId, DocumentId, DocumentPartitionKey', 'alias.csv'),
      '-c', copy('dms.reference', 'ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey', 'reference.csv'),
      '-c', 'ANALYZE dms.document', '-c', 'ANALYZE dms.alias', '-c', 'ANALYZE dms.reference',
      '-c', 'SELECT dms.build_perf_reference_targets()',
    ]);
    return { exportMs, copyMs: performance.now() - t1 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

function printBreakdown(report: LoadReport): void {
  console.log('\nwhere the time goes (wall clock per phase):');
  for (const [phase, ms] of Object.entries(report.timings)) console.log(`  ${phase.padEnd(14)} ${formatSeconds(ms ?? 0)}`);
  console.log(`\nsteps (time summed over partitions; ${connections ?? DEFAULT_LOAD_CONNECTIONS} connections run them in parallel):`);
  for (const step of [...report.steps].sort((a, b) => b.ms - a.ms)) {
    console.log(`  ${step.phase.padEnd(13)} ${step.name.padEnd(42)} ${formatSeconds(step.ms)}`);
  }
}

async function dropBenchDatabase(): Promise<void> {
  await withPg(withDatabase(settings.databaseUrl, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${settings.databaseName} WITH (FORCE)`));
}

try {
  console.log(`dataset: documents ${shape.documents}, references ${shape.references}, avg ${shape.avgRefsPerDoc}, partitions ${shape.partitions}`);
  const report = await timeRefswarmLoad();
  console.log(`refswarm load: ${formatSeconds(report.totalMs)} end to end`);
  printBreakdown(report);
  if (!values.full && !values['no-reference']) {
    const reference = await timeReferenceMethod();
    const referenceMs = reference.exportMs + reference.copyMs;
    console.log(
      `\nreference method (refswarm export ${formatSeconds(reference.exportMs)} + psql \\copy with keys and FKs in place + ANALYZE ` +
        `${formatSeconds(reference.copyMs)}): ${formatSeconds(referenceMs)}`,
    );
    console.log(`ratio refswarm load / reference: ${(report.totalMs / referenceMs).toFixed(3)} (goal <= 0.1)`);
  }
  if (values.full) console.log(`\ngoal: under 3 minutes: ${report.totalMs < 180_000 ? 'met' : 'NOT met'} (${formatSeconds(report.totalMs)})`);
} finally {
  await dropBenchDatabase().catch((error: Error) => console.error(`could not drop ${settings.databaseName}: ${error.message}`));
}
