import test from 'ava';
import { reportedDeadlocks } from '../../../coordinator/observe/reported-deadlocks.ts';
import type { DeadlockReport, MeasurementEvent } from '../../../shared/protocol/messages.ts';

const deadlock = (atMs: number, pid: number): DeadlockReport => ({
  atMs,
  pid,
  op: 3,
  documents: [5],
  partitions: [1],
  edges: [{ pid, blockedBy: pid + 1, lockType: 'transaction', lockMode: 'ShareLock' }],
});
const measurements = { index: 2, counters: { ok: 1, failed: 1, retried: 0, byError: { '40P01': 1 } }, latency: '' };

test("a worker's merged interval reports each session's deadlocks with that session, an older per-session interval its own", (t) => {
  const merged: MeasurementEvent = {
    protocol: 1,
    runId: 'r',
    workerId: 'w1',
    type: 'worker-interval',
    ...measurements,
    sessions: [
      { sessionId: 4, operations: 1, deadlocks: [deadlock(10, 40), deadlock(20, 41)] },
      { sessionId: 5, operations: 1 },
      { sessionId: 6, operations: 1, deadlocks: [deadlock(30, 60)] },
    ],
  };
  t.deepEqual(
    reportedDeadlocks(merged).map((d) => [d.sessionId, d.pid, d.atMs]),
    [
      [4, 40, 10],
      [4, 41, 20],
      [6, 60, 30],
    ],
  );
  const own: MeasurementEvent = { protocol: 1, runId: 'r', workerId: 'w1', sessionId: 7, type: 'interval', ...measurements, deadlocks: [deadlock(40, 70)] };
  t.deepEqual(reportedDeadlocks(own), [{ ...deadlock(40, 70), sessionId: 7 }]);
  t.deepEqual(reportedDeadlocks({ protocol: 1, runId: 'r', workerId: 'w1', sessionId: 7, type: 'ready', connectMs: 3 }), []);
});
