import type { DatasetShape } from '../../shared/dataset.ts';
import { isWriteScenario, type RunConfig } from '../../shared/run-config.ts';

/**
 * Whether a run's workload fits the dataset it will run against (known only once the manifest is
 * read): every mismatch, each naming the option, its value and the limit.
 */
export interface DatasetFacts {
  readonly shape: DatasetShape;
  /** The merge strategy's unique constraint exists. */
  readonly mergeConstraint: boolean;
}

export function workloadProblems(config: RunConfig, facts: DatasetFacts): string[] {
  const { scenario, strategy } = config.workload;
  const { documents, partitions } = facts.shape;
  const problems: string[] = [];
  if (!isWriteScenario(scenario.scenario)) return problems;
  const writes = scenario.scenario !== 'mixed' || scenario.readRatio < 1;
  if (scenario.refsMax > documents - 1 && ['single', 'disjoint', 'hot', 'mixed'].includes(scenario.scenario)) {
    problems.push(`--refs-max ${scenario.refsMax} is above the ${documents - 1} other documents of the dataset: lower it or load more documents`);
  }
  if (scenario.scenario === 'hot' && scenario.hotDocs > documents) {
    problems.push(`--hot-docs ${scenario.hotDocs} is above the dataset's ${documents} documents`);
  }
  if (scenario.scenario === 'disjoint' && config.sessions > documents) {
    problems.push(`--sessions ${config.sessions} is above the dataset's ${documents} documents: disjoint sessions would have none to touch`);
  }
  if (scenario.scenario === 'batch' && scenario.batchSize > documents) {
    problems.push(`--batch-size ${scenario.batchSize} is above the dataset's ${documents} documents`);
  }
  if (scenario.scenario === 'cross-partition' && scenario.batchSize > partitions) {
    problems.push(`--batch-size ${scenario.batchSize} is above the dataset's ${partitions} partitions: cross-partition batches need distinct partitions`);
  }
  if (writes && strategy === 'merge' && !facts.mergeConstraint) {
    problems.push(
      '--strategy merge needs the unique constraint on (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey), ' +
        'which this dataset could not get (it has duplicate pairs): load with --distinct-pairs to run --strategy merge ' +
        '(refswarm load --force --distinct-pairs), or use another strategy',
    );
  }
  return problems;
}
