import type { DatasetShape } from '../dataset.ts';
import type { ScenarioOptions } from '../run-config.ts';
import { documentsByPartition } from './scenarios/scenario-cross-partition.ts';

/**
 * What makes a scenario impossible on a dataset with this many sessions, one message per problem
 * (empty when it can run). Flag syntax and ranges are checked by coordinator/config/run-flags.ts;
 * this is what only the dataset shape can tell. The coordinator reports these before enqueuing
 * anything.
 */
export function scenarioProblems(options: ScenarioOptions, dataset: DatasetShape, sessions: number): string[] {
  const problems: string[] = [];
  const { documents } = dataset;
  const writes = options.scenario !== 'noop';
  if (writes && documents < 2) {
    problems.push(`the dataset has ${documents} document(s); rewrites need at least 2: load a bigger dataset`);
    return problems;
  }
  if (writes && options.refsMin > options.refsMax) {
    problems.push(`--refs-min ${options.refsMin} is above --refs-max ${options.refsMax}: make --refs-min ≤ --refs-max`);
  }
  switch (options.scenario) {
    case 'disjoint':
      if (sessions > documents) {
        problems.push(`--sessions ${sessions} exceeds the ${documents} documents of the dataset: disjoint gives each session its own documents; use fewer sessions`);
      }
      break;
    case 'hot':
      if (options.hotDocs < 1 || options.hotDocs > documents) {
        problems.push(`--hot-docs ${options.hotDocs} must be between 1 and the ${documents} documents of the dataset`);
      }
      break;
    case 'batch':
      if (options.batchSize < 1 || options.batchSize > documents) {
        problems.push(`--batch-size ${options.batchSize} must be between 1 and the ${documents} documents of the dataset`);
      }
      break;
    case 'cross-partition': {
      const populated = documentsByPartition(dataset).filter((ids) => ids.length > 0).length;
      if (options.batchSize < 1 || options.batchSize > populated) {
        problems.push(`--batch-size ${options.batchSize} must be between 1 and the ${populated} partitions holding documents: cross-partition takes each document from a distinct partition`);
      }
      break;
    }
    case 'mixed':
      if (!(options.readRatio >= 0 && options.readRatio <= 1)) {
        problems.push(`--read-ratio ${options.readRatio} must be between 0 and 1`);
      }
      break;
    default:
      break;
  }
  return problems;
}
