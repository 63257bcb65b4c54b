import test from 'ava';
import { aggregateRun, CollectedIntervals, RunAggregator, type IntervalSink, type TimedEvent } from '../../../coordinator/run/run-aggregate.ts';
import type { IntervalHistogram } from '../../../shared/hlog.ts';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { assignSessions } from '../../../coordinator/run/session-assignment.ts';
import { documentsOfOperations, lookaheadOperations } from '../../../coordinator/run/lost-session-writes.ts';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistograms, recordMicros } from '../../../shared/histogram.ts';
import { MergedInterval } from '../../../worker/merged-interval.ts';
import type { OperationCounters, SessionEvent } from '../../../shared/protocol/messages.ts';

const ENV = { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_x', RESULTS_DIR: '/tmp/r' };
const DATASET = { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 };
const RUN = 'run1';
const START = 1_700_000_000_000;

const base = (sessionId: number, workerId: string) => ({ protocol: 1 as const, runId: RUN, sessionId, workerId });
const counters = (ok: number, failed = 0, retried = 0, byError: Record<string, number> = {}): OperationCounters => ({ ok, failed, retried, byError });

function encoded(values: readonly number[]): string {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return encodeHistogram(h);
}

function fixture() {
  const { config } = parseRunArgs(['--sessions', '3', '--iterations', '4', '--seed', '1'], ENV);
  const assignment = assignSessions(3, [{ id: 'w1', capacity: 2 }, { id: 'w2', capacity: 2 }]);
  const at = (ms: number, event: SessionEvent): TimedEvent => ({ event, atMs: START + ms });
  const events: TimedEvent[] = [
    at(-100, { ...base(0, 'w1'), type: 'ready', connectMs: 3 }),
    at(-100, { ...base(1, 'w2'), type: 'ready', connectMs: 3 }),
    at(-90, { ...base(2, 'w1'), type: 'ready', connectMs: 3 }),
    at(1, { ...base(0, 'w1'), type: 'started', lateMs: 0.4 }),
    at(2, { ...base(1, 'w2'), type: 'started', lateMs: 1.5 }),
    at(2, { ...base(2, 'w1'), type: 'started', lateMs: 0.9 }),
    at(1000, { ...base(0, 'w1'), type: 'interval', index: 0, counters: counters(2), latency: encoded([1000, 2000]) }),
    at(1000, { ...base(1, 'w2'), type: 'interval', index: 0, counters: counters(1, 1, 2, { '40P01': 3 }), latency: encoded([5000]) }),
    at(1000, { ...base(2, 'w1'), type: 'interval', index: 0, counters: counters(2), latency: encoded([3000, 4000]) }),
    at(1500, { ...base(0, 'w1'), type: 'interval', index: 1, counters: counters(2), latency: encoded([1000, 1000]) }),
    at(1500, {
      ...base(0, 'w1'), type: 'done', status: 'completed', counters: counters(4), digest: 'd0', lateMs: 0.4,
      committed: { '7': ['s1'], '9': ['s2'] }, touched: [7, 9],
    }),
    at(1600, { ...base(1, 'w2'), type: 'interval', index: 1, counters: counters(2, 0, 0, { '40P01': 1 }), latency: encoded([6000, 7000]) }),
    at(1600, {
      ...base(1, 'w2'), type: 'done', status: 'completed', counters: counters(3, 1, 2, { '40P01': 4 }), digest: 'd1', lateMs: 1.5,
      committed: { '7': ['s3'] }, touched: [7, 8],
    }),
  ];
  return { config, assignment, events };
}

test('histograms are added and counters summed: ok = latency count, ok + failed = recorded operations', (t) => {
  const { config, assignment, events } = fixture();
  const lost = new Map([[2, 'worker w1 stopped sending heartbeats']]);
  const collected = new CollectedIntervals();
  const { report, latency, committed, touched, uncertain } = aggregateRun({
    runId: RUN, config, dataset: DATASET, assignment, hosts: new Map([['w1', 'h1'], ['w2', 'h2']]),
    startAtMs: START, endAtMs: START + 2000, intervalMs: 1000, events, lost,
  }, collected);
  const { intervals } = collected;
  t.is(report.ops.ok, 9);
  t.is(report.ops.failed, 1);
  t.is(report.ops.retried, 2);
  t.deepEqual(report.ops.byError, { '40P01': 4 });
  t.is(latency.totalCount, report.ops.ok);
  t.is(report.latencyMs.count, 9);
  t.true(Math.abs(report.latencyMs.max - 7) < 0.01); // HDR: within 3 significant digits
  t.is(report.latencyMs.min, 1);
  t.is(intervals.length, 2);
  t.is(intervals[0].histogram.totalCount + intervals[1].histogram.totalCount, 9);
  t.deepEqual(report.intervals.map((i) => [i.t, i.ok, i.failed]), [[0, 5, 1], [1, 4, 0]]);
  // The last interval is partial: it ends where the last session reported (1600 ms), not after a
  // full interval, nor when the coordinator declared session 2 lost (2000 ms).
  t.is(report.intervals[0].opsPerSec, 5);
  t.is(report.intervals[1].opsPerSec, 6.7);
  t.true(Math.abs(report.intervals[1].maxMs - 7) < 0.01);
  t.deepEqual(report.sessions, { requested: 3, completed: 2, aborted: 0, failed: 0, lost: 1, maxConcurrent: 3, maxLateStartMs: 1.5, startSpreadMs: { p50: 0.9, p99: 1.5, max: 1.5 } });
  t.deepEqual(report.workers, [{ id: 'w1', host: 'h1', sessions: 2 }, { id: 'w2', host: 'h2', sessions: 1 }]);
  t.deepEqual(report.sessionResults, [
    { sessionId: 0, worker: 'w1', status: 'completed', ops: 4, digest: 'd0', lateMs: 0.4 },
    { sessionId: 1, worker: 'w2', status: 'completed', ops: 4, digest: 'd1', lateMs: 1.5 },
    // Lost, but what it sent is kept.
    { sessionId: 2, worker: 'w1', status: 'lost', reason: 'worker w1 stopped sending heartbeats', ops: 2, digest: null, lateMs: 0.9 },
  ]);
  t.is(report.throughput.opsPerSec, 5.6);
  t.deepEqual([...committed.get(7)!].sort(), ['s1', 's3']);
  // Session 2 is lost: what it may have rewritten after its last interval is touched too (uncertain).
  t.deepEqual([...touched].sort((a, b) => a - b), [...new Set([7, 8, 9, ...uncertain])].sort((a, b) => a - b));
  t.true(uncertain.size > 0);
  t.deepEqual(report.touchedDocuments, [...touched].sort((a, b) => a - b));
  t.is(report.startedAt, new Date(START).toISOString());
  t.is(report.durationMs, 2000);
});


/** The sessions' own interval events as their worker merges them: one event per worker, index and arrival. */
function mergedByWorker(events: readonly TimedEvent[]): TimedEvent[] {
  const out: TimedEvent[] = [];
  const open = new Map<string, { merged: MergedInterval; at: number; workerId: string; index: number }>();
  for (const timed of events) {
    const { event } = timed;
    if (event.type !== 'interval') {
      out.push(timed);
      continue;
    }
    const key = `${event.workerId}/${event.index}/${timed.atMs}`;
    let group = open.get(key);
    if (!group) {
      group = { merged: new MergedInterval(), at: out.length, workerId: event.workerId, index: event.index };
      open.set(key, group);
      out.push(timed);
    }
    group.merged.addCounters(event.counters);
    group.merged.addLatency(decodeHistogram(event.latency));
    group.merged.addSession({ sessionId: event.sessionId, operations: event.counters.ok + event.counters.failed + (event.counters.rejected ?? 0) }, event.lastEndMs);
  }
  for (const { merged, at, workerId, index } of open.values()) {
    out[at] = { atMs: out[at]!.atMs, event: { protocol: 1, runId: RUN, workerId, type: 'worker-interval', index, ...merged.measurements(), sessions: merged.sessions } };
  }
  return out;
}

test("a worker's merged intervals make the same run as its sessions' own ones, lost session included", (t) => {
  const { config, assignment, events } = fixture();
  const merged = mergedByWorker(events);
  t.true(merged.filter((e) => e.event.type === 'worker-interval').length < events.filter((e) => e.event.type === 'interval').length, 'the fixture has intervals to merge');
  const input = {
    runId: RUN, config, dataset: DATASET, assignment, hosts: new Map([['w1', 'h1'], ['w2', 'h2']]),
    startAtMs: START, endAtMs: START + 2000, intervalMs: 1000, lost: new Map([[2, 'worker w1 stopped sending heartbeats']]),
  };
  const own = aggregateRun({ ...input, events });
  const fromWorkers = aggregateRun({ ...input, events: merged });
  t.deepEqual(fromWorkers.report, own.report);
  t.is(fromWorkers.report.sessionResults[2]?.ops, 2, "the lost session's operations, from its part of the worker's interval");
});

test('throughput of a complete run ends at the last done, not when the coordinator noticed', (t) => {
  const { config, assignment, events } = fixture();
  const complete = [
    ...events,
    { event: { ...base(2, 'w1'), type: 'done', status: 'completed', counters: counters(2), digest: 'd2', lateMs: 0.9, committed: {}, touched: [] } as SessionEvent, atMs: START + 1800 },
  ];
  const { report } = aggregateRun({
    runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(),
    startAtMs: START, endAtMs: START + 2500, intervalMs: 1000, events: complete, lost: new Map(),
  });
  t.is(report.sessions.completed, 3);
  t.is(report.sessions.lost, 0);
  t.is(report.throughput.opsPerSec, 5);
});

test('throughput ends when the last operation ended, as sessions measured it, when they say so', (t) => {
  const { config, assignment, events } = fixture();
  const withEnds = events.map((e) =>
    e.event.type === 'done' ? { ...e, event: { ...e.event, lastEndMs: START + 1500 } as SessionEvent } : e,
  );
  const complete = [
    ...withEnds,
    { event: { ...base(2, 'w1'), type: 'done', status: 'completed', counters: counters(2), digest: 'd2', lateMs: 0.9, lastEndMs: START + 1600, committed: {}, touched: [] } as SessionEvent, atMs: START + 1800 },
  ];
  const { report } = aggregateRun({
    runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(),
    startAtMs: START, endAtMs: START + 2500, intervalMs: 1000, events: complete, lost: new Map(),
  });
  // 9 ok operations over the 1.6 s until the last one ended (the done arrived 0.2 s later).
  t.is(report.throughput.opsPerSec, 5.6);
});

test('service time and schedule lag appear only when sessions sent them', (t) => {
  const { config, assignment } = fixture();
  const events: TimedEvent[] = [
    { event: { ...base(0, 'w1'), type: 'interval', index: 0, counters: counters(1), latency: encoded([2000]), serviceTime: encoded([1500]), maxLagMs: 0.5 }, atMs: START + 1000 },
  ];
  const input = { runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(), startAtMs: START, endAtMs: START + 1000, intervalMs: 1000, lost: new Map() };
  const open = aggregateRun({ ...input, events });
  t.is(open.report.serviceTimeMs?.max, 1.5);
  t.deepEqual(open.report.scheduleLagMs, { max: 0.5 });
  const closed = aggregateRun({ ...input, events: [] });
  t.is(closed.report.serviceTimeMs, undefined);
  t.is(closed.report.scheduleLagMs, undefined);
  t.is(closed.report.latencyMs.count, 0);
  t.deepEqual(closed.report.sessions, { requested: 3, completed: 0, aborted: 0, failed: 0, lost: 3, maxConcurrent: 0, maxLateStartMs: 0 });
});

test('merging is adding: the merged histogram equals one histogram of every value', (t) => {
  const values = Array.from({ length: 1000 }, (_, i) => 100 + i * 37);
  const parts = [0, 1, 2, 3].map((k) => values.filter((_, i) => i % 4 === k));
  const one = createHistogram();
  for (const v of values) recordMicros(one, v);
  const merged = mergeHistograms(parts.map((p) => { const h = createHistogram(); for (const v of p) recordMicros(h, v); return h; }));
  t.is(merged.totalCount, one.totalCount);
  t.is(merged.getValueAtPercentile(99), one.getValueAtPercentile(99));
  t.is(merged.mean, one.mean);
});

test('regression: throughput of a run with lost sessions ends at the last recorded operation, not the heartbeat wait', (t) => {
  const { config, assignment, events } = fixture();
  const withEnds = events.map((e) =>
    e.event.type === 'interval' || e.event.type === 'done' ? { ...e, event: { ...e.event, lastEndMs: e.atMs - 10 } as SessionEvent } : e,
  );
  const lost = new Map([[2, 'worker w1 stopped sending heartbeats']]);
  const input = { runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(), startAtMs: START, intervalMs: 1000, events: withEnds, lost };
  const soon = aggregateRun({ ...input, endAtMs: START + 2000 }).report;
  const late = aggregateRun({ ...input, endAtMs: START + 12_000 }).report;
  // 9 ok operations until 1590 ms, when the last one ended; the 10 s wait for session 2's heartbeat is not work.
  t.is(soon.throughput.opsPerSec, 5.7);
  t.is(late.throughput.opsPerSec, 5.7);
  t.is(late.throughput.windowMs, 1590);
});

test('regression: aborted and lost sessions are told apart, each with its reason, whatever the path', (t) => {
  const { config, assignment, events } = fixture();
  const aborted: TimedEvent = {
    event: { ...base(2, 'w1'), type: 'done', status: 'aborted', reason: 'the worker is stopping', counters: counters(2), digest: 'd2', lateMs: 0.9, committed: {}, touched: [] },
    atMs: START + 1700,
  };
  const input = { runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(), startAtMs: START, endAtMs: START + 2000, intervalMs: 1000 };
  // The live path declared it lost before its done arrived; the rebuild from Redis declares every session without done lost.
  const live = aggregateRun({ ...input, events: [...events, aborted], lost: new Map([[2, 'worker w1 left the registry']]) }).report;
  const rebuilt = aggregateRun({ ...input, events: [...events, aborted], lost: new Map() }).report;
  for (const report of [live, rebuilt]) {
    t.like(report.sessions, { completed: 2, aborted: 1, failed: 0, lost: 0 });
    t.like(report.sessionResults[2], { status: 'aborted', reason: 'the worker is stopping', worker: 'w1' });
  }
  const withoutDone = aggregateRun({ ...input, events, lost: new Map() }).report;
  t.like(withoutDone.sessions, { completed: 2, aborted: 0, lost: 1 });
  t.regex(withoutDone.sessionResults[2].reason ?? '', /no "done" event/);
});

test('regression: a lost session\'s writes travel with its intervals, and what it may have written after its last one is uncertain', (t) => {
  const { config, assignment, events } = fixture();
  const withWrites = events.map((e) =>
    e.event.type === 'interval' && e.event.sessionId === 2
      ? { ...e, event: { ...e.event, committed: { '11': ['s9'] }, touched: [11], drawn: 5 } as SessionEvent }
      : e,
  );
  const aggregate = aggregateRun({
    runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(), startAtMs: START, endAtMs: START + 2000, intervalMs: 1000,
    events: withWrites, lost: new Map([[2, 'worker w1 stopped sending heartbeats']]),
  });
  t.deepEqual([...aggregate.committed.get(11)!], ['s9']);
  // It drew 5 operations by its one interval (5 per interval): operation 4 may have been in flight, and 2·5 + slack more may have followed.
  const later = documentsOfOperations(
    { seed: config.seed, sessionId: 2, sessionCount: 3, scenario: config.workload.scenario, dataset: DATASET },
    4,
    1 + lookaheadOperations(5),
  );
  t.deepEqual([...aggregate.uncertain].sort((a, b) => a - b), [...later].sort((a, b) => a - b));
  for (const id of [11, 7, 8, 9, ...later]) t.true(aggregate.touched.has(id), `document ${id} is touched`);
  t.deepEqual(aggregate.report.touchedDocuments, [...aggregate.touched].sort((a, b) => a - b));
});

/** A run of `sessions` sessions × `seconds` intervals, each session one operation per interval, the last ending at 950 ms of it. */
function steadyRun(sessions: number, seconds: number): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (let index = 0; index < seconds; index++) {
    for (let s = 0; s < sessions; s++) {
      events.push({
        atMs: START + (index + 1) * 1000,
        event: { ...base(s, 'w1'), type: 'interval', index, counters: counters(1), latency: encoded([1000 + s + index]), lastEndMs: START + index * 1000 + 950 },
      });
    }
  }
  for (let s = 0; s < sessions; s++) {
    events.push({ atMs: START + seconds * 1000, event: { ...base(s, 'w1'), type: 'done', status: 'completed', counters: counters(seconds), digest: 'd', lateMs: 0, committed: {}, touched: [] } });
  }
  return events;
}

test('constant memory: an interval is handed to the sink during the run once every session sent a later one, and the results are those of aggregating at the end', (t) => {
  const { config } = parseRunArgs(['--sessions', '2', '--duration', '10s', '--seed', '1'], ENV);
  const input = {
    runId: RUN, config, dataset: DATASET, assignment: assignSessions(2, [{ id: 'w1', capacity: 2 }]), hosts: new Map(),
    startAtMs: START, endAtMs: START + 10_000, intervalMs: 1000, lost: new Map(),
  };
  const events = steadyRun(2, 10);
  const settledDuringRun: number[] = [];
  const streamed: IntervalHistogram[] = [];
  const sink: IntervalSink = { append: (interval) => streamed.push(interval) };
  const aggregator = new RunAggregator(2);
  aggregator.streamIntervals(sink, START, 1000);
  for (const event of events) {
    aggregator.add(event);
    settledDuringRun.push(streamed.length);
  }
  // Just before the first event of interval 9, intervals 0-7 are settled (interval 8 is complete but no
  // later index has appeared yet); that event settles interval 8; interval 9 waits for the end.
  t.is(settledDuringRun[2 * 9 - 1], 8);
  t.is(settledDuringRun[2 * 9], 9);
  t.is(settledDuringRun.at(-1), 9);
  const streamedRun = aggregator.finish(input);
  const collected = new CollectedIntervals();
  const atEnd = aggregateRun({ ...input, events }, collected);
  t.deepEqual(streamedRun.report, atEnd.report);
  t.deepEqual(streamedRun.intervalIndexes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual(streamed.map((i) => [i.startMs - START, i.endMs - START, i.histogram.totalCount]), collected.intervals.map((i) => [i.startMs - START, i.endMs - START, i.histogram.totalCount]));
  // The last interval ends where the last operation did.
  t.is(streamed[9].endMs, START + 9950);
});

test('constant memory: a session that goes silent without ending holds its intervals open, none is settled early', (t) => {
  const events = steadyRun(2, 6).filter(({ event }) => !(event.type !== 'worker-interval' && event.sessionId === 1 && (event.type === 'done' || (event.type === 'interval' && event.index >= 2))));
  const streamed: IntervalHistogram[] = [];
  const aggregator = new RunAggregator(2);
  aggregator.streamIntervals({ append: (interval) => streamed.push(interval) }, START, 1000);
  for (const event of events) aggregator.add(event);
  t.deepEqual(streamed.map((i) => (i.startMs - START) / 1000), [0, 1]);
});

test('phase histograms are merged across sessions and intervals, apart from the latency histogram', (t) => {
  const { config, assignment } = fixture();
  const interval = (sessionId: number, index: number, phases: Record<string, string> | undefined): TimedEvent => ({
    event: { ...base(sessionId, 'w1'), type: 'interval', index, counters: counters(2), latency: encoded([3000, 4000]), ...(phases && { phases }) },
    atMs: START + 1000 * (index + 1),
  });
  const events = [
    interval(0, 0, { lock: encoded([1000, 2000]), strategy: encoded([900, 1000]) }),
    interval(1, 0, { strategy: encoded([800, 700]), lock: encoded([1500, 1200]) }),
    interval(0, 1, undefined),
  ];
  const input = { runId: RUN, config, dataset: DATASET, assignment, hosts: new Map(), startAtMs: START, endAtMs: START + 2000, intervalMs: 1000, lost: new Map() };
  const { report, phases } = aggregateRun({ ...input, events });
  t.deepEqual([...phases.keys()], ['lock', 'strategy'], 'in the vocabulary order');
  t.is(report.phases?.lock?.count, 4);
  t.is(report.phases?.lock?.max, 2);
  t.is(report.phases?.strategy?.min, 0.7);
  t.is(report.latencyMs.count, 6);
  t.deepEqual(Object.keys(report.intervals[0]!.phaseP99Ms ?? {}), ['lock', 'strategy'], 'each interval has its phases\' p99');
  t.is(report.intervals[0]!.phaseP99Ms?.lock, 2);
  t.is(report.intervals[1]!.phaseP99Ms, undefined, 'an interval without phases has none');
  t.is(aggregateRun({ ...input, events: [] }).report.phases, undefined, 'no phase: no section');
});

test('--verify-writes: read-backs from intervals and done are added up, and who committed each set is kept; off, nothing is collected', (t) => {
  const { config, assignment, events } = fixture();
  const readBack = (seen: { documentId: number; digest: string; operation: number }[]) => ({ writesChecked: 2, readBacks: 2, micros: 300, seen, cut: 1 });
  const verifying = { ...config, workload: { ...config.workload, verifyWrites: true } };
  const withReadBacks: TimedEvent[] = events.map(({ event, atMs }) => {
    if (event.type === 'interval' && event.sessionId === 0 && event.index === 0) {
      return { atMs, event: { ...event, committed: { '7': ['s1'] }, committedOperations: { '7': [1] }, readBack: readBack([{ documentId: 7, digest: 'u', operation: 1 }]) } };
    }
    if (event.type === 'done' && event.sessionId === 1) {
      return { atMs, event: { ...event, committedOperations: { '7': [2] }, readBack: readBack([{ documentId: 7, digest: 'u', operation: 3 }]) } };
    }
    return { atMs, event };
  });
  const input = { runId: RUN, assignment, dataset: DATASET, hosts: new Map(), startAtMs: START, endAtMs: START + 2000, intervalMs: 1000, events: withReadBacks, lost: new Map() };
  const readBacks = aggregateRun({ ...input, config: verifying }).readBacks;
  t.like(readBacks, { writesChecked: 4, readBacks: 4, micros: 600, failed: 0, cut: 2 });
  t.deepEqual(readBacks?.seen, [{ documentId: 7, digest: 'u', sessionId: 0, operation: 1 }], 'distinct by document and digest: the first sighting');
  t.deepEqual(readBacks?.writers.get(7), new Map([['s1', [{ sessionId: 0, operation: 1 }]], ['s3', [{ sessionId: 1, operation: 2 }]]]));
  t.is(aggregateRun({ ...input, config }).readBacks, undefined);
});
