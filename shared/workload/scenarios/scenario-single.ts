import type { ScenarioGeneratorFactory } from './scenario-generator.ts';
import { drawRewrite } from '../rewrite-draw.ts';

/** single: each operation rewrites one random document with refsMin..refsMax random references. */
export const singleScenario: ScenarioGeneratorFactory = ({ options, dataset }) => {
  const { refsMin, refsMax } = options;
  const { documents } = dataset;
  return (rng) => ({
    kind: 'rewrite',
    documents: [drawRewrite(rng, rng.int(1, documents), refsMin, refsMax, documents)],
  });
};
