import type { IntervalSummary, RunReport } from '../results/run-report.ts';
import type { RunAggregate } from '../run/run-aggregate.ts';
import type { ObserverContribution, RunObserver, RunObserverContext, RunOutcome } from './run-observers.ts';

/**
 * After a run (or its rebuild from Redis): every observer's afterRun in order, its sections folded
 * into the report and its per-interval lock-wait profiles into the intervals. One failing observer
 * costs a warning, never the run's results.
 */
export async function observeRun(
  observers: readonly RunObserver[],
  context: RunObserverContext,
  aggregate: RunAggregate,
  window: Pick<RunOutcome, 'startAtMs' | 'endAtMs' | 'intervalMs'>,
  stderr: NodeJS.WritableStream,
): Promise<RunReport> {
  const outcome: RunOutcome = {
    ...window,
    opsTotal: aggregate.report.ops.ok + aggregate.report.ops.failed + (aggregate.report.ops.rejected ?? 0),
    committed: aggregate.committed,
    touched: aggregate.touched,
    uncertain: aggregate.uncertain,
    deadlocks: aggregate.deadlocks,
    ...(aggregate.readBacks && { readBacks: aggregate.readBacks }),
  };
  const contributions: ObserverContribution[] = [];
  for (const observer of observers) {
    try {
      contributions.push(await observer.afterRun(context, outcome));
    } catch (error) {
      stderr.write(`warning: ${observer.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return withContributions(aggregate, contributions);
}

function withContributions(aggregate: RunAggregate, contributions: readonly ObserverContribution[]): RunReport {
  let report: RunReport = aggregate.report;
  const lockWaitsByIndex = new Map<number, Readonly<Record<string, number>>>();
  for (const { intervalLockWaits, ...sections } of contributions) {
    report = { ...report, ...sections };
    for (const [index, profile] of intervalLockWaits ?? []) lockWaitsByIndex.set(index, profile);
  }
  if (lockWaitsByIndex.size > 0) {
    const intervals: IntervalSummary[] = report.intervals.map((interval, i) => {
      const profile = lockWaitsByIndex.get(aggregate.intervalIndexes[i]);
      return profile ? { ...interval, lockWaits: profile } : interval;
    });
    report = { ...report, intervals };
  }
  return report;
}
