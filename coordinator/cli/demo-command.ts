import { sameShape, type DatasetShape } from '../../shared/dataset.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { parseFlags } from '../../shared/cli/options.ts';
import { withPg } from '../../shared/pg-connect.ts';
import type { RunEnvironment } from '../../shared/run-environment.ts';
import type { Command, CommandContext } from '../../shared/cli/command.ts';
import { defaultObservers } from '../observe/default-observers.ts';
import { loadDataset } from '../load/load.ts';
import { readSetupRecord } from '../database/manifest.ts';
import { finishRun } from './run-command.ts';
import { RUN_FLAGS, runFromFlags } from '../config/run-flags.ts';
import { executeRun } from '../run/run.ts';
import { setupDatabase } from '../database/setup.ts';

/**
 * `refswarm demo`: the whole job on local services with nothing prepared — set up dms_perf_demo
 * if needed, load a small (but real) dataset if needed, run 16 sessions on 2 local workers, print
 * the summary and where the results are. Any run option may be given to change the run.
 */

export const DEMO_DATABASE = 'dms_perf_demo';
export const DEMO_DATASET: DatasetShape = { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 };
const DEMO_RUN_ARGS = ['--sessions', '16', '--local-workers', '2', '--name', 'demo'];
const DEMO_DURATION = '10s';

export const demoCommand: Command = {
  name: 'demo',
  summary: `Sets up ${DEMO_DATABASE} and loads a small dataset if needed, then runs 16 sessions on 2 local workers (run options change the run).`,
  flags: RUN_FLAGS,
  async run(argv, context) {
    const given = parseFlags('demo', RUN_FLAGS, argv, context.env);
    const limitGiven = given.values.iterations !== undefined || given.values.duration !== undefined;
    const databaseGiven = given.values.database !== undefined;
    const args = [
      ...DEMO_RUN_ARGS,
      ...(limitGiven ? [] : ['--duration', DEMO_DURATION]),
      ...(databaseGiven ? [] : ['--database', DEMO_DATABASE]),
      ...argv,
    ];
    const { config, environment } = runFromFlags(parseFlags('demo', RUN_FLAGS, args, context.env), context.env);
    await prepareDemoDatabase(environment, context);

    context.stderr.write(`demo: ${config.sessions} sessions on ${config.localWorkers} local workers against ${config.databaseName}\n`);
    const result = await executeRun(config, environment, defaultObservers(config), context);
    finishRun(result, context.stdout);
    return 0;
  },
};

/** Setup when the database is missing or unfinished, load when it lacks the demo dataset. */
async function prepareDemoDatabase(environment: RunEnvironment, context: CommandContext): Promise<void> {
  const { connection } = environment;
  const log = (line: string): void => {
    context.stderr.write(`demo: ${line}\n`);
  };
  let record: Awaited<ReturnType<typeof readSetupRecord>>;
  try {
    record = await withPg(connection.databaseUrl, (client) => readSetupRecord(client).catch(() => undefined));
  } catch (error) {
    if (!(error instanceof ConfigurationError && error.message.includes('does not exist'))) throw error;
    record = undefined;
    await setupDatabase(connection, { force: false, partitions: DEMO_DATASET.partitions }, log);
    record = { partitions: DEMO_DATASET.partitions, schema: 'referential-id', dmsIndexes: false, dataset: undefined };
  }
  if (record === undefined || record.partitions !== DEMO_DATASET.partitions || record.schema !== 'referential-id') {
    // An unfinished, differently partitioned or laid out demo database: it is refswarm's own, so re-create it.
    await setupDatabase(connection, { force: true, partitions: DEMO_DATASET.partitions }, log);
    record = undefined;
  }
  if (record?.dataset && sameShape(record.dataset.shape, DEMO_DATASET)) {
    log(`dataset already loaded (${DEMO_DATASET.documents} documents, ${DEMO_DATASET.references} references)`);
    return;
  }
  log(`loading ${DEMO_DATASET.documents} documents, ${DEMO_DATASET.references} references`);
  await loadDataset(connection, DEMO_DATASET, { force: true, signal: context.signal }, context.stderr);
}
