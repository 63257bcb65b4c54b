import { uuidv7 } from 'uuidv7';
import type { Command } from '../shared/cli/command.ts';
import { runEnvironmentFrom } from '../shared/run-environment.ts';
import { UsageError } from '../shared/errors.ts';
import { optionalStringFlag, parseFlags, rangedFlag } from '../shared/cli/options.ts';
import { OPTION_RANGES } from '../shared/option-ranges.ts';
import { startWorkerProcess } from './worker-process.ts';

const FLAGS = {
  concurrency: { kind: 'string', description: 'sessions this worker runs at once', defaultText: '64', range: OPTION_RANGES['worker-concurrency'] },
  id: { kind: 'string', description: 'worker id (letters, digits, - or _)', defaultText: 'a new UUIDv7' },
} as const;

/** After SIGTERM/SIGINT the worker must be gone within this bound, whatever its sessions do. */
export const HARD_EXIT_BOUND_MS = 15_000;
const WORKER_ID = /^[0-9A-Za-z_-]{1,64}$/;

export const workerCommand: Command = {
  name: 'worker',
  summary:
    'Runs a worker that executes the sessions the coordinator assigns to it, until SIGTERM/SIGINT ' +
    '(then its running sessions end as "aborted" within a few seconds).',
  flags: FLAGS,
  async run(argv, context) {
    const flags = parseFlags('worker', FLAGS, argv, context.env);
    const concurrency = rangedFlag(flags, 'concurrency', 64, OPTION_RANGES['worker-concurrency']);
    const workerId = optionalStringFlag(flags, 'id') ?? uuidv7();
    if (!WORKER_ID.test(workerId)) throw new UsageError(`invalid value "${workerId}" for --id: expected 1-64 letters, digits, - or _`);
    const environment = runEnvironmentFrom(context.env);
    const log = (line: string): void => {
      context.stderr.write(`refswarm worker ${workerId}: ${line}\n`);
    };

    const worker = await startWorkerProcess({
      workerId,
      concurrency,
      connection: environment.connection,
      namespace: environment.namespace,
      retentionMs: environment.retentionMs,
      log,
    });
    log(`ready: concurrency ${concurrency}, queue ${worker.announcement.queue}, namespace ${environment.namespace}`);

    const interrupted = new Promise<'signal'>((resolve) => {
      if (context.signal.aborted) resolve('signal');
      else context.signal.addEventListener('abort', () => resolve('signal'), { once: true });
    });
    const outcome = await Promise.race([interrupted, worker.failed]);
    const hardExit = setTimeout(() => {
      log(`still stopping after ${HARD_EXIT_BOUND_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, HARD_EXIT_BOUND_MS);
    hardExit.unref();
    if (outcome === 'signal') log(`stopping: ${worker.activeSessions} running sessions end as aborted`);
    else log(`stopping after a fatal error: ${outcome.message}`);
    await worker.stop();
    clearTimeout(hardExit);
    log('stopped');
    return outcome === 'signal' ? 0 : 1;
  },
};
