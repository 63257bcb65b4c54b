import test from 'ava';
import { LiveRun, blockingOf } from '../../../coordinator/live/live-run.ts';
import { aggregateRun, type TimedEvent } from '../../../coordinator/run/run-aggregate.ts';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { assignSessions } from '../../../coordinator/run/session-assignment.ts';
import { createHistogram, encodeHistogram, recordMicros } from '../../../shared/histogram.ts';
import type { OperationCounters, SessionEvent } from '../../../shared/protocol/messages.ts';
import type { SessionSample } from '../../../coordinator/observe/lock-profile.ts';

const ENV = { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_x', RESULTS_DIR: '/tmp/r' };
const START = 1_700_000_000_000;
const base = (sessionId: number, workerId: string) => ({ protocol: 1 as const, runId: 'run1', sessionId, workerId });
const counters = (ok: number, failed = 0, byError: Record<string, number> = {}): OperationCounters => ({ ok, failed, retried: failed, byError });
const encoded = (values: readonly number[]): string => {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return encodeHistogram(h);
};
const at = (ms: number, event: SessionEvent): TimedEvent => ({ event, atMs: START + ms });

const EVENTS: TimedEvent[] = [
  at(1, { ...base(0, 'w1'), type: 'started', lateMs: 0.4 }),
  at(1, { ...base(1, 'w2'), type: 'started', lateMs: 0.4 }),
  at(2, { ...base(2, 'w1'), type: 'started', lateMs: 0.4 }),
  at(1000, { ...base(0, 'w1'), type: 'interval', index: 0, counters: counters(2), latency: encoded([1000, 2000]) }),
  at(1000, { ...base(1, 'w2'), type: 'interval', index: 0, counters: counters(1, 1, { '40P01': 1 }), latency: encoded([5000]) }),
  at(2000, { ...base(0, 'w1'), type: 'interval', index: 1, counters: counters(3), latency: encoded([1000, 1500, 9000]) }),
  at(2000, { ...base(0, 'w1'), type: 'done', status: 'completed', counters: counters(5), digest: 'd', lateMs: 0.4, committed: {}, touched: [] }),
];

function liveRun(): LiveRun {
  const assignment = assignSessions(3, [{ id: 'w1', capacity: 2 }, { id: 'w2', capacity: 2 }]);
  const live = new LiveRun({ runId: 'run1', name: 'n', scenario: 'single', strategy: 'current', shape: 'bare', sessions: 3, intervalMs: 1000, assignment: assignment.bySession });
  live.start(START);
  return live;
}

test('the live view counts what run.json will: operations, errors and per-interval latency as the aggregate merges them', (t) => {
  const live = liveRun();
  for (const e of EVENTS) live.addEvent(e);
  const snapshot = live.snapshot(START + 2000);
  const { config } = parseRunArgs(['--sessions', '3', '--iterations', '4'], ENV);
  const assignment = assignSessions(3, [{ id: 'w1', capacity: 2 }, { id: 'w2', capacity: 2 }]);
  const { report } = aggregateRun({
    runId: 'run1', config, dataset: { documents: 10, references: 10, avgRefsPerDoc: 1, partitions: 1, distinctPairs: false },
    assignment, hosts: new Map(), startAtMs: START, endAtMs: START + 2000, intervalMs: 1000, events: EVENTS, lost: new Map(),
  });
  t.deepEqual(snapshot.ops, { ok: report.ops.ok, failed: report.ops.failed, rejected: 0, retried: report.ops.retried });
  t.deepEqual(snapshot.byError, report.ops.byError);
  t.is(snapshot.latencyMs.p99, report.latencyMs.p99);
  t.deepEqual(
    snapshot.intervals.map((i) => [i.t, i.ok, i.failed, i.p50Ms, i.p99Ms, i.maxMs]),
    report.intervals.map((i) => [i.t, i.ok, i.failed, i.p50Ms, i.p99Ms, i.maxMs]),
  );
  t.is(snapshot.phase, 'running');
});

test('sessions per worker: active until done, lost as the collector declares them', (t) => {
  const live = liveRun();
  for (const e of EVENTS) live.addEvent(e);
  live.setLost([1]);
  const byId = Object.fromEntries(live.snapshot(START + 2000).workers.map((w) => [w.id, w]));
  t.deepEqual(byId.w1, { id: 'w1', sessions: 2, active: 1, done: 1, lost: 0 });
  t.deepEqual(byId.w2, { id: 'w2', sessions: 1, active: 0, done: 0, lost: 1 });
});

test('the latest interval shown is the last complete one, not the one just begun', (t) => {
  const live = liveRun();
  for (const e of EVENTS) live.addEvent(e);
  t.is(live.snapshot(START + 1500).latest?.t, 0);
  t.is(live.snapshot(START + 2100).latest?.t, 1);
});

const session = (pid: number, blockingPids: number[] = [], waitEventType: string | null = null, waitEvent: string | null = null): SessionSample => ({
  pid, state: 'active', waitEventType, waitEvent, blockingPids,
});

test('lock samples: shares per interval and over the run; blocked sessions and the longest chain of the latest sample', (t) => {
  const live = liveRun();
  for (const e of EVENTS) live.addEvent(e);
  live.addLockSample({
    atMs: START + 500,
    sessions: [session(1), session(2, [1], 'Lock', 'transactionid'), session(3, [2], 'Lock', 'tuple'), session(4, [1], 'Lock', 'transactionid')],
  });
  const s = live.snapshot(START + 1500);
  t.deepEqual(s.intervals[0].lockWaits, { 'Lock:transactionid': 0.5, CPU: 0.25, 'Lock:tuple': 0.25 });
  t.is(s.lockWaitShares['Lock:transactionid'], 0.5);
  t.deepEqual(s.blocking, { blocked: 3, longestChain: [3, 2, 1] });
});

test('a wait cycle (a deadlock not yet detected) ends the chain at the session seen twice', (t) => {
  const chain = blockingOf([session(1, [2], 'Lock', 'transactionid'), session(2, [1], 'Lock', 'transactionid')]).longestChain;
  t.true(chain.length === 2 && new Set(chain).size === 2, chain.join(','));
});

test('constant memory: an interval two behind the latest is final, its percentiles kept, a straggler adds to its counts only', (t) => {
  const live = liveRun();
  for (let index = 0; index < 5; index++) {
    live.addEvent(at(1000 * (index + 1), { ...base(0, 'w1'), type: 'interval', index, counters: counters(1), latency: encoded([1000]) }));
  }
  live.addEvent(at(5100, { ...base(1, 'w2'), type: 'interval', index: 0, counters: counters(1), latency: encoded([900_000]) }));
  live.addEvent(at(5100, { ...base(1, 'w2'), type: 'interval', index: 4, counters: counters(1), latency: encoded([900_000]) }));
  const { intervals, latencyMs } = live.snapshot(START + 5200);
  t.like(intervals[0], { ok: 2, p99Ms: 1 }, 'interval 0 was final: the straggler counts, its latency does not move the percentiles');
  t.true(intervals[4]!.p99Ms > 800, 'the latest interval still takes late values');
  t.true(latencyMs.max > 800, "the run's histogram takes every value");
});
