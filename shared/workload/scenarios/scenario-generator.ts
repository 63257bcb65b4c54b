import type { DatasetShape } from '../../dataset.ts';
import type { RandomStream } from '../../random.ts';
import type { ScenarioOptions } from '../../run-config.ts';
import type { Operation } from '../operation.ts';
import type { RewriteDraw } from '../rewrite-draw.ts';

/** What a scenario's generator may depend on: nothing but these and the random stream it is given. */
export interface ScenarioContext {
  readonly options: ScenarioOptions;
  readonly dataset: DatasetShape;
  /** 0-based. */
  readonly sessionId: number;
  readonly sessionCount: number;
  /** The run's draw of a document's new set (--change, --target-skew): shared/workload/rewrite-draw.ts. */
  readonly draw: RewriteDraw;
}

/** Draws the next operation from the session's stream. */
export type OperationGenerator = (rng: RandomStream) => Operation;

export type ScenarioGeneratorFactory = (context: ScenarioContext) => OperationGenerator;
