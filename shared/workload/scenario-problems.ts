import type { DatasetShape } from '../dataset.ts';
import type { ScenarioOptions } from '../run-config.ts';
import { documentsByPartition } from './scenarios/scenario-cross-partition.ts';

/**
 * What makes a scenario impossible on a dataset with this many sessions, one message per problem
 * (empty when it can run). Flag syntax and ranges are checked by coordinator/config/run-flags.ts;
 * this is what only the dataset shape can tell. The one check for both sides: the coordinator
 * refuses a run with these before enqueuing anything, and a worker refuses a session with the same
 * messages (a job may come from another version).
 */
export function scenarioProblems(options: ScenarioOptions, dataset: DatasetShape, sessions: number): string[] {
  const problems: string[] = [];
  const { documents } = dataset;
  if (options.scenario === 'noop' || options.scenario === 'idle') return problems;
  if (documents < 2) {
    problems.push(`the dataset has ${documents} document(s); rewrites need at least 2: load a bigger dataset`);
    return problems;
  }
  if (options.refsMin > options.refsMax) {
    problems.push(`--refs-min ${options.refsMin} is above --refs-max ${options.refsMax}: make --refs-min ≤ --refs-max`);
  }
  const rewritesOneDocument = ['single', 'disjoint', 'hot'].includes(options.scenario) || (options.scenario === 'mixed' && options.readRatio < 1);
  // With --change K the set is the document's dataset set, whatever --refs-max says.
  if (rewritesOneDocument && options.change === undefined && options.refsMax > documents - 1) {
    problems.push(`--refs-max ${options.refsMax} is above the ${documents - 1} other documents of the dataset: lower it or load more documents`);
  }
  switch (options.scenario) {
    case 'disjoint':
      if (sessions > documents) {
        problems.push(`--sessions ${sessions} is above the dataset's ${documents} documents: disjoint gives each session its own documents; use fewer sessions`);
      }
      break;
    case 'hot':
      if (options.hotDocs < 1 || options.hotDocs > documents) {
        problems.push(`--hot-docs ${options.hotDocs} is above the dataset's ${documents} documents: it must be between 1 and ${documents}`);
      }
      break;
    case 'batch':
      if (options.batchSize < 1 || options.batchSize > documents) {
        problems.push(`--batch-size ${options.batchSize} is above the dataset's ${documents} documents: it must be between 1 and ${documents}`);
      }
      break;
    case 'cross-partition': {
      const populated = documentsByPartition(dataset).filter((ids) => ids.length > 0).length;
      if (options.batchSize < 1 || options.batchSize > populated) {
        problems.push(
          `--batch-size ${options.batchSize} is above the ${populated} partitions holding documents (of the dataset's ${dataset.partitions}): ` +
            'cross-partition takes each document from a distinct partition; lower --batch-size or load more documents',
        );
      }
      break;
    }
    case 'mixed':
      if (!(options.readRatio >= 0 && options.readRatio <= 1)) {
        problems.push(`--read-ratio ${options.readRatio} must be between 0 and 1`);
      }
      break;
    case 'fixture':
      if (options.fixture === undefined) problems.push('the fixture scenario needs --fixture NAME');
      break;
    default:
      break;
  }
  return problems;
}
