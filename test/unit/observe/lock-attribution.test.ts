import test from 'ava';
import { deadlockForensics } from '../../../coordinator/observe/deadlock-forensics.ts';
import { lockAttribution } from '../../../coordinator/observe/lock-attribution.ts';
import type { LockSample, SessionSample } from '../../../coordinator/observe/lock-profile.ts';
import type { SqlTag } from '../../../shared/workload/sql-tag.ts';

const tagOf = (session: number, op: number, documents: number[]): SqlTag => ({ run: 'r', session, op, documents, partitions: documents.map((d) => d % 4) });
const running = (pid: number, tag?: SqlTag, over: Partial<SessionSample> = {}): SessionSample => ({
  pid,
  state: 'active',
  waitEventType: null,
  waitEvent: null,
  blockingPids: [],
  ...(tag && { tag }),
  ...over,
});
const blocked = (pid: number, blockers: number[], tag?: SqlTag): SessionSample =>
  running(pid, tag, { waitEventType: 'Lock', waitEvent: 'transactionid', blockingPids: blockers, lockType: 'transactionid', lockMode: 'ShareLock', relation: 'dms.document_01' });
const window = { startAtMs: 0, endAtMs: 1000 };

test('blocked session-samples count for the documents and partitions of the blocked operation', (t) => {
  const samples: LockSample[] = [
    { atMs: 100, sessions: [running(1, tagOf(0, 5, [3]), { state: 'idle in transaction', xactMs: 40, statement: 'UPDATE dms.Document' }), blocked(2, [1], tagOf(1, 7, [3])), blocked(3, [2], tagOf(2, 2, [3, 9]))] },
    { atMs: 200, sessions: [running(1, tagOf(0, 5, [3]), { state: 'idle in transaction', xactMs: 140 }), blocked(2, [1], tagOf(1, 7, [3])), running(3, tagOf(2, 3, [8]))] },
    { atMs: 5000, sessions: [blocked(2, [1], tagOf(1, 7, [99]))] },
  ];
  const attribution = lockAttribution(samples, window)!;
  t.deepEqual(attribution.documents, [
    { document: 3, partition: 3, blockedSamples: 3 },
    { document: 9, partition: 1, blockedSamples: 1 },
  ]);
  t.deepEqual(
    attribution.partitions.map((p) => [p.partition, p.blockedSamples]),
    [
      [3, 3],
      [1, 1],
      [0, 0],
    ],
  );
  t.deepEqual(attribution.partitions[0].byEvent, { IdleInTransaction: 2, 'Lock:transactionid': 3 });
  t.deepEqual(attribution.rootBlockers, [
    { session: 0, op: 5, documents: [3], state: 'idle in transaction', statement: 'UPDATE dms.Document', blockedSamples: 3, samples: 2, longestXactMs: 140 },
  ]);
  t.is(attribution.untaggedBlockedSamples, 0);
});

test('disjoint sessions, never blocked: no contended documents; untagged samples: no attribution at all', (t) => {
  const samples: LockSample[] = [{ atMs: 10, sessions: [running(1, tagOf(0, 1, [1])), running(2, tagOf(1, 1, [2]))] }];
  t.deepEqual(lockAttribution(samples, window)!.documents, []);
  t.deepEqual(lockAttribution(samples, window)!.rootBlockers, []);
  t.is(lockAttribution([{ atMs: 10, sessions: [blocked(1, [2]), running(2)] }], window), undefined);
});

test('a deadlock cycle names both sessions and their documents, and the same cycle from either side is one pattern', (t) => {
  const samples: LockSample[] = [{ atMs: 900, sessions: [blocked(10, [20], tagOf(1, 4, [5, 6])), blocked(20, [10], tagOf(2, 8, [6, 5]))] }];
  const edge = (pid: number, blockedBy: number, lockType: string, relationOid?: number) => ({ pid, blockedBy, lockType, lockMode: 'ShareLock', ...(relationOid && { relationOid }) });
  const fromOne = { atMs: 1000, pid: 10, sessionId: 1, op: 4, documents: [5, 6], partitions: [1, 2], edges: [edge(10, 20, 'transaction'), edge(20, 10, 'tuple', 77)] };
  const fromTwo = { atMs: 1000, pid: 20, sessionId: 2, op: 8, documents: [6, 5], partitions: [2, 1], edges: [edge(20, 10, 'tuple', 77), edge(10, 20, 'transaction')] };
  const section = deadlockForensics([fromOne, fromTwo], samples, new Map([[77, 'dms.reference_03']]));
  t.is(section.count, 2);
  t.is(section.patterns.length, 1);
  const [pattern] = section.patterns;
  t.is(pattern.count, 2);
  t.deepEqual(
    pattern.cycle.map((p) => [p.role, p.session, p.lockType, p.relation ?? null, p.documents]),
    [
      ['A', 1, 'transaction', 'dms.document_01', [5, 6]],
      ['B', 2, 'tuple', 'dms.reference_03', [6, 5]],
    ],
  );
  t.deepEqual(pattern.sharedDocuments, [5, 6]);
});

test('a deadlock participant the sampler never saw keeps its lock but no session', (t) => {
  const edges = [
    { pid: 10, blockedBy: 30, lockType: 'transaction', lockMode: 'ShareLock' },
    { pid: 30, blockedBy: 10, lockType: 'transaction', lockMode: 'ShareLock' },
  ];
  const section = deadlockForensics([{ atMs: 1000, pid: 10, sessionId: 1, op: 4, documents: [5], partitions: [1], edges }], [], new Map());
  t.deepEqual(
    section.patterns[0].cycle.map((p) => p.session),
    [1, undefined],
  );
});
