import type { DatasetShape } from '../../dataset.ts';
import type { RandomStream } from '../../random.ts';
import type { ScenarioOptions } from '../../run-config.ts';
import type { Operation } from '../operation.ts';

/** What a scenario's generator may depend on: nothing but these and the random stream it is given. */
export interface ScenarioContext {
  readonly options: ScenarioOptions;
  readonly dataset: DatasetShape;
  /** 0-based. */
  readonly sessionId: number;
  readonly sessionCount: number;
}

/** Draws the next operation from the session's stream. */
export type OperationGenerator = (rng: RandomStream) => Operation;

export type ScenarioGeneratorFactory = (context: ScenarioContext) => OperationGenerator;
