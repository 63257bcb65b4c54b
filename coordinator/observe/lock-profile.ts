import type { BlockedSummary, LockWaitSection } from '../results/run-report-sections.ts';
import type { SqlTag } from '../../shared/workload/sql-tag.ts';

export type { BlockedSummary } from '../results/run-report-sections.ts';

/**
 * The lock-wait profile (docs/architecture.md#observability): where a run's sessions were, sample
 * by sample, aggregated into counts per category and per interval. Pure: samples in, run.json
 * sections out.
 */

export interface SessionSample {
  readonly pid: number;
  /** pg_stat_activity.state: active, idle, idle in transaction, ... (null for a backend without one). */
  readonly state: string | null;
  readonly waitEventType: string | null;
  readonly waitEvent: string | null;
  /** pg_blocking_pids() for sessions waiting on a heavyweight lock, else empty. */
  readonly blockingPids: readonly number[];
  /** For blocked sessions: the lock they wait for ("transactionid", "tuple", ...), its mode and relation. */
  readonly lockType?: string;
  readonly lockMode?: string;
  readonly relation?: string;
  /** The SQL tag of the session's latest statement (absent: untagged, --no-sql-tags). */
  readonly tag?: SqlTag;
  /** How long the session's transaction has run, and its state lasted, ms (absent: none). */
  readonly xactMs?: number;
  readonly stateMs?: number;
  /** For a session that blocks another: the head of its latest statement, comments stripped. */
  readonly statement?: string;
}

export interface LockSample {
  /** Shared-clock epoch ms when the sample was taken (the clock of the run's start and end). */
  readonly atMs: number;
  readonly sessions: readonly SessionSample[];
}

/** The category a session-sample counts under: "CPU", "Lock:transactionid", "Idle", "IdleInTransaction", ... */
export function categoryOf(session: SessionSample): string {
  if (session.state === 'active' || session.state === null) {
    if (session.waitEventType === null) return 'CPU';
    return `${session.waitEventType}:${session.waitEvent ?? 'unknown'}`;
  }
  return stateCategory(session.state);
}

/** "idle in transaction (aborted)" → "IdleInTransactionAborted". */
function stateCategory(state: string): string {
  return state
    .split(/[^A-Za-z]+/)
    .filter((word) => word !== '')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

export function isWaitingOnLock(session: SessionSample): boolean {
  return session.waitEventType === 'Lock';
}

/**
 * How deep each blocked session sits in its wait chain: 1 when its blockers run, 1 + the deepest
 * blocker's depth when they are blocked too. Blockers outside the run (not sampled) count as running;
 * a cycle (a deadlock not yet detected) stops at the session seen twice.
 */
export function chainDepths(sessions: readonly SessionSample[]): Map<number, number> {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const depths = new Map<number, number>();
  const depthOf = (pid: number, visiting: Set<number>): number => {
    const known = depths.get(pid);
    if (known !== undefined) return known;
    const session = byPid.get(pid);
    if (!session || session.blockingPids.length === 0 || visiting.has(pid)) return 0;
    visiting.add(pid);
    let deepest = 0;
    for (const blocker of session.blockingPids) deepest = Math.max(deepest, depthOf(blocker, visiting));
    visiting.delete(pid);
    const depth = deepest + 1;
    depths.set(pid, depth);
    return depth;
  };
  for (const s of sessions) if (s.blockingPids.length > 0) depthOf(s.pid, new Set());
  return depths;
}

/**
 * A wait for another transaction to end where the waiter holds no tuple lock (e.g. following an
 * update chain): PostgreSQL does not say which row, so neither can the profile.
 */
export const ROW_NOT_IDENTIFIED = '(row not identified)';

export interface LockProfile {
  readonly section: LockWaitSection & { readonly blocked: BlockedSummary; readonly shares: Readonly<Record<string, number>> };
  /** Interval index → category → share of that interval's session-samples. */
  readonly intervals: ReadonlyMap<number, Readonly<Record<string, number>>>;
}

export interface ProfileWindow {
  /** The run's common start and end (epoch ms): samples outside (sessions waiting to start, leaving) are left out. */
  readonly startAtMs: number;
  readonly endAtMs: number;
  readonly intervalMs: number;
}

export function lockProfile(samples: readonly LockSample[], window: ProfileWindow): LockProfile {
  const profile = new LockProfileAccumulator(window);
  for (const sample of samples) if (sample.atMs <= window.endAtMs) profile.add(sample);
  return profile.result();
}

/**
 * lockProfile one sample at a time, so that the samples need not be kept: counts in, the same
 * figures out. Samples before the window's start are left out here; the caller leaves out those
 * after its end (known only once the run is over). Session-samples are counted per `intervalMs`
 * from the start; result() may merge them into longer intervals, a whole multiple of it.
 */
export class LockProfileAccumulator {
  private readonly byEvent: Record<string, number> = {};
  private readonly perInterval = new Map<number, { total: number; counts: Record<string, number> }>();
  private readonly byChainDepth: Record<string, number> = {};
  private readonly byRelation: Record<string, number> = {};
  private readonly byLockType: Record<string, number> = {};
  private samples = 0;
  private sessionSamples = 0;
  private blockedSamples = 0;
  private maxBlockedInSample = 0;
  private maxChainDepth = 0;

  constructor(private readonly window: Pick<ProfileWindow, 'startAtMs' | 'intervalMs'>) {}

  add(sample: LockSample): void {
    const { startAtMs, intervalMs } = this.window;
    if (sample.atMs < startAtMs) return;
    this.samples += 1;
    const index = Math.floor((sample.atMs - startAtMs) / intervalMs);
    const interval = this.perInterval.get(index) ?? { total: 0, counts: {} };
    this.perInterval.set(index, interval);
    const depths = chainDepths(sample.sessions);
    let blockedHere = 0;
    for (const session of sample.sessions) {
      const category = categoryOf(session);
      this.sessionSamples += 1;
      increment(this.byEvent, category);
      interval.total += 1;
      increment(interval.counts, category);
      if (session.blockingPids.length === 0) continue;
      blockedHere += 1;
      const depth = depths.get(session.pid) ?? 1;
      this.maxChainDepth = Math.max(this.maxChainDepth, depth);
      increment(this.byChainDepth, String(depth));
      increment(this.byRelation, session.relation ?? ROW_NOT_IDENTIFIED);
      // No lock type: the lock was granted between the activity and the pg_locks queries.
      increment(this.byLockType, session.lockType === undefined ? '(granted meanwhile)' : `${session.lockType}:${session.lockMode ?? '?'}`);
    }
    this.blockedSamples += blockedHere;
    this.maxBlockedInSample = Math.max(this.maxBlockedInSample, blockedHere);
  }

  result(intervalMs = this.window.intervalMs): LockProfile {
    const { sessionSamples, blockedSamples } = this;
    const intervals = new Map<number, Record<string, number>>();
    for (const [index, { total, counts }] of [...this.intervalCounts(intervalMs)].sort((a, b) => a[0] - b[0])) {
      if (total > 0) intervals.set(index, sharesOf(counts, total));
    }
    return {
      section: {
        samples: this.samples,
        sessionSamples,
        byEvent: sortedByCount(this.byEvent),
        shares: sharesOf(this.byEvent, sessionSamples),
        blocked: {
          sessionSamples: blockedSamples,
          share: sessionSamples === 0 ? 0 : roundShare(blockedSamples / sessionSamples),
          maxBlockedInSample: this.maxBlockedInSample,
          maxChainDepth: this.maxChainDepth,
          byChainDepth: { ...this.byChainDepth },
          byRelation: sortedByCount(this.byRelation),
          byLockType: sortedByCount(this.byLockType),
        },
      },
      intervals,
    };
  }

  /** The counts per interval of intervalMs: floor(floor(t / a) / m) = floor(t / (a·m)) for a whole m. */
  private intervalCounts(intervalMs: number): ReadonlyMap<number, { total: number; counts: Record<string, number> }> {
    const multiple = intervalMs / this.window.intervalMs;
    if (!Number.isInteger(multiple) || multiple < 1) {
      throw new Error(`the lock-wait profile counted per ${this.window.intervalMs} ms cannot give intervals of ${intervalMs} ms: use a whole multiple`);
    }
    if (multiple === 1) return this.perInterval;
    const merged = new Map<number, { total: number; counts: Record<string, number> }>();
    for (const [index, { total, counts }] of this.perInterval) {
      const into = merged.get(Math.floor(index / multiple)) ?? { total: 0, counts: {} };
      merged.set(Math.floor(index / multiple), into);
      into.total += total;
      for (const [category, count] of Object.entries(counts)) into.counts[category] = (into.counts[category] ?? 0) + count;
    }
    return merged;
  }
}

/**
 * "partial: 56 of 102 samples failed" when some samples failed (the sampler's connection dropped),
 * "not sampled: <why>" when the sampler never ran; undefined for a complete profile.
 */
export function lockSamplingGap(section: LockWaitSection): string | undefined {
  if (section.failure !== undefined) return `not sampled: ${section.failure}`;
  const failed = section.failedSamples ?? 0;
  if (failed === 0) return undefined;
  return `partial: ${failed} of ${section.samples + failed} samples failed${section.lastError ? ` (last error: ${section.lastError})` : ''}`;
}

/** Share of session-samples per category, largest first. */
export function sharesOf(counts: Readonly<Record<string, number>>, total: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, count] of Object.entries(sortedByCount(counts))) result[key] = total === 0 ? 0 : roundShare(count / total);
  return result;
}

/** The share of a category family ("Lock" → every "Lock:…") in a profile of counts. */
export function familyShare(byEvent: Readonly<Record<string, number>>, family: string, total: number): number {
  let count = 0;
  for (const [key, value] of Object.entries(byEvent)) if (key === family || key.startsWith(`${family}:`)) count += value;
  return total === 0 ? 0 : count / total;
}

function sortedByCount(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function roundShare(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
