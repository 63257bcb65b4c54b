import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/**
 * hot: every session rewrites documents 1..hotDocs (the same set for all sessions of a run, and one
 * a user can inspect by Id): heavy contention on few rows.
 */
export const hotScenario: ScenarioGeneratorFactory = ({ options, draw }) => {
  const { refsMin, refsMax, hotDocs } = options;
  return (rng) => ({
    kind: 'rewrite',
    documents: [draw(rng, rng.int(1, hotDocs), refsMin, refsMax)],
  });
};
