import test from 'ava';
import { MalformedJobError } from '../../../../shared/errors.ts';
import { READ_BACK_SEEN_MAX, type SessionJob } from '../../../../shared/protocol/messages.ts';
import { parseRunEvent, parseSessionEvent, parseSessionJob, parseWorkerAnnouncement } from '../../../../shared/protocol/message-validation.ts';
import { OPTION_RANGES } from '../../../../shared/option-ranges.ts';

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

test('unknown fields are dropped, from a copy', (t) => {
  const sent = { ...validJob, extra: 'x', workload: { ...validJob.workload, extra: 'y' } };
  const parsed = parseSessionJob(sent) as unknown as Record<string, Record<string, unknown>>;
  t.false('extra' in parsed);
  t.false('extra' in parsed.workload);
  t.true('extra' in sent.workload, 'the message itself is left as it came');
});

test('a job accepts exactly the values its flags accept: both read OPTION_RANGES', (t) => {
  for (const [field, flag] of [['seed', 'seed'], ['workload.scenario.refsMin', 'refs-min'], ['workload.maxTries', 'max-tries']] as const) {
    const { min, max } = OPTION_RANGES[flag];
    t.notThrows(() => parseSessionJob(jobWith(field, min)), `${field} = ${min}`);
    t.throws(() => parseSessionJob(jobWith(field, min - 1)), { message: new RegExp(`^job\\.${field.replaceAll('.', '\\.')}: expected an integer from ${min} to ${max}, got ${min - 1}$`) });
    if (field !== 'workload.scenario.refsMin') t.throws(() => parseSessionJob(jobWith(field, max + 1)), { message: new RegExp(`got ${max + 1}$`) });
  }
});

const malformed: ReadonlyArray<[string, unknown, string]> = [
  ['protocol', 0, 'job.protocol: expected 1, got 0'],
  ['protocol', undefined, 'job.protocol: expected 1, got nothing'],
  ['workload.loop.mode', 'x', 'job.workload.loop.mode: expected closed|open, got "x"'],
  ['sessionId', 8, 'job.sessionId: expected an integer from 0 to 7 (below sessionCount), got 8'],
  ['sessionId', 1.5, 'job.sessionId: expected an integer from 0 to 99999, got 1.5'],
  ['runId', 'a b', 'job.runId: expected an identifier (1-64 letters, digits, - or _), got "a b"'],
  ['database', 'postgres', 'job.database: expected a refswarm database name (dms_perf_*), got "postgres"'],
  ['database', 'dms_perf_x; drop', 'job.database: expected a refswarm database name (dms_perf_*), got "dms_perf_x; drop"'],
  ['applicationName', 'x'.repeat(64), 'job.applicationName: expected a non-empty string of at most 63 characters'],
  ['workload', 'single', 'job.workload: expected an object, got "single"'],
  ['workload.loop', undefined, 'job.workload.loop: expected an object, got nothing'],
  ['workload.scenario.scenario', 'hotter', 'job.workload.scenario.scenario: expected single|disjoint|hot|batch|cross-partition|mixed|noop|fixture|idle, got "hotter"'],
  ['workload.scenario.refsMin', 0, 'job.workload.scenario.refsMin: expected an integer from 1 to 100000, got 0'],
  ['workload.scenario.refsMax', 5, 'job.workload.scenario.refsMax: expected at least refsMin (10), got 5'],
  ['workload.scenario.readRatio', 1.5, 'job.workload.scenario.readRatio: expected a number from 0 to 1, got 1.5'],
  ['workload.scenario.sorted', 'yes', 'job.workload.scenario.sorted: expected true or false, got "yes"'],
  ['workload.strategy', 'replace', 'job.workload.strategy: expected current|differential|merge|upsert, got "replace"'],
  ['workload.maxTries', 0, 'job.workload.maxTries: expected an integer from 1 to 1000, got 0'],
  ['workload.loop.thinkMaxMs', 5, 'job.workload.loop.thinkMaxMs: expected at least thinkMinMs (10), got 5'],
  ['workload.loop', { mode: 'open', ratePerSession: 0 }, 'job.workload.loop.ratePerSession: expected a number above 0 and at most 1000000, got 0'],
  ['workload.limits', { warmupMs: 0 }, 'job.workload.limits: expected exactly one of iterations and durationMs, got {"warmupMs":0}'],
  ['workload.limits', { iterations: 5, durationMs: 10, warmupMs: 0 }, 'job.workload.limits: expected exactly one of iterations and durationMs'],
  ['workload.limits.warmupMs', -1, 'job.workload.limits.warmupMs: expected a number from 0 to 2592000000, got -1'],
  ['dataset.partitions', 0, 'job.dataset.partitions: expected an integer from 1 to 256, got 0'],
  ['dataset.documents', '2000', 'job.dataset.documents: expected an integer from 2 to 50000000, got "2000"'],
  ['seed', Number.NaN, 'job.seed: expected an integer from 0 to 2147483647, got NaN'],
  ['seed', 2 ** 31, 'job.seed: expected an integer from 0 to 2147483647, got 2147483648'],
  ['seed', 1.5, 'job.seed: expected an integer from 0 to 2147483647, got 1.5'],
  ['intervalMs', undefined, 'job.intervalMs: expected an integer from 10 to 3600000, got nothing'],
];

for (const [path, value, reason] of malformed) {
  test(`malformed job: ${path} = ${JSON.stringify(value)}`, (t) => {
    const error = t.throws(() => parseSessionJob(jobWith(path, value)), { instanceOf: MalformedJobError });
    t.true(error!.message.startsWith(reason), `"${error!.message}" should start with "${reason}"`);
  });
}

test('a job of another protocol is refused for that, whatever else it lacks', (t) => {
  t.throws(() => parseSessionJob({ protocol: 0, runId: 'x' }), { message: 'job.protocol: expected 1, got 0' });
});

test('a job that is not an object is rejected', (t) => {
  t.throws(() => parseSessionJob(null), { instanceOf: MalformedJobError, message: 'job: expected an object, got null' });
  t.throws(() => parseSessionJob([]), { instanceOf: MalformedJobError, message: 'job: expected an object, got []' });
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
      ...base, type: 'interval', index: 1, counters, latency: 'HISTFAAA', committed: { '2': ['d1'] }, committedOperations: { '2': [5] },
      readBack: { writesChecked: 3, readBacks: 3, micros: 900, failed: 1, seen: [{ documentId: 2, digest: 'd9', operation: 5 }], cut: 0 },
    },
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
    [{ ...base, type: 'bogus' }, 'event.type: expected ready|started|interval|done, got "bogus"'],
    [{ ...base, protocol: 2, type: 'ready', connectMs: 1 }, 'event.protocol: expected 1, got 2'],
    [{ ...base, type: 'interval', index: 0, counters: { ...counters, ok: -1 }, latency: 'x' }, 'event.counters.ok: expected an integer of at least 0, got -1'],
    [{ ...base, type: 'interval', index: 0, counters: { ...counters, byError: { '40P01': 'x' } }, latency: 'x' }, 'event.counters.byError.40P01: expected an integer of at least 0, got "x"'],
    [{ ...base, type: 'done', status: 'ok', counters, digest: 'd', lateMs: 0, committed: {}, touched: [] }, 'event.status: expected completed|aborted|failed, got "ok"'],
    [{ ...base, type: 'done', status: 'completed', counters, digest: 'd', lateMs: 0, committed: { x: [] }, touched: [] }, 'event.committed: unexpected key "x" (keys are document ids)'],
    [{ ...base, type: 'done', status: 'completed', counters, digest: 'd', lateMs: 0, committed: {}, touched: [1.5] }, 'event.touched[0]: expected an integer of at least 0, got 1.5'],
    [{ ...base, type: 'done', status: 'completed', counters, digest: 'd', lateMs: 0, committed: {}, touched: 'x' }, 'event.touched: expected an array of integers of at least 0, got "x"'],
  ];
  for (const [event, reason] of cases) {
    const error = t.throws(() => parseSessionEvent(JSON.stringify(event)), { instanceOf: MalformedJobError });
    t.is(error!.message, reason);
  }
  t.throws(() => parseSessionEvent('{not json'), { instanceOf: MalformedJobError, message: 'event "{not json" is not JSON' });
  const seen = Array.from({ length: READ_BACK_SEEN_MAX + 1 }, () => ({ documentId: 1, digest: 'd', operation: 1 }));
  const tooMany = { ...base, type: 'interval', index: 0, counters, latency: 'x', readBack: { writesChecked: 1, readBacks: 1, micros: 1, seen, cut: 0 } };
  t.throws(() => parseSessionEvent(JSON.stringify(tooMany)), { instanceOf: MalformedJobError, message: /^event\.readBack\.seen: / }, 'more read-back sets than an event may carry');
});

test("a worker's merged interval parses with each session's part, and needs at least one session", (t) => {
  const { sessionId: _, ...workerBase } = base;
  const merged = {
    ...workerBase, type: 'worker-interval', index: 3, counters, latency: 'HISTFAAA', phases: { lock: 'HISTFCCC' }, lastEndMs: 1234.5,
    sessions: [{ sessionId: 0, operations: 6, drawn: 7 }, { sessionId: 5, operations: 5, committed: { '2': ['d1'] }, touched: [2] }],
  };
  t.deepEqual(parseRunEvent(JSON.stringify(merged)) as unknown, merged);
  t.throws(() => parseRunEvent(JSON.stringify({ ...merged, sessions: [] })), { instanceOf: MalformedJobError, message: /^event\.sessions: / });
  t.throws(() => parseRunEvent(JSON.stringify({ ...merged, sessions: [{ sessionId: 0 }] })), { instanceOf: MalformedJobError, message: /^event\.sessions\[0\]\.operations: / });
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
    message: 'worker.concurrency: expected an integer from 1 to 10000, got 0',
  });
});

test("a newer sender's fields are dropped from a run event, in its own variant and in each session's part", (t) => {
  const { sessionId: _, ...workerBase } = base;
  const merged = { ...workerBase, type: 'worker-interval', index: 3, counters, latency: 'HISTFAAA', sessions: [{ sessionId: 0, operations: 6 }] };
  const sent = { ...merged, extra: 'x', sessions: [{ sessionId: 0, operations: 6, extra: 'y' }] };
  t.deepEqual(parseRunEvent(JSON.stringify(sent)) as unknown, merged);
  const ready = { ...base, type: 'ready', connectMs: 12.5 };
  t.deepEqual(parseRunEvent(JSON.stringify({ ...ready, extra: 'z' })) as unknown, ready);
});
