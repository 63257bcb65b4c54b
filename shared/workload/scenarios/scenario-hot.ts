import type { ScenarioGeneratorFactory } from './scenario-generator.ts';
import { drawRewrite } from '../rewrite-draw.ts';

/**
 * hot: every session rewrites documents 1..hotDocs (the same set for all sessions of a run, and one
 * a user can inspect by Id): heavy contention on few rows.
 */
export const hotScenario: ScenarioGeneratorFactory = ({ options, dataset }) => {
  const { refsMin, refsMax, hotDocs } = options;
  const { documents } = dataset;
  return (rng) => ({
    kind: 'rewrite',
    documents: [drawRewrite(rng, rng.int(1, hotDocs), refsMin, refsMax, documents)],
  });
};
