import type { ScenarioGeneratorFactory } from './scenario-generator.ts';
import { sampleDistinct, shuffleInPlace } from '../sampling.ts';

/** References per document in a batch: the reference harness's batch fixture has up to 20 each. */
export const BATCH_MAX_REFS_PER_DOCUMENT = 20;

/**
 * batch: each operation rewrites batchSize distinct random documents in one strategy call, with
 * refsMin..refsMax references each capped at 20; in random order (which lets concurrent batches
 * deadlock) unless sorted (ascending Id).
 */
export const batchScenario: ScenarioGeneratorFactory = ({ options, dataset, draw }) => {
  const { batchSize, sorted } = options;
  const refsMax = Math.min(options.refsMax, BATCH_MAX_REFS_PER_DOCUMENT);
  const refsMin = Math.min(options.refsMin, refsMax);
  const { documents } = dataset;
  return (rng) => {
    const ids = sampleDistinct(rng, batchSize, documents);
    if (sorted) ids.sort((a, b) => a - b);
    else shuffleInPlace(rng, ids);
    return { kind: 'rewrite', documents: ids.map((id) => draw(rng, id, refsMin, refsMax)) };
  };
};
