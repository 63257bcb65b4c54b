import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/** The documents of session s in a disjoint run of N sessions: Id ≡ s (mod N), as first + k·N. */
export function disjointDocuments(sessionId: number, sessionCount: number, documents: number): { first: number; count: number } {
  const first = sessionId % sessionCount === 0 ? sessionCount : sessionId % sessionCount;
  return { first, count: first > documents ? 0 : Math.floor((documents - first) / sessionCount) + 1 };
}

/** disjoint: like single, but session s only rewrites documents whose Id ≡ s (mod N): no row conflicts. */
export const disjointScenario: ScenarioGeneratorFactory = ({ options, dataset, sessionId, sessionCount, draw }) => {
  const { refsMin, refsMax } = options;
  const { documents } = dataset;
  const own = disjointDocuments(sessionId, sessionCount, documents);
  if (own.count === 0) throw new RangeError(`session ${sessionId} of ${sessionCount} has no document among ${documents}`);
  return (rng) => {
    const documentId = own.first + sessionCount * rng.int(0, own.count - 1);
    return { kind: 'rewrite', documents: [draw(rng, documentId, refsMin, refsMax)] };
  };
};
