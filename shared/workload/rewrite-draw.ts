import { datasetIndex, type DatasetShape } from '../dataset.ts';
import type { RandomStream } from '../random.ts';
import type { ScenarioOptions } from '../run-config.ts';
import type { DocumentRewrite } from './operation.ts';
import { sampleDistinct } from './sampling.ts';
import { targetPicker, type TargetPicker } from './target-picker.ts';

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

/** How a scenario draws a document's new set; refsMin/refsMax apply to fresh sets only. */
export type RewriteDraw = (rng: RandomStream, documentId: number, refsMin: number, refsMax: number) => DocumentRewrite;

/**
 * The run's rewrite draw (docs/architecture.md#scenarios):
 * - change absent ("all"): a fresh set of refsMin..refsMax targets, uniform (drawRewrite, the
 *   original draws) or Zipf-skewed;
 * - change K: the document's dataset set, distinct (DMS deduplicates referential ids before
 *   InsertReferences), in dataset order, with K of its references (at most all, and at most the
 *   documents outside it) replaced in place by other targets.
 */
export function rewriteDraw(options: ScenarioOptions, dataset: DatasetShape): RewriteDraw {
  const { documents } = dataset;
  const { change, zipfExponent } = options;
  if (change === undefined && zipfExponent === undefined) {
    return (rng, documentId, refsMin, refsMax) => drawRewrite(rng, documentId, refsMin, refsMax, documents);
  }
  const picker = targetPicker(documents, zipfExponent);
  if (change === undefined) {
    return (rng, documentId, refsMin, refsMax) => {
      const count = Math.min(rng.int(refsMin, refsMax), documents - 1);
      return { documentId, aliasIds: freshTargets(rng, picker, count, new Set([documentId])) };
    };
  }
  const index = datasetIndex(dataset);
  return (rng, documentId) => ({
    documentId,
    aliasIds: replaceTargets(rng, picker, documentId, index.datasetReferences(documentId, { distinctPairs: true }), change, documents),
  });
}

/** `count` distinct targets outside `excluded` (which gains them). */
export function freshTargets(rng: RandomStream, picker: TargetPicker, count: number, excluded: Set<number>): number[] {
  const targets = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    targets[k] = picker.pick(rng, excluded);
    excluded.add(targets[k]);
  }
  return targets;
}

/**
 * `base` (distinct, without documentId) with `change` of its elements, at positions drawn uniformly,
 * replaced by targets outside base and the document. Mutates and returns base.
 */
export function replaceTargets(
  rng: RandomStream,
  picker: TargetPicker,
  documentId: number,
  base: number[],
  change: number,
  documents: number,
): number[] {
  const replaced = Math.min(change, base.length, documents - 1 - base.length);
  if (replaced <= 0) return base;
  const excluded = new Set(base);
  excluded.add(documentId);
  for (const position of sampleDistinct(rng, replaced, base.length)) {
    const target = picker.pick(rng, excluded);
    excluded.add(target);
    base[position - 1] = target;
  }
  return base;
}
