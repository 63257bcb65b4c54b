import { forensicsOfSighted, sightingsOf, type Sighting } from './deadlock-forensics.ts';
import { LockAttributionAccumulator, type LockAttribution } from './lock-attribution.ts';
import { LockProfileAccumulator, type LockProfile, type LockSample, type ProfileWindow } from './lock-profile.ts';
import type { SessionDeadlock } from './run-observers.ts';
import type { DeadlockSection } from '../results/run-report-sections.ts';

/**
 * The lock-wait samples of a run folded in as they come, so that the coordinator's memory does not
 * grow with the run's length (docs/architecture.md#observability): the same `lockWaits` and
 * `deadlocks` sections as lockProfile, lockAttribution and deadlockForensics give for the whole list.
 *
 * Two things are known only later than a sample, so the latest RECENT_MS of samples are kept unfolded:
 * - The run's end (endAtMs): samples after it must not count. run.ts stamps endAtMs when the last
 *   session has ended, then settles the last events (100 ms and what is left to read), merges the
 *   intervals and writes intervals.hlog before finish-run.ts calls afterRun, whose first observer
 *   (default-observers.ts) is this one: well under a second, far within RECENT_MS.
 * - Who a deadlock's other pids were: the lookback before the error, and the deadlock arrives in the
 *   victim's interval event about an interval after it. It is looked up once a sample later than the
 *   error is in (every sample up to the error taken), exact while it arrives within
 *   RECENT_MS - PARTICIPANT_LOOKBACK_MS of its error; only its sightings are kept.
 */

export const RECENT_MS = 30_000;
/**
 * The profile counts per second from the start; the run's intervals (run.ts INTERVAL_MS, known to
 * the observer only at afterRun) are a whole number of them.
 */
export const PROFILE_COUNT_MS = 1000;

export interface FoldedLockSamples {
  readonly profile: LockProfile;
  readonly attribution: LockAttribution | undefined;
}

export class LockSampleFold {
  private readonly profile: LockProfileAccumulator;
  private readonly attribution: LockAttributionAccumulator;
  /** Samples of the last RECENT_MS, oldest first. */
  private readonly recent: LockSample[] = [];
  /** Deadlocks reported before a sample later than their error came in. */
  private pending: SessionDeadlock[] = [];
  private readonly sightings = new Map<string, Sighting[]>();

  constructor(startAtMs: number) {
    this.profile = new LockProfileAccumulator({ startAtMs, intervalMs: PROFILE_COUNT_MS });
    this.attribution = new LockAttributionAccumulator(startAtMs);
  }

  /** Samples kept unfolded now (bounded by RECENT_MS of sampling). */
  get recentSamples(): number {
    return this.recent.length;
  }

  /**
   * A sample, in time order. One before the start (a timer that fired early) is left out of the
   * profile, as lockProfile does, but may still name a deadlock's participant, as deadlockForensics lets it.
   */
  add(sample: LockSample): void {
    this.recent.push(sample);
    if (this.pending.length > 0) {
      const waiting = this.pending;
      this.pending = [];
      this.noteDeadlocks(waiting);
    }
    let folded = 0;
    while (folded < this.recent.length && this.recent[folded].atMs < sample.atMs - RECENT_MS) this.fold(this.recent[folded++]);
    if (folded > 0) this.recent.splice(0, folded);
  }

  /** Deadlocks as the sessions report them: their participants are looked up in the recent samples. */
  noteDeadlocks(deadlocks: readonly SessionDeadlock[]): void {
    const latestAtMs = this.recent.at(-1)?.atMs ?? -Infinity;
    for (const deadlock of deadlocks) {
      if (deadlock.edges.length === 0) continue;
      if (deadlock.atMs < latestAtMs) this.sightings.set(deadlockKey(deadlock), sightingsOf(deadlock, this.recent));
      else this.pending.push(deadlock);
    }
  }

  /**
   * After the last sample: the recent samples up to endAtMs folded in, the profile per interval of
   * intervalMs, and the forensics of `deadlocks` (the run's, in their order; any not noted before is
   * looked up in the recent samples).
   */
  finish({ endAtMs, intervalMs }: Pick<ProfileWindow, 'endAtMs' | 'intervalMs'>, deadlocks: readonly SessionDeadlock[], relationNames: ReadonlyMap<number, string>): FoldedLockSamples & { readonly deadlocks: DeadlockSection } {
    const sighted = deadlocks.map((deadlock) => ({
      deadlock,
      sightings: this.sightings.get(deadlockKey(deadlock)) ?? sightingsOf(deadlock, this.recent),
    }));
    for (const sample of this.recent) if (sample.atMs <= endAtMs) this.fold(sample);
    this.recent.length = 0;
    this.pending = [];
    return { profile: this.profile.result(intervalMs), attribution: this.attribution.result(), deadlocks: forensicsOfSighted(sighted, relationNames) };
  }

  private fold(sample: LockSample): void {
    this.profile.add(sample);
    this.attribution.add(sample);
  }
}

/** One deadlock as its victim reported it: the aggregator's copy and the one noted live share it. */
function deadlockKey(deadlock: SessionDeadlock): string {
  return `${deadlock.sessionId}/${deadlock.pid}/${deadlock.op}/${deadlock.atMs}`;
}
