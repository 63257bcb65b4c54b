import test from 'ava';
import { MalformedJobError } from '../../../../shared/errors.ts';
import type { SessionJob } from '../../../../shared/protocol/messages.ts';
import { parseSessionEvent, parseSessionJob, parseWorkerAnnouncement } from '../../../../shared/protocol/message-validation.ts';

const validJob: SessionJob = {
  protocol: 1,
  runId: '0190a0b0-0000-7000-8000-000000000001',
  sessionId: 3,
  sessionCount: 8,
  seed: 12345,
  database: 'dms_perf_test',
  applicationName: 'rs_0190a0b0-0000-7000-8000-000000000001_3',
  workload: {
    scenario: { scenario: 'single', refsMin: 10, refsMax: 100, hotDocs: 10, batchSize: 100, sorted: false, readRatio: 0.8, noopSleepMs: 0 },
    strategy: 'current',
    shape: 'bare',
    isolation: 'read-committed',
    maxTries: 1,
    loop: { mode: 'closed', thinkMinMs: 10, thinkMaxMs: 50 },
    limits: { iterations: 100, warmupMs: 0 },
  },
  dataset: { documents: 2000, references: 100000, avgRefsPerDoc: 50, partitions: 16 },
  intervalMs: 1000,
};

/** A deep copy of the valid job with one field replaced (or removed with undefined). */
function jobWith(path: string, value: unknown): unknown {
  const job = structuredClone(validJob) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let target = job;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return job;
}

test('a valid job parses to an equal object', (t) => {
  t.deepEqual(parseSessionJob(structuredClone(validJob)), validJob);
});

test('an open-loop job with a duration parses', (t) => {
  const job = jobWith('workload.loop', { mode: 'open', ratePerSession: 50 }) as Record<string, any>;
  job.workload.limits = { durationMs: 5000, warmupMs: 1000 };
  const parsed = parseSessionJob(job);
  t.deepEqual(parsed.workload.loop, { mode: 'open', ratePerSession: 50 });
  t.deepEqual(parsed.workload.limits, { durationMs: 5000, warmupMs: 1000 });
});

test('unknown fields are dropped', (t) => {
  const parsed = parseSessionJob({ ...validJob, extra: 'x' }) as unknown as Record<string, unknown>;
  t.false('extra' in parsed);
});

const malformed: ReadonlyArray<[string, unknown, string]> = [
  ['protocol', 0, 'protocol 0 is not 1'],
  ['protocol', undefined, 'protocol (missing) is not 1'],
  ['workload.loop.mode', 'x', 'workload.loop.mode "x" is not closed|open'],
  ['sessionId', 8, 'sessionId 8 is not an integer from 0 to 7'],
  ['sessionId', 1.5, 'sessionId 1.5 is not an integer from 0 to 7'],
  ['runId', 'a b', 'runId "a b" is not an identifier (1-64 letters, digits, - or _)'],
  ['database', 'postgres', 'database "postgres" is not a refswarm database name (dms_perf_*)'],
  ['database', 'dms_perf_x; drop', 'database "dms_perf_x; drop" is not a refswarm database name (dms_perf_*)'],
  ['applicationName', 'x'.repeat(64), 'is not a non-empty string of at most 63 bytes'],
  ['workload', 'single', 'workload "single" is not an object'],
  ['workload.scenario.scenario', 'hotter', 'workload.scenario.scenario "hotter" is not single|disjoint|hot|batch|cross-partition|mixed|noop'],
  ['workload.scenario.refsMax', 5, 'workload.scenario.refsMax 5 is not an integer from 10 to 1000000'],
  ['workload.scenario.readRatio', 1.5, 'workload.scenario.readRatio 1.5 is not a number from 0 to 1'],
  ['workload.scenario.sorted', 'yes', 'workload.scenario.sorted "yes" is not true|false'],
  ['workload.strategy', 'upsert', 'workload.strategy "upsert" is not current|differential|merge'],
  ['workload.maxTries', 0, 'workload.maxTries 0 is not an integer from 1 to 1000'],
  ['workload.loop.thinkMaxMs', 5, 'workload.loop.thinkMaxMs 5 is not a number from 10 to 3600000'],
  ['workload.loop', { mode: 'open', ratePerSession: 0 }, 'workload.loop.ratePerSession 0 is not a number above 0 and at most 1000000'],
  ['workload.limits', { warmupMs: 0 }, 'workload.limits.iterations and workload.limits.durationMs: exactly one must be set, found neither'],
  ['workload.limits', { iterations: 5, durationMs: 10, warmupMs: 0 }, 'exactly one must be set, found both'],
  ['workload.limits.warmupMs', -1, 'workload.limits.warmupMs -1 is not a number of at least 0'],
  ['dataset.partitions', 0, 'dataset.partitions 0 is not an integer from 1 to 256'],
  ['dataset.documents', '2000', 'dataset.documents "2000" is not an integer from 1 to 2147483647'],
  ['seed', Number.NaN, 'seed NaN is not a finite number'],
  ['intervalMs', undefined, 'intervalMs (missing) is not an integer from 10 to 3600000'],
];

for (const [path, value, reason] of malformed) {
  test(`malformed job: ${path} = ${JSON.stringify(value)}`, (t) => {
    const error = t.throws(() => parseSessionJob(jobWith(path, value)), { instanceOf: MalformedJobError });
    t.true(error!.message.includes(reason), `"${error!.message}" should include "${reason}"`);
  });
}

test('a job that is not an object is rejected', (t) => {
  t.throws(() => parseSessionJob(null), { instanceOf: MalformedJobError, message: 'job null is not an object' });
  t.throws(() => parseSessionJob([]), { instanceOf: MalformedJobError, message: 'job [] is not an object' });
});

const base = { protocol: 1, runId: 'run-1', sessionId: 2, workerId: 'w-1' };
const counters = { ok: 10, failed: 1, retried: 2, byError: { '40P01': 3 } };

test('every event type parses', (t) => {
  const events = [
    { ...base, type: 'ready', connectMs: 3.5 },
    { ...base, type: 'started', lateMs: -0.2 },
    { ...base, type: 'interval', index: 4, counters, latency: 'HISTFAAA', serviceTime: 'HISTFBBB', maxLagMs: 1.5 },
    { ...base, type: 'interval', index: 0, counters, latency: 'HISTFAAA' },
    {
      ...base,
      type: 'done',
      status: 'aborted',
      reason: 'worker stopping',
      counters,
      digest: 'abc',
      lateMs: 1,
      committed: { '17': ['d1', 'd2'] },
      touched: [17, 18],
    },
  ];
  for (const event of events) t.deepEqual(parseSessionEvent(JSON.stringify(event)) as unknown, event);
});

test('malformed events are rejected with a reason', (t) => {
  const cases: ReadonlyArray<[unknown, string]> = [
    [{ ...base, type: 'bogus' }, 'type "bogus" is not ready|started|interval|done'],
    [{ ...base, protocol: 2, type: 'ready', connectMs: 1 }, 'protocol 2 is not 1'],
    [{ ...base, type: 'interval', index: 0, counters: { ...counters, ok: -1 }, latency: 'x' }, 'counters.ok -1 is not an integer of at least 0'],
    [{ ...base, type: 'interval', index: 0, counters: { ...counters, byError: { '40P01': 'x' } }, latency: 'x' }, 'counters.byError.40P01 "x" is not an integer of at least 0'],
    [{ ...base, type: 'done', status: 'ok', counters, digest: 'd', lateMs: 0, committed: {}, touched: [] }, 'status "ok" is not completed|aborted|failed'],
    [{ ...base, type: 'done', status: 'completed', counters, digest: 'd', lateMs: 0, committed: { x: [] }, touched: [] }, 'committed key "x" is not a document id'],
    [{ ...base, type: 'done', status: 'completed', counters, digest: 'd', lateMs: 0, committed: {}, touched: [1.5] }, 'touched [1.5] is not an array of non-negative integers'],
  ];
  for (const [event, reason] of cases) {
    const error = t.throws(() => parseSessionEvent(JSON.stringify(event)), { instanceOf: MalformedJobError });
    t.true(error!.message.includes(reason), `"${error!.message}" should include "${reason}"`);
  }
  t.throws(() => parseSessionEvent('{not json'), { instanceOf: MalformedJobError, message: 'event "{not json" is not JSON' });
});

test('worker announcements parse and are checked', (t) => {
  const announcement = {
    protocol: 1,
    workerId: '0190a0b0-0000-7000-8000-000000000009',
    host: 'box',
    pid: 42,
    concurrency: 64,
    queue: 'sessions-0190a0b0-0000-7000-8000-000000000009',
    version: '0.1.0',
    startedAt: '2026-01-01T00:00:00.000Z',
  };
  t.deepEqual(parseWorkerAnnouncement(JSON.stringify(announcement)) as unknown, announcement);
  t.throws(() => parseWorkerAnnouncement(JSON.stringify({ ...announcement, concurrency: 0 })), {
    message: 'concurrency 0 is not an integer from 1 to 1000000',
  });
});
