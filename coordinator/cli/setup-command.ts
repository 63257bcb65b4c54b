import { connectionSettings } from '../../shared/connection.ts';
import { DEFAULT_DATASET } from '../../shared/dataset.ts';
import { booleanFlag, choiceFlag, optionalStringFlag, parseFlags, rangedFlag } from '../../shared/cli/options.ts';
import type { Command } from '../../shared/cli/command.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';
import { DEFAULT_SCHEMA_LAYOUT, SCHEMA_LAYOUTS } from '../../shared/schema-layout.ts';
import { setupDatabase } from '../database/setup.ts';
import type { Redis } from 'ioredis';
import { ConfigurationError } from '../../shared/errors.ts';
import { connectRedis } from '../../shared/redis-connect.ts';
import { redisKeys } from '../../shared/protocol/redis-keys.ts';
import { runEnvironmentFrom, type RunEnvironment } from '../../shared/run-environment.ts';
import { describeRun, runHoldingDatabase } from '../run/run-lock.ts';

export const DATABASE_FLAG = {
  database: { kind: 'string', description: "database name, overriding DATABASE_URL's (must start with dms_perf_)" },
} as const;

const FLAGS = {
  force: { kind: 'boolean', description: 'drop and re-create the database when it exists' },
  partitions: { kind: 'string', description: 'partitions per table', defaultText: String(DEFAULT_DATASET.partitions), range: OPTION_RANGES.partitions },
  schema: {
    kind: 'string',
    description: `reference layout: ${SCHEMA_LAYOUTS.join('|')} (alias-id: DMS-867's, LIST partitions, Reference.AliasId, --strategy upsert)`,
    defaultText: DEFAULT_SCHEMA_LAYOUT,
  },
  'dms-indexes': { kind: 'boolean', description: "add DMS's data-out indexes on Document (GIN on EdfiDoc, ...) and REPLICA IDENTITY FULL" },
  ...DATABASE_FLAG,
} as const;

export const setupCommand: Command = {
  name: 'setup',
  summary: 'Creates the database: dms schema, partitions, strategy functions, fixtures, results and manifest tables.',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('setup', FLAGS, argv, context.env);
    const options = {
      force: booleanFlag(flags, 'force'),
      partitions: rangedFlag(flags, 'partitions', DEFAULT_DATASET.partitions, OPTION_RANGES.partitions),
      schema: choiceFlag(flags, 'schema', SCHEMA_LAYOUTS, DEFAULT_SCHEMA_LAYOUT),
      dmsIndexes: booleanFlag(flags, 'dms-indexes'),
    };
    const settings = connectionSettings(context.env, optionalStringFlag(flags, 'database'));
    if (options.force) await refuseWhileRunHolds(runEnvironmentFrom(context.env, optionalStringFlag(flags, 'database')));
    await setupDatabase(settings, options, (line) => context.stdout.write(`${line}\n`));
    return 0;
  },
};

/**
 * A run holding the database (its Redis lock, coordinator/run/run-lock.ts) must not have the database
 * dropped under it. Without Redis there is no run to ask about; setup still refuses a database with
 * sessions connected.
 */
async function refuseWhileRunHolds(environment: RunEnvironment): Promise<void> {
  let redis: Redis;
  try {
    redis = await connectRedis(environment.connection.redisUrl, { connectionName: 'refswarm-setup', namespace: environment.namespace });
  } catch {
    return;
  }
  try {
    const database = environment.connection.databaseName;
    const holder = await runHoldingDatabase(redis, redisKeys(environment.namespace), database);
    if (holder) {
      throw new ConfigurationError(`database "${database}" is held by a run in progress (${describeRun(holder)}): wait for it to end, then run setup --force again`);
    }
  } finally {
    await redis.quit().catch(() => undefined);
  }
}
