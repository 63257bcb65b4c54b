import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeHistogram } from '../../../shared/histogram.ts';
import type { WorkerInterval } from '../../../shared/protocol/messages.ts';
import type { OperationOutcome } from '../../../shared/workload/contracts.ts';
import { PHASE, PHASE_NAMES } from '../../../shared/phases.ts';
import { IntervalMerger } from '../../../worker/interval-merger.ts';
import { SessionRecorder } from '../../../worker/session-recorder.ts';

const ok: OperationOutcome = { ok: true, tries: 1, failedCodes: [], committed: [], serviceMicros: 100 };
const failed: OperationOutcome = { ok: false, tries: 2, failedCodes: ['40P01', '40P01'], committed: [], serviceMicros: 100 };
const WINDOW_MS = 20;

function merger(): { merger: IntervalMerger; sent: WorkerInterval[]; logged: string[] } {
  const sent: WorkerInterval[] = [];
  const logged: string[] = [];
  const publish = (event: WorkerInterval) => {
    sent.push(event);
    return Promise.resolve();
  };
  return { merger: new IntervalMerger('w1', publish, (line) => logged.push(line), WINDOW_MS), sent, logged };
}

function recorderWith(outcomes: readonly OperationOutcome[], micros: number): SessionRecorder {
  const recorder = new SessionRecorder(false);
  for (const outcome of outcomes) recorder.record(outcome, micros, micros, 0);
  return recorder;
}

test("the sessions' intervals of one run and index go out as one event: histograms added, counters summed, each session's part kept", async (t) => {
  const { merger: m, sent } = merger();
  const recorders = [recorderWith([ok, ok], 1000), recorderWith([ok, failed], 1900), recorderWith([], 0)];
  recorders.forEach((recorder, sessionId) =>
    m.add({ runId: 'r1', index: 4, sessionId, recorder, progress: { drawn: 3 + sessionId, ...(sessionId === 1 && { touched: [7] }) }, lastEndMs: 100 + sessionId }),
  );
  t.is(sent.length, 0, 'held for the merge window');
  await sleep(WINDOW_MS * 3);
  t.is(sent.length, 1);
  const [event] = sent;
  t.like(event, { type: 'worker-interval', runId: 'r1', workerId: 'w1', index: 4, lastEndMs: 102 });
  t.deepEqual(event!.counters, { ok: 3, failed: 1, retried: 1, byError: { '40P01': 2 } });
  const latency = decodeHistogram(event!.latency);
  t.is(latency.totalCount, 3, 'one value per ok operation of every session');
  t.is(latency.maxValue, 1900);
  t.deepEqual(event!.sessions, [
    { sessionId: 0, operations: 2, drawn: 3 },
    { sessionId: 1, operations: 2, drawn: 4, touched: [7] },
    { sessionId: 2, operations: 0, drawn: 5 },
  ]);
  t.false(recorders[0]!.hasIntervalData, 'each recorder was drained into the merged interval');
});

test('phases and open-loop service time are merged per phase; a phase no session went through is absent', async (t) => {
  const { merger: m, sent } = merger();
  for (const sessionId of [0, 1]) {
    const recorder = new SessionRecorder(true);
    const phases = new Float64Array(PHASE_NAMES.length).fill(-1);
    phases[PHASE.call] = 400 + sessionId;
    recorder.record(ok, 900, 500, 0.5 + sessionId, phases);
    m.add({ runId: 'r1', index: 0, sessionId, recorder, progress: {}, lastEndMs: undefined });
  }
  m.flush();
  const [event] = sent;
  t.deepEqual(Object.keys(event!.phases ?? {}), ['call']);
  t.is(decodeHistogram(event!.phases!.call!).totalCount, 2);
  t.is(decodeHistogram(event!.serviceTime!).totalCount, 2);
  t.is(event!.maxLagMs, 1.5);
  t.is(event!.lastEndMs, undefined);
});

test("flushRun sends a run's pending intervals at once, oldest first, and leaves other runs to their window", (t) => {
  const { merger: m, sent } = merger();
  m.add({ runId: 'r1', index: 5, sessionId: 0, recorder: recorderWith([ok], 10), progress: {}, lastEndMs: 1 });
  m.add({ runId: 'r1', index: 4, sessionId: 1, recorder: recorderWith([ok], 10), progress: {}, lastEndMs: 1 });
  m.add({ runId: 'r2', index: 4, sessionId: 0, recorder: recorderWith([ok], 10), progress: {}, lastEndMs: 1 });
  m.flushRun('r1');
  t.deepEqual(sent.map((e) => [e.runId, e.index]), [['r1', 4], ['r1', 5]]);
  m.flush();
  t.deepEqual(sent.map((e) => [e.runId, e.index]), [['r1', 4], ['r1', 5], ['r2', 4]]);
});

test('a session handing over after its interval went out is sent in a second event for that interval', (t) => {
  const { merger: m, sent } = merger();
  m.add({ runId: 'r1', index: 2, sessionId: 0, recorder: recorderWith([ok], 10), progress: {}, lastEndMs: 1 });
  m.flush();
  m.add({ runId: 'r1', index: 2, sessionId: 1, recorder: recorderWith([ok, ok], 10), progress: {}, lastEndMs: 1 });
  m.flush();
  t.deepEqual(sent.map((e) => [e.index, e.counters.ok, e.sessions.map((p) => p.sessionId)]), [[2, 1, [0]], [2, 2, [1]]]);
});

test('a failed send is logged with the run, the interval and how many sessions it carried', async (t) => {
  const logged: string[] = [];
  const m = new IntervalMerger('w1', () => Promise.reject(new Error('connection closed')), (line) => logged.push(line), WINDOW_MS);
  m.add({ runId: 'r1', index: 2, sessionId: 0, recorder: recorderWith([ok], 10), progress: {}, lastEndMs: 1 });
  m.flush();
  await sleep(1);
  t.deepEqual(logged, ['run r1: cannot send interval 2 of 1 sessions: connection closed']);
});
