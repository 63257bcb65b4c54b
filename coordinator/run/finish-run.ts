import { RunFailedError } from '../../shared/errors.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { fileSystemReason } from '../results/results-root.ts';
import { observeRun } from '../observe/observe-run.ts';
import type { RunObserver, RunObserverContext, RunOutcome } from '../observe/run-observers.ts';
import { insertRunRow } from '../results/results-row.ts';
import { completeResults, type ResultsDraft, type RunResultPaths } from '../results/results-writer.ts';
import type { RunReport } from '../results/run-report.ts';
import { withThresholds } from '../results/thresholds.ts';
import type { RunAggregate } from './run-aggregate.ts';

/**
 * How every run ends, whether its coordinator saw it through (`run`) or it is rebuilt from Redis
 * (`report --run-id`): the observers' sections folded into the aggregate, the thresholds judged,
 * the results folder completed (intervals.hlog is in it already), then the row in dms.perf_test_results.
 */

export interface FinishedRun extends RunResultPaths {
  readonly report: RunReport;
}

export async function finishRun(
  aggregate: RunAggregate,
  draft: ResultsDraft,
  observers: readonly RunObserver[],
  context: RunObserverContext,
  window: Pick<RunOutcome, 'startAtMs' | 'endAtMs' | 'intervalMs'>,
  stderr: NodeJS.WritableStream,
): Promise<FinishedRun> {
  const { config } = context;
  const observed = await observeRun(observers, context, aggregate, window, stderr);
  const report = withThresholds(observed, config.thresholds);
  const paths = await completeResults(draft, { report, latency: aggregate.latency, phases: aggregate.phases, startAtMs: window.startAtMs }).catch((error: unknown) => {
    // The row is not inserted either: `report --run-id` inserts it when it rebuilds the results.
    throw new RunFailedError(
      `could not write the results under "${config.resultsRoot}": ${fileSystemReason(error)}; ` +
        `Redis keeps the run for REFSWARM_RETENTION: rebuild the results with "refswarm report --run-id ${report.runId}" ` +
        `(RESULTS_DIR=<a writable folder> to write them elsewhere)`,
    );
  });
  // A fresh connection: one opened when the run started may have died with a PostgreSQL restart mid-run.
  await withPg(context.databaseUrl, (client) => insertRunRow(client, report));
  return { ...paths, report };
}
