import type { RandomStream } from '../random.ts';
import type { DocumentRewrite } from './operation.ts';
import { sampleDistinct } from './sampling.ts';

/**
 * A new reference set for one document: between refsMin and refsMax distinct aliases (capped at
 * the D − 1 other documents), never the document itself (the dataset has no self-references).
 */
export function drawRewrite(
  rng: RandomStream,
  documentId: number,
  refsMin: number,
  refsMax: number,
  documents: number,
): DocumentRewrite {
  const others = documents - 1;
  const count = Math.min(rng.int(refsMin, refsMax), others);
  const aliasIds = sampleDistinct(rng, count, others);
  for (let k = 0; k < aliasIds.length; k++) {
    if (aliasIds[k] >= documentId) aliasIds[k] += 1;
  }
  return { documentId, aliasIds };
}
