import test from 'ava';
import { deadlockForensics } from '../../../coordinator/observe/deadlock-forensics.ts';
import { lockAttribution, LockAttributionAccumulator } from '../../../coordinator/observe/lock-attribution.ts';
import { lockProfile, LockProfileAccumulator, type LockSample, type SessionSample } from '../../../coordinator/observe/lock-profile.ts';
import { LockSampleFold, RECENT_MS } from '../../../coordinator/observe/lock-sample-fold.ts';
import type { SessionDeadlock } from '../../../coordinator/observe/run-observers.ts';

/** A small deterministic generator (mulberry32), so that the samples are varied but the test is repeatable. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = 1_000_000;
const SAMPLE_MS = 100;
const PIDS = [100, 101, 102, 103, 104, 105];
const STATES = ['active', 'active', 'idle', 'idle in transaction', null] as const;

/** Samples every 100 ms from just before the start to `seconds` after it: blocked chains, tags, states of every kind. */
function samplesOver(seconds: number, seed = 7): LockSample[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const samples: LockSample[] = [];
  for (let atMs = START - 30; atMs <= START + seconds * 1000; atMs += SAMPLE_MS) {
    const sessions: SessionSample[] = PIDS.map((pid, i) => {
      const op = 1 + Math.floor((atMs - START) / 700) + i;
      const documents = [1 + Math.floor(next() * 12), 1 + Math.floor(next() * 12)];
      const base: SessionSample = {
        pid,
        state: pick(STATES),
        waitEventType: null,
        waitEvent: null,
        blockingPids: [],
        ...(next() < 0.8 && { tag: { run: 'r', session: i, op, documents, partitions: documents.map((d) => d % 4) } }),
        ...(next() < 0.7 && { xactMs: Math.floor(next() * 500) }),
        ...(next() < 0.3 && { statement: pick(['UPDATE dms.Document', 'INSERT INTO dms.Reference', 'DELETE FROM dms.Reference']) }),
      };
      if (next() < 0.4) {
        const blocker = pick(PIDS.filter((p) => p !== pid));
        const lockType = pick(['transactionid', 'tuple', undefined]);
        return {
          ...base,
          state: 'active',
          waitEventType: 'Lock',
          waitEvent: lockType ?? 'transactionid',
          blockingPids: next() < 0.2 ? [blocker, 999] : [blocker],
          ...(lockType && { lockType, lockMode: pick(['ShareLock', 'ExclusiveLock']) }),
          ...(next() < 0.7 && { relation: pick(['dms.document_01', 'dms.reference_02']) }),
        };
      }
      return next() < 0.2 ? { ...base, waitEventType: 'LWLock', waitEvent: 'WALInsert' } : base;
    });
    samples.push({ atMs: atMs + next() * 5, sessions });
  }
  return samples;
}

function deadlockAt(atMs: number, sessionId: number, pid: number, other: number, op = 3): SessionDeadlock {
  return {
    atMs,
    pid,
    sessionId,
    op,
    documents: [5],
    partitions: [1],
    edges: [
      { pid, blockedBy: other, lockType: 'transaction', lockMode: 'ShareLock' },
      { pid: other, blockedBy: pid, lockType: 'tuple', lockMode: 'ExclusiveLock', ...(other % 2 === 0 && { relationOid: 77 }) },
    ],
  };
}

test('folded as they come, with the latest samples and those after the end left for the end, the sections are those of the whole list', (t) => {
  const samples = samplesOver(95);
  const window = { startAtMs: START, endAtMs: START + 90_000, intervalMs: 1000 };
  // Reported an interval or so after the error; one while no later sample is in yet; one never noted live.
  const deadlocks = [
    deadlockAt(START + 12_000, 1, 101, 104),
    deadlockAt(START + 40_050, 3, 103, 100),
    deadlockAt(START + 40_050, 0, 100, 103),
    deadlockAt(START + 70_000, 2, 102, 105),
    deadlockAt(START + 89_990, 4, 104, 999),
    { ...deadlockAt(START + 50_000, 5, 105, 101), edges: [] },
  ];
  const arrivals = new Map<number, SessionDeadlock[]>([
    [Math.floor((13_200 + 30) / SAMPLE_MS), [deadlocks[0]]],
    [Math.floor((40_000 + 30) / SAMPLE_MS), [deadlocks[1], deadlocks[5]]],
    [Math.floor((41_500 + 30) / SAMPLE_MS), [deadlocks[2]]],
    [Math.floor((71_000 + 30) / SAMPLE_MS), [deadlocks[3]]],
  ]);
  const names = new Map([[77, 'dms.reference_03']]);
  const fold = new LockSampleFold(START);
  let mostRecent = 0;
  samples.forEach((sample, i) => {
    fold.add(sample);
    mostRecent = Math.max(mostRecent, fold.recentSamples);
    fold.noteDeadlocks(arrivals.get(i) ?? []);
  });
  const folded = fold.finish(window, deadlocks, names);

  t.deepEqual(folded.profile, lockProfile(samples, window));
  t.deepEqual(folded.attribution, lockAttribution(samples, window));
  t.deepEqual(folded.deadlocks, deadlockForensics(deadlocks, samples, names));
  t.true(folded.deadlocks.patterns.some((p) => p.cycle.every((c) => c.session !== undefined)), 'the participants were named');
  t.true(samples.some((s) => s.atMs > window.endAtMs) && samples.some((s) => s.atMs < window.startAtMs), 'samples outside the run were there to leave out');
  t.true(folded.profile.section.samples < samples.length);
  t.true(mostRecent <= RECENT_MS / SAMPLE_MS + 2, `at most ${RECENT_MS} ms of samples kept: ${mostRecent}`);
});

test('the samples kept do not grow with the run: ten minutes of samples, thirty seconds kept', (t) => {
  const fold = new LockSampleFold(START);
  const [template] = samplesOver(0);
  let most = 0;
  for (let atMs = START; atMs < START + 600_000; atMs += SAMPLE_MS) {
    fold.add({ atMs, sessions: template.sessions });
    most = Math.max(most, fold.recentSamples);
  }
  t.is(most, RECENT_MS / SAMPLE_MS + 1);
  const { profile } = fold.finish({ endAtMs: START + 600_000, intervalMs: 1000 }, [], new Map());
  t.is(profile.section.samples, 6000);
  t.is(profile.intervals.size, 600);
});

test('a deadlock reported before a sample later than its error waits for one: every sample up to the error can name its participants', (t) => {
  const seenAt = (atMs: number, op: number): LockSample => ({
    atMs,
    sessions: [{ pid: 20, state: 'active', waitEventType: 'Lock', waitEvent: 'tuple', blockingPids: [10], relation: 'dms.document_01', tag: { run: 'r', session: 2, op, documents: [op], partitions: [op % 4] } }],
  });
  const samples = [seenAt(START + 900, 7), seenAt(START + 950, 8), seenAt(START + 1100, 9)];
  const deadlock = deadlockAt(START + 1000, 1, 10, 20);
  const fold = new LockSampleFold(START);
  fold.add(samples[0]);
  fold.noteDeadlocks([deadlock]);
  fold.add(samples[1]);
  fold.add(samples[2]);
  const { deadlocks } = fold.finish({ endAtMs: START + 2000, intervalMs: 1000 }, [deadlock], new Map());
  t.deepEqual(deadlocks, deadlockForensics([deadlock], samples, new Map()));
  t.true(deadlocks.patterns[0].cycle.some((p) => p.session === 2 && p.op === 8), 'the latest sample before the error names the other pid');
});

test('accumulators fed one sample at a time give what the whole-list functions give; the profile merges its counts into longer intervals', (t) => {
  const samples = samplesOver(12, 11);
  const window = { startAtMs: START, endAtMs: START + 10_000, intervalMs: 1000 };
  const profile = new LockProfileAccumulator(window);
  const attribution = new LockAttributionAccumulator(START);
  for (const sample of samples) {
    if (sample.atMs > window.endAtMs) continue;
    profile.add(sample);
    attribution.add(sample);
  }
  t.deepEqual(profile.result(), lockProfile(samples, window));
  t.deepEqual(profile.result(3000), lockProfile(samples, { ...window, intervalMs: 3000 }));
  t.deepEqual(attribution.result(), lockAttribution(samples, window));
  t.throws(() => profile.result(1500), { message: /whole multiple/ });
});
