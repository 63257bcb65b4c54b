import test from 'ava';
import { MalformedJobError } from '../../../../shared/errors.ts';
import { parseRunEvent, parseSessionEvent, parseWorkerAnnouncement } from '../../../../shared/protocol/message-validation.ts';
import type { WorkerHealth } from '../../../../shared/protocol/messages.ts';

const HEALTH: WorkerHealth = {
  protocol: 1,
  runId: 'r1',
  workerId: 'w1',
  type: 'health',
  index: 3,
  wallMs: 1000.2,
  cpuMs: 412.5,
  eventLoopDelayMs: { p50: 0.1, p99: 2.5, max: 7 },
  sessions: 16,
};

test('a worker health event parses on the run stream, not as a session event', (t) => {
  t.deepEqual(parseRunEvent(JSON.stringify(HEALTH)) as unknown, HEALTH);
  t.throws(() => parseSessionEvent(JSON.stringify(HEALTH)), { instanceOf: MalformedJobError });
});

test('a malformed health event is refused naming the field', (t) => {
  const bad = { ...HEALTH, eventLoopDelayMs: { p50: 0.1, p99: -1, max: 7 } };
  t.throws(() => parseRunEvent(JSON.stringify(bad)), { instanceOf: MalformedJobError, message: /eventLoopDelayMs/ });
});

test('announcements from older workers (no host figures) and newer ones both parse', (t) => {
  const older = { protocol: 1, workerId: 'w1', host: 'h', pid: 1, concurrency: 4, queue: 'q', version: '0.1.0', startedAt: 'now' };
  t.deepEqual(parseWorkerAnnouncement(JSON.stringify(older)) as unknown, older);
  const newer = { ...older, cpus: 2, cpuModel: 'AMD EPYC', memoryBytes: 1024, nodeVersion: 'v20.20.2', gitCommit: 'abcdef1234567' };
  t.deepEqual(parseWorkerAnnouncement(JSON.stringify(newer)) as unknown, newer);
});
