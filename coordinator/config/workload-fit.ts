import type { DatasetShape } from '../../shared/dataset.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import { strategyLayoutProblem, type SchemaLayout } from '../../shared/schema-layout.ts';
import { scenarioProblems } from '../../shared/workload/scenario-problems.ts';

/**
 * Whether a run's workload fits the dataset it will run against (known only once the manifest is
 * read): every mismatch, each naming the option, its value and the limit. The dataset-shape checks
 * are the workers' own (shared/workload/scenario-problems.ts), so a run every worker would refuse
 * is refused here first, for the same reason.
 */
export interface DatasetFacts {
  readonly shape: DatasetShape;
  /** The merge strategy's unique constraint exists. */
  readonly mergeConstraint: boolean;
  /** The layout setup built (absent: referential-id). */
  readonly schema?: SchemaLayout;
}

export function workloadProblems(config: RunConfig, facts: DatasetFacts): string[] {
  const { scenario, strategy } = config.workload;
  const problems = scenarioProblems(scenario, facts.shape, config.sessions);
  const callsNoStrategy = scenario.scenario === 'noop' || scenario.scenario === 'idle';
  const writes = !callsNoStrategy && (scenario.scenario !== 'mixed' || scenario.readRatio < 1);
  // noop and idle call no strategy; mixed reads pick their statement by the strategy's layout, so it must fit.
  const layoutProblem = callsNoStrategy ? undefined : strategyLayoutProblem(strategy, facts.schema ?? 'referential-id', config.databaseName);
  if (layoutProblem !== undefined) problems.push(layoutProblem);
  if (writes && strategy === 'merge' && !facts.mergeConstraint) {
    problems.push(
      '--strategy merge needs the unique constraint on (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey), ' +
        'which this dataset could not get (it has duplicate pairs): load with --distinct-pairs to run --strategy merge ' +
        '(refswarm load --force --distinct-pairs), or use another strategy',
    );
  }
  return problems;
}
