import seedrandom from 'seedrandom';

/**
 * Seeded random streams. Session s of a run with seed S draws its operations from its own stream
 * seeded by (S, s, purpose), so its sequence never depends on which worker runs it or on timing.
 * xor4096: fast and well mixed (the default arc4 is about 10× slower).
 */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
}

export type StreamPurpose = 'operations' | 'think';

export function sessionStream(seed: number, sessionId: number, purpose: StreamPurpose = 'operations'): RandomStream {
  const prng = seedrandom.xor4096(`refswarm:${seed}:${sessionId}:${purpose}`);
  return {
    next: () => prng.double(),
    int: (min, max) => min + Math.floor(prng.double() * (max - min + 1)),
  };
}
