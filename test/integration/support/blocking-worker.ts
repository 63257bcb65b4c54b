import { runEnvironmentFrom } from '../../../shared/run-environment.ts';
import { createOperationStream } from '../../../shared/workload/operation-stream.ts';
import { startWorkerProcess } from '../../../worker/worker-process.ts';

/**
 * A worker process whose workload model holds the event loop: every operation spins for BLOCK_MS
 * without yielding and then succeeds, without touching PostgreSQL. Run as
 * `node --import=tsx blocking-worker.ts <workerId> <concurrency>` with the test's environment: a
 * worker that holds more sessions than it can drive, for the generator-bound tests.
 */

const BLOCK_MS = 80;
const [workerId, concurrency] = process.argv.slice(2);
const environment = runEnvironmentFrom(process.env);

const worker = await startWorkerProcess({
  workerId,
  concurrency: Number(concurrency),
  connection: environment.connection,
  namespace: environment.namespace,
  retentionMs: environment.retentionMs,
  log: (line) => process.stderr.write(`blocking worker: ${line}\n`),
  workloadModel: {
    createOperationStream,
    async executeOperation() {
      const until = performance.now() + BLOCK_MS;
      while (performance.now() < until);
      return { ok: true, tries: 1, failedCodes: [], committed: [], serviceMicros: BLOCK_MS * 1000 };
    },
  },
});
process.once('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
