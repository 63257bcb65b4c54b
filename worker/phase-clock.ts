import { performance } from 'node:perf_hooks';
import { PHASE_NAMES, type PhaseIndex } from '../shared/phases.ts';

/**
 * Times the phases of one try (shared/phases.ts) into preallocated slots, so that the hot path
 * allocates nothing: the executor starts it at each try and laps it after each phase; when the
 * operation is ok, the slots hold its successful try (the last one) and the recorder reads them.
 * A slot below zero was not reached in that try.
 */
export class PhaseClock {
  readonly micros = new Float64Array(PHASE_NAMES.length).fill(-1);
  private lastMs = 0;

  /** A new try: forgets the previous one's phases. */
  start(): void {
    this.micros.fill(-1);
    this.lastMs = performance.now();
  }

  /** The time since the previous lap (or start) belongs to `phase`; a phase lapped twice adds up. */
  lap(phase: PhaseIndex): void {
    const now = performance.now();
    const elapsed = (now - this.lastMs) * 1000;
    const before = this.micros[phase]!;
    this.micros[phase] = before < 0 ? elapsed : before + elapsed;
    this.lastMs = now;
  }
}
