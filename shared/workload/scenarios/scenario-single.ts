import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/** single: each operation rewrites one random document with refsMin..refsMax random references. */
export const singleScenario: ScenarioGeneratorFactory = ({ options, dataset, draw }) => {
  const { refsMin, refsMax } = options;
  const { documents } = dataset;
  return (rng) => ({
    kind: 'rewrite',
    documents: [draw(rng, rng.int(1, documents), refsMin, refsMax)],
  });
};
