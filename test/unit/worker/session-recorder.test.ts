import test from 'ava';
import { decodeHistogram } from '../../../shared/histogram.ts';
import type { OperationOutcome } from '../../../shared/workload/contracts.ts';
import { MergedInterval } from '../../../worker/merged-interval.ts';
import { SessionRecorder } from '../../../worker/session-recorder.ts';
import { PHASE, PHASE_NAMES } from '../../../shared/phases.ts';

/** The interval as the worker would send it for this one session. */
function take(recorder: SessionRecorder) {
  const interval = new MergedInterval();
  const operations = recorder.drainInterval(interval);
  return { ...interval.measurements(), operations };
}

const ok: OperationOutcome = { ok: true, tries: 1, failedCodes: [], committed: [], serviceMicros: 100 };
const retriedOk: OperationOutcome = { ok: true, tries: 3, failedCodes: ['40P01', '40P01'], committed: [], serviceMicros: 100 };
const failed: OperationOutcome = { ok: false, tries: 2, failedCodes: ['40001', '40001'], committed: [], serviceMicros: 100 };

test('counters: operations = ok + failed, retries apart, every failed try by code', (t) => {
  const recorder = new SessionRecorder(false);
  recorder.record(ok, 1500, 1500, 0);
  recorder.record(retriedOk, 2500, 2500, 0);
  recorder.record(failed, 900, 900, 0);
  t.is(recorder.operations, 3);
  t.deepEqual(recorder.totals(), { ok: 2, failed: 1, retried: 3, byError: { '40P01': 2, '40001': 2 } });
});

test('an interval holds one latency value per ok operation and resets after being taken', (t) => {
  const recorder = new SessionRecorder(false);
  t.false(recorder.hasIntervalData);
  recorder.record(ok, 1500, 1500, 0);
  recorder.record(failed, 900, 900, 0);
  t.true(recorder.hasIntervalData);
  const first = take(recorder);
  t.false(recorder.hasIntervalData);
  t.deepEqual(first.counters, { ok: 1, failed: 1, retried: 1, byError: { '40001': 2 } });
  t.is(first.operations, 2, 'the operations of the interval: ok + failed');
  const latency = decodeHistogram(first.latency);
  t.is(latency.totalCount, 1);
  t.is(latency.maxValue, 1500);
  t.is(first.serviceTime, undefined);
  t.is(first.maxLagMs, undefined);

  recorder.record(ok, 3000, 3000, 0);
  const second = take(recorder);
  t.deepEqual(second.counters, { ok: 1, failed: 0, retried: 0, byError: {} });
  t.is(decodeHistogram(second.latency).totalCount, 1);
  t.deepEqual(recorder.totals(), { ok: 2, failed: 1, retried: 1, byError: { '40001': 2 } }, 'totals survive intervals');
});

test('open loop intervals carry service time and the largest schedule lag', (t) => {
  const recorder = new SessionRecorder(true);
  recorder.record(ok, 12_000, 10_500, 1.5);
  recorder.record(ok, 11_000, 10_200, 0.8);
  const interval = take(recorder);
  t.is(interval.maxLagMs, 1.5);
  const service = decodeHistogram(interval.serviceTime!);
  t.is(service.totalCount, 2);
  t.true(service.maxValue <= decodeHistogram(interval.latency).maxValue);
  t.is(take(recorder).maxLagMs, 0, 'lag resets with the interval');
});

test('rejected operations (--unknown-ratio) count apart: operations = ok + failed + rejected, no latency, no error code', (t) => {
  const recorder = new SessionRecorder(false);
  const rejected: OperationOutcome = { ok: false, rejected: true, tries: 1, failedCodes: [], committed: [], serviceMicros: 100 };
  recorder.record(ok, 1500, 1500, 0);
  recorder.record(rejected, 900, 900, 0);
  t.is(recorder.operations, 2);
  t.true(recorder.hasIntervalData);
  const interval = take(recorder);
  t.deepEqual(interval.counters, { ok: 1, failed: 0, rejected: 1, retried: 0, byError: {} });
  t.is(decodeHistogram(interval.latency).totalCount, 1);
  recorder.record(rejected, 900, 900, 0);
  t.true(recorder.hasIntervalData, 'an interval with only rejected operations has data');
  t.deepEqual(recorder.totals(), { ok: 1, failed: 0, rejected: 2, retried: 0, byError: {} });
});

test('dropped operations are counted apart from operations, in the interval and the totals', (t) => {
  const recorder = new SessionRecorder(true);
  recorder.record(ok, 1000, 900, 0);
  t.false(take(recorder).counters.dropped !== undefined, 'absent when none');
  recorder.drop(7);
  t.true(recorder.hasIntervalData);
  t.is(take(recorder).counters.dropped, 7);
  t.is(recorder.operations, 1, 'dropped operations are not operations');
  t.like(recorder.totals(), { ok: 1, failed: 0, dropped: 7 });
});

test('phases: one value per ok operation in each phase it went through, none from a failed one, the latency histogram unchanged', (t) => {
  const recorder = new SessionRecorder(false);
  const dms = new Float64Array(PHASE_NAMES.length).fill(-1);
  dms[PHASE.lock] = 700;
  dms[PHASE.update] = 200;
  dms[PHASE.strategy] = 500;
  dms[PHASE.commit] = 100;
  recorder.record(ok, 1500, 1500, 0, dms);
  recorder.record(retriedOk, 2500, 2500, 0, dms);
  recorder.record(failed, 900, 900, 0, dms);
  const taken = take(recorder);
  t.deepEqual(Object.keys(taken.phases ?? {}).sort(), ['commit', 'lock', 'strategy', 'update']);
  for (const encoded of Object.values(taken.phases ?? {})) t.is(decodeHistogram(encoded).totalCount, 2);
  t.is(decodeHistogram(taken.phases!.lock!).maxValue, 700);
  t.is(decodeHistogram(taken.latency).totalCount, 2, 'the latency histogram holds the whole operations only');

  recorder.record(ok, 800, 800, 0);
  t.is(take(recorder).phases, undefined, 'an interval without phases sends none, and the previous ones were reset');
});
