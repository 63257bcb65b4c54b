import type { RandomStream } from '../random.ts';
import { zipfSampler } from './zipf.ts';

/**
 * Draws referenced documents (as alias ids: alias a points at document a) one at a time, uniformly
 * or Zipf-skewed by Id (rank r = document r, so the popular targets are the first documents, as
 * inspectable as the hot scenario's), never one in `excluded`. Skewed draws of many distinct targets
 * would reject ever longer once the popular ranks are taken: after a bounded number of tries the
 * next free Id above a uniform start is taken instead (docs/architecture.md#scenarios).
 */
export interface TargetPicker {
  /** A target not in `excluded` (which must leave one free among 1..documents); the caller adds it. */
  pick(rng: RandomStream, excluded: ReadonlySet<number>): number;
}

/** Tries of the distribution itself before the free-Id scan. */
export const PICK_TRIES = 64;

export function targetPicker(documents: number, zipfExponent: number | undefined): TargetPicker {
  const zipf = zipfExponent === undefined ? undefined : zipfSampler(documents, zipfExponent);
  const draw = zipf ? (rng: RandomStream) => zipf.sample(rng) : (rng: RandomStream) => rng.int(1, documents);
  return {
    pick(rng, excluded) {
      if (excluded.size >= documents) throw new RangeError(`no target left among ${documents} documents`);
      for (let t = 0; t < PICK_TRIES; t++) {
        const id = draw(rng);
        if (!excluded.has(id)) return id;
      }
      let id = rng.int(1, documents);
      while (excluded.has(id)) id = id === documents ? 1 : id + 1;
      return id;
    },
  };
}
