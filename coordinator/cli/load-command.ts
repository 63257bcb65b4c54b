import { assertRefswarmDatabaseName, connectionSettings } from '../../shared/connection.ts';
import { booleanFlag, intFlag, optionalStringFlag, parseFlags, stringFlag } from '../../shared/cli/options.ts';
import { UsageError } from '../../shared/errors.ts';
import { withPg } from '../../shared/pg-connect.ts';
import type { Command } from '../../shared/cli/command.ts';
import { DATASET_FLAGS, datasetShapeFrom } from '../config/dataset-flags.ts';
import { DEFAULT_LOAD_CONNECTIONS, DEFAULT_MAINTENANCE_WORK_MEM, loadDataset, type LoadReport } from '../load/load.ts';
import { formatCount, formatSeconds } from '../load/load-progress.ts';
import { requireSetupRecord } from '../database/manifest.ts';
import { DATABASE_FLAG } from './setup-command.ts';

const FLAGS = {
  ...DATASET_FLAGS,
  partitions: { kind: 'string', description: 'hash partitions per table (P); must match setup', defaultText: "setup's" },
  force: { kind: 'boolean', description: 'reload even when the database already holds a dataset' },
  'distinct-pairs': {
    kind: 'boolean',
    description: 'leave out reference rows repeating a (parent, referential id) pair, so --strategy merge gets its unique constraint',
  },
  jobs: { kind: 'string', description: 'parallel connections for COPY, index builds and validation (1-16)', defaultText: String(DEFAULT_LOAD_CONNECTIONS) },
  'maintenance-work-mem': { kind: 'string', description: 'maintenance_work_mem per connection', defaultText: DEFAULT_MAINTENANCE_WORK_MEM },
  ...DATABASE_FLAG,
} as const;

export const loadCommand: Command = {
  name: 'load',
  summary: 'Generates the deterministic dataset straight into PostgreSQL (binary COPY), builds keys, indexes and constraints, ANALYZE, fixtures, manifest.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('load', FLAGS, argv, context.env);
    const partitionsGiven = flags.values.partitions !== undefined;
    const flagShape = datasetShapeFrom(flags);
    const connections = intFlag(flags, 'jobs', DEFAULT_LOAD_CONNECTIONS, 1, 16);
    const maintenanceWorkMem = stringFlag(flags, 'maintenance-work-mem', DEFAULT_MAINTENANCE_WORK_MEM);
    if (!/^\d+\s*(kB|MB|GB)$/.test(maintenanceWorkMem)) {
      throw new UsageError(`invalid value "${maintenanceWorkMem}" for --maintenance-work-mem: expected a size such as 256MB or 1GB`);
    }
    const settings = connectionSettings(context.env, optionalStringFlag(flags, 'database'));
    assertRefswarmDatabaseName(settings.databaseName);
    const setupPartitions = await withPg(settings.databaseUrl, async (client) => (await requireSetupRecord(client, settings.databaseName)).partitions);
    const shape = partitionsGiven ? flagShape : { ...flagShape, partitions: setupPartitions };
    const report = await loadDataset(
      settings,
      shape,
      { force: booleanFlag(flags, 'force'), distinctPairs: booleanFlag(flags, 'distinct-pairs'), signal: context.signal, connections, maintenanceWorkMem },
      context.stderr,
    );
    if (!report.skipped) {
      const rows = report.rows.document + report.rows.alias + report.rows.reference;
      context.stdout.write(
        `loaded ${settings.databaseName}: ${formatCount(rows)} rows in ${formatSeconds(report.totalMs)}` +
          ` (${constraintText(report)}; checksum ${report.checksum.slice(0, 16)})\n`,
      );
    }
    return 0;
  },
};

function constraintText(report: LoadReport): string {
  if (report.schema === 'alias-id') return `schema alias-id: ${report.duplicatePairs} duplicate pairs left out for UX_Reference_Parent_Alias`;
  if (!report.mergeConstraint) return `merge constraint: no, ${report.duplicatePairs} duplicate pairs: load with --distinct-pairs to run --strategy merge`;
  return `merge constraint: ${report.distinctPairs ? `yes, ${report.duplicatePairs} duplicate pairs left out` : 'yes'}`;
}
