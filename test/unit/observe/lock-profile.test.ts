import test from 'ava';
import { categoryOf, chainDepths, familyShare, lockProfile, type LockSample, type SessionSample } from '../../../coordinator/observe/lock-profile.ts';

const session = (pid: number, over: Partial<SessionSample> = {}): SessionSample => ({
  pid,
  state: 'active',
  waitEventType: null,
  waitEvent: null,
  blockingPids: [],
  ...over,
});
const lockWait = (pid: number, blockers: number[], type = 'transactionid'): SessionSample =>
  session(pid, { waitEventType: 'Lock', waitEvent: type, blockingPids: blockers, lockType: type, lockMode: 'ShareLock', relation: 'dms.document_01' });

test('categories: CPU when active without a wait, type:event when waiting, states by name', (t) => {
  t.is(categoryOf(session(1)), 'CPU');
  t.is(categoryOf(session(1, { waitEventType: 'LWLock', waitEvent: 'LockManager' })), 'LWLock:LockManager');
  t.is(categoryOf(lockWait(1, [2])), 'Lock:transactionid');
  t.is(categoryOf(session(1, { state: 'idle', waitEventType: 'Client', waitEvent: 'ClientRead' })), 'Idle');
  t.is(categoryOf(session(1, { state: 'idle in transaction', waitEventType: 'Client', waitEvent: 'ClientRead' })), 'IdleInTransaction');
  t.is(categoryOf(session(1, { state: 'idle in transaction (aborted)' })), 'IdleInTransactionAborted');
});

test('chain depth follows blockers that are blocked themselves, and survives a cycle', (t) => {
  const depths = chainDepths([session(1), lockWait(2, [1]), lockWait(3, [2]), lockWait(4, [3, 1]), lockWait(5, [99])]);
  t.is(depths.get(2), 1);
  t.is(depths.get(3), 2);
  t.is(depths.get(4), 3);
  t.is(depths.get(5), 1, 'a blocker outside the run counts as running');
  t.false(depths.has(1));
  const cycle = chainDepths([lockWait(1, [2]), lockWait(2, [1])]);
  t.true((cycle.get(1) ?? 0) >= 1 && (cycle.get(2) ?? 0) >= 1);
});

test('the profile counts session-samples per category, blocked ones by lock, relation and depth', (t) => {
  const start = 1_000_000;
  const samples: LockSample[] = [
    { atMs: start + 100, sessions: [session(1), lockWait(2, [1]), lockWait(3, [2], 'tuple')] },
    { atMs: start + 1100, sessions: [session(1, { state: 'idle' }), session(2, { waitEventType: 'LWLock', waitEvent: 'WALInsert' }), session(3)] },
    { atMs: start - 50, sessions: [session(1, { state: 'idle' })] },
    { atMs: start + 9999, sessions: [session(1, { state: 'idle' })] },
  ];
  const { section, intervals } = lockProfile(samples, { startAtMs: start, endAtMs: start + 2000, intervalMs: 1000 });
  t.is(section.samples, 2, 'samples outside the run are left out');
  t.is(section.sessionSamples, 6);
  t.deepEqual(section.byEvent, { CPU: 2, Idle: 1, 'Lock:transactionid': 1, 'Lock:tuple': 1, 'LWLock:WALInsert': 1 });
  t.is(Object.values(section.byEvent).reduce((a, b) => a + b, 0), section.sessionSamples, 'every session-sample counted once');
  t.is(section.blocked.sessionSamples, 2);
  t.is(section.blocked.maxBlockedInSample, 2);
  t.is(section.blocked.maxChainDepth, 2);
  t.deepEqual(section.blocked.byChainDepth, { '1': 1, '2': 1 });
  t.deepEqual(section.blocked.byRelation, { 'dms.document_01': 2 });
  t.deepEqual(section.blocked.byLockType, { 'transactionid:ShareLock': 1, 'tuple:ShareLock': 1 });
  t.deepEqual([...intervals.keys()], [0, 1]);
  t.is(intervals.get(0)?.['Lock:transactionid'], 0.3333);
  t.is(intervals.get(1)?.['LWLock:WALInsert'], 0.3333);
  t.is(familyShare(section.byEvent, 'Lock', section.sessionSamples), 2 / 6);
});

test('no samples: an empty profile, not an error', (t) => {
  const { section, intervals } = lockProfile([], { startAtMs: 0, endAtMs: 1000, intervalMs: 1000 });
  t.is(section.sessionSamples, 0);
  t.is(section.blocked.share, 0);
  t.is(intervals.size, 0);
});
