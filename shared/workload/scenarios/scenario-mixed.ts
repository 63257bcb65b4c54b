import type { ScenarioGeneratorFactory } from './scenario-generator.ts';
import { singleScenario } from './scenario-single.ts';

/**
 * mixed: readRatio of the operations are reads — half reverse lookups (who references a document,
 * across partitions), half forward reads (a parent's references) — the rest single rewrites.
 */
export const mixedScenario: ScenarioGeneratorFactory = (context) => {
  const { readRatio } = context.options;
  const { documents } = context.dataset;
  const rewrite = singleScenario(context);
  return (rng) => {
    if (rng.next() >= readRatio) return rewrite(rng);
    const reverse = rng.next() < 0.5;
    const documentId = rng.int(1, documents);
    return reverse ? { kind: 'read-referencing', documentId } : { kind: 'read-references', documentId };
  };
};
