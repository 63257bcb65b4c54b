import type { Operation } from '../operation.ts';
import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/** noop: SELECT 1, or SELECT pg_sleep(noopSleepMs) — calibrates the measurement itself. */
export const noopScenario: ScenarioGeneratorFactory = ({ options }) => {
  const operation: Operation = { kind: 'noop', sleepMs: options.noopSleepMs };
  return () => operation;
};
