import type { DeadlockPattern, DeadlockSection } from '../results/run-report-sections.ts';
import type { LockSample, SessionSample } from './lock-profile.ts';
import type { SessionDeadlock } from './run-observers.ts';

/**
 * Deadlock forensics (docs/architecture.md#deadlock-forensics): each deadlock a victim session
 * reported (its error's DETAIL parsed into a cycle of backend pids) becomes a cycle of sessions,
 * lock types, relations and documents, and cycles of the same pattern are counted together. Pure.
 *
 * Who the other pids were comes from the lock-wait samples, not from the victim: PostgreSQL detects a
 * deadlock only after deadlock_timeout (1 s by default) of waiting, so the sampler (every 100 ms)
 * has seen every participant blocked, with its SQL tag, just before; a victim asking
 * pg_stat_activity after its error would race the winner, which goes on as soon as the victim's
 * transaction ends. A pid the samples never showed keeps its lock but no session or documents.
 */

/** How far before the error a sample may be to say who a pid was. */
export const PARTICIPANT_LOOKBACK_MS = 5000;
export const TOP_PATTERNS = 10;

interface Participant {
  readonly session?: number;
  readonly op?: number;
  readonly documents: readonly number[];
  readonly lockType: string;
  readonly lockMode: string;
  readonly relation?: string;
}

/**
 * What the samples showed of one edge's pid just before the error: its tag, and the relation of the
 * row lock it waited for (undefined: no sample within the lookback showed the pid with a tag).
 */
export type Sighting = Pick<SessionSample, 'tag' | 'relation'> | undefined;

/** A deadlock with the sighting of each of its edges' pids, in edge order. */
export interface SightedDeadlock {
  readonly deadlock: SessionDeadlock;
  readonly sightings: readonly Sighting[];
}

export function deadlockForensics(
  deadlocks: readonly SessionDeadlock[],
  samples: readonly LockSample[],
  relationNames: ReadonlyMap<number, string>,
): DeadlockSection {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  return forensicsOfSighted(
    deadlocks.map((deadlock) => ({ deadlock, sightings: sightingsOf(deadlock, sorted) })),
    relationNames,
  );
}

/**
 * The sighting of each edge's pid in samples sorted by time. For the result to be what the whole
 * list gives, `samples` must hold every sample from PARTICIPANT_LOOKBACK_MS before the error to it.
 */
export function sightingsOf(deadlock: SessionDeadlock, samples: readonly LockSample[]): Sighting[] {
  return deadlock.edges.map((edge) => {
    const seen = lastSeen(samples, edge.pid, deadlock.atMs);
    return seen && { tag: seen.tag, ...(seen.relation !== undefined && { relation: seen.relation }) };
  });
}

/** deadlockForensics with each deadlock's participants already looked up in the samples (sightingsOf). */
export function forensicsOfSighted(sighted: readonly SightedDeadlock[], relationNames: ReadonlyMap<number, string>): DeadlockSection {
  const patterns = new Map<string, DeadlockPattern & { count: number }>();
  for (const { deadlock, sightings } of sighted) {
    if (deadlock.edges.length === 0) continue;
    const participants: Participant[] = deadlock.edges.map((edge, i) => {
      const seen = sightings[i];
      const relation = edge.relationOid !== undefined ? (relationNames.get(edge.relationOid) ?? String(edge.relationOid)) : seen?.relation;
      const who =
        edge.pid === deadlock.pid
          ? { session: deadlock.sessionId, op: deadlock.op, documents: deadlock.documents }
          : seen?.tag
            ? { session: seen.tag.session, op: seen.tag.op, documents: seen.tag.documents }
            : { documents: [] };
      return { ...who, lockType: edge.lockType, lockMode: edge.lockMode, ...(relation !== undefined && { relation }) };
    });
    const { key, rotated } = canonical(participants);
    const known = patterns.get(key);
    if (known) known.count += 1;
    else {
      const cycle = rotated.map((p, i) => ({ role: roleName(i), ...p, documents: [...p.documents] }));
      patterns.set(key, { count: 1, cycle, sharedDocuments: sharedDocuments(rotated) });
    }
  }
  const ranked = [...patterns.values()].sort((a, b) => b.count - a.count).slice(0, TOP_PATTERNS);
  return { count: sighted.length, patterns: ranked };
}

/** What a participant's key is made of: the lock it waited for, not who it was. */
function lockKey(p: Participant): string {
  return `${p.lockType}:${p.lockMode}@${p.relation ?? '?'}`;
}

/** The cycle rotated to the start whose sequence of lock keys sorts first: the same cycle seen from any participant gets one key. */
export function canonical(participants: readonly Participant[]): { key: string; rotated: Participant[] } {
  let best: { key: string; rotated: Participant[] } | undefined;
  for (let start = 0; start < participants.length; start++) {
    const rotated = [...participants.slice(start), ...participants.slice(0, start)];
    const key = rotated.map(lockKey).join(' → ');
    if (!best || key < best.key) best = { key, rotated };
  }
  return best ?? { key: '', rotated: [] };
}

/** Documents that two or more participants' operations hold, ascending. */
function sharedDocuments(participants: readonly Participant[]): number[] {
  const seen = new Map<number, number>();
  for (const p of participants) for (const d of new Set(p.documents)) seen.set(d, (seen.get(d) ?? 0) + 1);
  return [...seen].filter(([, n]) => n >= 2).map(([d]) => d).sort((a, b) => a - b);
}

function roleName(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `P${index + 1}`;
}

/**
 * The latest sample at or before atMs (within the lookback) in which `pid` showed a tag; samples
 * sorted by time. Its relation (the row lock's, from pg_locks) names a transaction lock's relation,
 * which the DETAIL does not give.
 */
function lastSeen(samples: readonly LockSample[], pid: number, atMs: number): SessionSample | undefined {
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (samples[mid].atMs <= atMs) low = mid + 1;
    else high = mid;
  }
  for (let i = low - 1; i >= 0 && samples[i].atMs >= atMs - PARTICIPANT_LOOKBACK_MS; i--) {
    const session = samples[i].sessions.find((s) => s.pid === pid);
    if (session?.tag) return session;
  }
  return undefined;
}
