import type { LockWaitSection, RootBlocker } from '../results/run-report-sections.ts';
import { categoryOf, type LockSample, type ProfileWindow, type SessionSample } from './lock-profile.ts';

/**
 * Lock waits attributed through the SQL tags (docs/architecture.md#sql-tags): which documents and
 * partitions the blocked sessions were working on, and the root blockers (sessions that blocked
 * others while not blocked themselves) with what they ran and for how long. Pure: samples in,
 * `lockWaits` fields out; nothing when no session-sample carried a tag (--no-sql-tags).
 */

export type LockAttribution = Required<Pick<LockWaitSection, 'documents' | 'partitions' | 'rootBlockers' | 'untaggedBlockedSamples'>>;

export const TOP_DOCUMENTS = 20;
export const TOP_ROOT_BLOCKERS = 10;
const IDLE = 'Idle';

interface RootTotals {
  blocker: Omit<RootBlocker, 'blockedSamples' | 'samples' | 'longestXactMs'>;
  blockedSamples: number;
  samples: number;
  longestXactMs: number;
  lastSampleAtMs: number;
}

export function lockAttribution(samples: readonly LockSample[], window: Pick<ProfileWindow, 'startAtMs' | 'endAtMs'>): LockAttribution | undefined {
  const attribution = new LockAttributionAccumulator(window.startAtMs);
  for (const sample of samples) if (sample.atMs <= window.endAtMs) attribution.add(sample);
  return attribution.result();
}

/**
 * lockAttribution one sample at a time, so that the samples need not be kept. Samples before
 * `startAtMs` are left out here; the caller leaves out those after the run's end.
 */
export class LockAttributionAccumulator {
  private readonly documents = new Map<number, { partition: number; blockedSamples: number }>();
  private readonly partitions = new Map<number, { blockedSamples: number; byEvent: Record<string, number> }>();
  private readonly roots = new Map<string, RootTotals>();
  private tagged = 0;
  private untaggedBlockedSamples = 0;

  constructor(private readonly startAtMs: number) {}

  add(sample: LockSample): void {
    if (sample.atMs < this.startAtMs) return;
    const { documents, partitions, roots } = this;
    const byPid = new Map(sample.sessions.map((s) => [s.pid, s]));
    for (const session of sample.sessions) {
      const blocked = session.blockingPids.length > 0;
      if (session.tag) this.tagged += 1;
      if (blocked) {
        for (const root of rootsOf(session, byPid)) addRoot(roots, root, sample.atMs);
        if (!session.tag) this.untaggedBlockedSamples += 1;
      }
      const tag = session.tag;
      const category = categoryOf(session);
      if (!tag || category === IDLE) continue;
      const seenPartitions = new Set<number>();
      tag.documents.forEach((document, i) => {
        const partition = tag.partitions[i] ?? 0;
        if (blocked) {
          const entry = documents.get(document) ?? { partition, blockedSamples: 0 };
          entry.blockedSamples += 1;
          documents.set(document, entry);
        }
        if (seenPartitions.has(partition)) return;
        seenPartitions.add(partition);
        const entry = partitions.get(partition) ?? { blockedSamples: 0, byEvent: {} };
        if (blocked) entry.blockedSamples += 1;
        entry.byEvent[category] = (entry.byEvent[category] ?? 0) + 1;
        partitions.set(partition, entry);
      });
    }
  }

  /** Nothing when no session-sample carried a tag. */
  result(): LockAttribution | undefined {
    if (this.tagged === 0) return undefined;
    return {
      documents: [...this.documents]
        .map(([document, e]) => ({ document, partition: e.partition, blockedSamples: e.blockedSamples }))
        .sort((a, b) => b.blockedSamples - a.blockedSamples || a.document - b.document)
        .slice(0, TOP_DOCUMENTS),
      partitions: [...this.partitions]
        .map(([partition, e]) => ({ partition, blockedSamples: e.blockedSamples, byEvent: { ...e.byEvent } }))
        .sort((a, b) => b.blockedSamples - a.blockedSamples || a.partition - b.partition),
      rootBlockers: [...this.roots.values()]
        .map(({ blocker, blockedSamples, samples, longestXactMs }) => ({ ...blocker, blockedSamples, samples, longestXactMs }))
        .sort((a, b) => b.blockedSamples - a.blockedSamples || b.longestXactMs - a.longestXactMs)
        .slice(0, TOP_ROOT_BLOCKERS),
      untaggedBlockedSamples: this.untaggedBlockedSamples,
    };
  }
}

/**
 * The sessions at the ends of a blocked session's wait chains: blockers that are not blocked
 * themselves. Blockers outside the run (not sampled) and cycles (a deadlock not yet detected) end a
 * chain without a root.
 */
export function rootsOf(session: SessionSample, byPid: ReadonlyMap<number, SessionSample>): SessionSample[] {
  const roots = new Map<number, SessionSample>();
  const visited = new Set<number>([session.pid]);
  const pending = [...session.blockingPids];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (visited.has(pid)) continue;
    visited.add(pid);
    const blocker = byPid.get(pid);
    if (!blocker) continue;
    if (blocker.blockingPids.length === 0) roots.set(pid, blocker);
    else pending.push(...blocker.blockingPids);
  }
  return [...roots.values()];
}

function addRoot(roots: Map<string, RootTotals>, root: SessionSample, atMs: number): void {
  if (!root.tag) return;
  const key = `${root.tag.session}:${root.tag.op}`;
  let totals = roots.get(key);
  if (!totals) {
    totals = { blocker: { session: root.tag.session, op: root.tag.op, documents: [...root.tag.documents], state: '' }, blockedSamples: 0, samples: 0, longestXactMs: 0, lastSampleAtMs: -Infinity };
    roots.set(key, totals);
  }
  totals.blockedSamples += 1;
  if (totals.lastSampleAtMs !== atMs) totals.samples += 1;
  totals.lastSampleAtMs = atMs;
  totals.longestXactMs = Math.max(totals.longestXactMs, root.xactMs ?? 0);
  const state = root.state === 'active' || root.state === null ? categoryOf(root) : root.state;
  totals.blocker = { ...totals.blocker, state, ...(root.statement !== undefined && { statement: root.statement }) };
}
