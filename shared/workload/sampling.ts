import type { RandomStream } from '../random.ts';

/**
 * k distinct integers drawn uniformly from 1..m with Floyd's algorithm: exactly k draws whatever m,
 * no rejection loop (k may come close to m on small datasets). Returned in draw order, which is not
 * a uniform permutation: shuffle when order matters.
 */
export function sampleDistinct(rng: RandomStream, k: number, m: number): number[] {
  if (k > m) throw new RangeError(`cannot draw ${k} distinct values from 1..${m}`);
  const chosen = new Set<number>();
  for (let j = m - k + 1; j <= m; j++) {
    const t = rng.int(1, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(rng: RandomStream, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
