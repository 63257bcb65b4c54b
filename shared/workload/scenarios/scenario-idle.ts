import type { Operation } from '../operation.ts';
import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/**
 * idle: operations that do nothing, so that a run measures refswarm itself (pacing, recording,
 * interval messages, the coordinator's aggregation) without PostgreSQL: the worker opens no
 * connection for an idle session and each operation completes on the next turn of its event loop.
 */
export const idleScenario: ScenarioGeneratorFactory = () => {
  const operation: Operation = { kind: 'idle' };
  return () => operation;
};
