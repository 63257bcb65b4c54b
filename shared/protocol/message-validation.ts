import { DATABASE_NAME_PREFIX } from '../connection.ts';
import type { DatasetShape } from '../dataset.ts';
import { MalformedJobError } from '../errors.ts';
import {
  PROTOCOL_VERSION,
  type OperationCounters,
  type SessionEvent,
  type SessionJob,
  type SessionStatus,
  type WorkerAnnouncement,
} from './messages.ts';
import {
  ISOLATION_LEVELS,
  SCENARIOS,
  SHAPES,
  STRATEGIES,
  type LoopOptions,
  type RunLimits,
  type ScenarioOptions,
  type WorkloadConfig,
} from '../run-config.ts';

/**
 * Validation of everything that arrives from Redis: it may come from another version of refswarm, or
 * from anything else that can write to the queue. Each parser returns a fresh, typed object holding
 * only the known fields, or throws MalformedJobError naming the field, quoting the value and saying
 * what was expected (`workload.loop.mode "x" is not closed|open`).
 */

type Fields = Readonly<Record<string, unknown>>;

const SESSION_STATUSES: readonly SessionStatus[] = ['completed', 'aborted', 'failed'];
const EVENT_TYPES = ['ready', 'started', 'interval', 'done'] as const;
const IDENTIFIER = /^[0-9A-Za-z_-]{1,64}$/;
const DATABASE_NAME = /^[a-z0-9_]{1,63}$/;

export function parseSessionJob(data: unknown): SessionJob {
  const job = object(data, 'job');
  protocol(job);
  const sessionCount = integer(job, 'sessionCount', 1, 1_000_000);
  return {
    protocol: PROTOCOL_VERSION,
    runId: identifier(job, 'runId'),
    sessionId: integer(job, 'sessionId', 0, sessionCount - 1),
    sessionCount,
    seed: number(job, 'seed', -Number.MAX_VALUE, Number.MAX_VALUE),
    database: databaseName(job, 'database'),
    applicationName: text(job, 'applicationName', 63),
    workload: workloadConfig(object(job.workload, 'workload')),
    dataset: datasetShape(object(job.dataset, 'dataset')),
    intervalMs: integer(job, 'intervalMs', 10, 3_600_000),
  };
}

/** One entry of a run's event stream (the JSON under EVENT_FIELD). */
export function parseSessionEvent(raw: string): SessionEvent {
  const event = object(parseJson(raw, 'event'), 'event');
  protocol(event);
  const type = choice(event, 'type', EVENT_TYPES);
  const base = {
    protocol: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
    runId: identifier(event, 'runId'),
    sessionId: integer(event, 'sessionId', 0, 1_000_000),
    workerId: identifier(event, 'workerId'),
  };
  switch (type) {
    case 'ready':
      return { ...base, type, connectMs: number(event, 'connectMs', 0, Number.MAX_VALUE) };
    case 'started':
      return { ...base, type, lateMs: finite(event, 'lateMs') };
    case 'interval':
      return {
        ...base,
        type,
        index: integer(event, 'index', 0, Number.MAX_SAFE_INTEGER),
        counters: counters(object(event.counters, 'counters'), 'counters'),
        latency: text(event, 'latency'),
        ...(event.serviceTime === undefined ? {} : { serviceTime: text(event, 'serviceTime') }),
        ...(event.maxLagMs === undefined ? {} : { maxLagMs: number(event, 'maxLagMs', 0, Number.MAX_VALUE) }),
      };
    case 'done':
      return {
        ...base,
        type,
        status: choice(event, 'status', SESSION_STATUSES),
        ...(event.reason === undefined ? {} : { reason: text(event, 'reason', 2000) }),
        counters: counters(object(event.counters, 'counters'), 'counters'),
        digest: text(event, 'digest'),
        lateMs: finite(event, 'lateMs'),
        ...(event.lastEndMs === undefined ? {} : { lastEndMs: finite(event, 'lastEndMs') }),
        committed: committedSets(object(event.committed, 'committed')),
        touched: integerArray(event.touched, 'touched'),
      };
  }
}

/** The JSON a worker keeps under keys.worker(id). */
export function parseWorkerAnnouncement(raw: string): WorkerAnnouncement {
  const a = object(parseJson(raw, 'worker announcement'), 'worker announcement');
  protocol(a);
  return {
    protocol: PROTOCOL_VERSION,
    workerId: identifier(a, 'workerId'),
    host: text(a, 'host', 255),
    pid: integer(a, 'pid', 0, Number.MAX_SAFE_INTEGER),
    concurrency: integer(a, 'concurrency', 1, 1_000_000),
    queue: text(a, 'queue', 255),
    version: text(a, 'version', 64),
    startedAt: text(a, 'startedAt', 64),
  };
}

// ---- the parts of a job ----

function workloadConfig(w: Fields): WorkloadConfig {
  return {
    scenario: scenarioOptions(object(w.scenario, 'workload.scenario')),
    strategy: choice(w, 'strategy', STRATEGIES, 'workload.'),
    shape: choice(w, 'shape', SHAPES, 'workload.'),
    isolation: choice(w, 'isolation', ISOLATION_LEVELS, 'workload.'),
    maxTries: integer(w, 'maxTries', 1, 1000, 'workload.'),
    loop: loopOptions(object(w.loop, 'workload.loop')),
    limits: runLimits(object(w.limits, 'workload.limits')),
  };
}

function scenarioOptions(s: Fields): ScenarioOptions {
  const at = 'workload.scenario.';
  const refsMin = integer(s, 'refsMin', 0, 1_000_000, at);
  return {
    scenario: choice(s, 'scenario', SCENARIOS, at),
    refsMin,
    refsMax: integer(s, 'refsMax', refsMin, 1_000_000, at),
    hotDocs: integer(s, 'hotDocs', 1, Number.MAX_SAFE_INTEGER, at),
    batchSize: integer(s, 'batchSize', 1, 1_000_000, at),
    sorted: boolean(s, 'sorted', at),
    readRatio: number(s, 'readRatio', 0, 1, at),
    noopSleepMs: number(s, 'noopSleepMs', 0, 3_600_000, at),
  };
}

function loopOptions(l: Fields): LoopOptions {
  const at = 'workload.loop.';
  const mode = choice(l, 'mode', ['closed', 'open'] as const, at);
  if (mode === 'open') return { mode, ratePerSession: number(l, 'ratePerSession', Number.MIN_VALUE, 1_000_000, at) };
  const thinkMinMs = number(l, 'thinkMinMs', 0, 3_600_000, at);
  return { mode, thinkMinMs, thinkMaxMs: number(l, 'thinkMaxMs', thinkMinMs, 3_600_000, at) };
}

function runLimits(l: Fields): RunLimits {
  const at = 'workload.limits.';
  const warmupMs = number(l, 'warmupMs', 0, Number.MAX_SAFE_INTEGER, at);
  const hasIterations = l.iterations !== undefined;
  const hasDuration = l.durationMs !== undefined;
  if (hasIterations === hasDuration) {
    throw new MalformedJobError(`${at}iterations and ${at}durationMs: exactly one must be set, found ${hasIterations ? 'both' : 'neither'}`);
  }
  return hasIterations
    ? { iterations: integer(l, 'iterations', 1, Number.MAX_SAFE_INTEGER, at), warmupMs }
    : { durationMs: number(l, 'durationMs', Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, at), warmupMs };
}

function datasetShape(d: Fields): DatasetShape {
  const at = 'dataset.';
  return {
    documents: integer(d, 'documents', 1, 2 ** 31 - 1, at),
    references: integer(d, 'references', 0, Number.MAX_SAFE_INTEGER, at),
    avgRefsPerDoc: number(d, 'avgRefsPerDoc', Number.MIN_VALUE, 1_000_000, at),
    partitions: integer(d, 'partitions', 1, 256, at),
  };
}

function counters(c: Fields, path: string): OperationCounters {
  const at = `${path}.`;
  const byErrorFields = object(c.byError, `${at}byError`);
  const byError: Record<string, number> = {};
  for (const code of Object.keys(byErrorFields)) byError[code] = integer(byErrorFields, code, 0, Number.MAX_SAFE_INTEGER, `${at}byError.`);
  return {
    ok: integer(c, 'ok', 0, Number.MAX_SAFE_INTEGER, at),
    failed: integer(c, 'failed', 0, Number.MAX_SAFE_INTEGER, at),
    retried: integer(c, 'retried', 0, Number.MAX_SAFE_INTEGER, at),
    byError,
  };
}

function committedSets(c: Fields): Record<string, readonly string[]> {
  const result: Record<string, readonly string[]> = {};
  for (const [documentId, digests] of Object.entries(c)) {
    if (!/^[1-9]\d*$/.test(documentId)) throw new MalformedJobError(`committed key ${quote(documentId)} is not a document id`);
    if (!Array.isArray(digests) || !digests.every((d) => typeof d === 'string')) {
      throw new MalformedJobError(`committed.${documentId} ${quote(digests)} is not an array of digests`);
    }
    result[documentId] = digests as string[];
  }
  return result;
}

function integerArray(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v) && v >= 0)) {
    throw new MalformedJobError(`${path} ${quote(value)} is not an array of non-negative integers`);
  }
  return value as number[];
}

// ---- field readers: each names the field, quotes the value and says what was expected ----

function quote(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'number') return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function parseJson(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedJobError(`${what} ${quote(raw)} is not JSON`);
  }
}

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedJobError(`${path} ${quote(value)} is not an object`);
  }
  return value as Fields;
}

function protocol(fields: Fields): void {
  if (fields.protocol !== PROTOCOL_VERSION) {
    throw new MalformedJobError(`protocol ${quote(fields.protocol)} is not ${PROTOCOL_VERSION}`);
  }
}

function number(fields: Fields, key: string, min: number, max: number, at = ''): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new MalformedJobError(`${at}${key} ${quote(value)} is not ${rangeText(min, max, 'a number')}`);
  }
  return value;
}

function finite(fields: Fields, key: string, at = ''): number {
  return number(fields, key, -Number.MAX_VALUE, Number.MAX_VALUE, at);
}

function integer(fields: Fields, key: string, min: number, max: number, at = ''): number {
  const value = fields[key];
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new MalformedJobError(`${at}${key} ${quote(value)} is not ${rangeText(min, max, 'an integer')}`);
  }
  return value as number;
}

function rangeText(min: number, max: number, kind: 'a number' | 'an integer'): string {
  const unbounded = max >= Number.MAX_SAFE_INTEGER;
  if (min === -Number.MAX_VALUE && unbounded) return `a finite ${kind.split(' ')[1]}`;
  const lower = min === Number.MIN_VALUE ? 'above 0' : unbounded ? `of at least ${min}` : `from ${min}`;
  if (unbounded) return `${kind} ${lower}`;
  return min === Number.MIN_VALUE ? `${kind} above 0 and at most ${max}` : `${kind} ${lower} to ${max}`;
}

function text(fields: Fields, key: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > maxLength) {
    const limit = maxLength === Number.MAX_SAFE_INTEGER ? '' : ` of at most ${maxLength} bytes`;
    throw new MalformedJobError(`${key} ${quote(value)} is not a non-empty string${limit}`);
  }
  return value;
}

function identifier(fields: Fields, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new MalformedJobError(`${key} ${quote(value)} is not an identifier (1-64 letters, digits, - or _)`);
  }
  return value;
}

function databaseName(fields: Fields, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || !DATABASE_NAME.test(value) || !value.startsWith(DATABASE_NAME_PREFIX)) {
    throw new MalformedJobError(`${key} ${quote(value)} is not a refswarm database name (${DATABASE_NAME_PREFIX}*)`);
  }
  return value;
}

function boolean(fields: Fields, key: string, at = ''): boolean {
  const value = fields[key];
  if (typeof value !== 'boolean') throw new MalformedJobError(`${at}${key} ${quote(value)} is not true|false`);
  return value;
}

function choice<T extends string>(fields: Fields, key: string, choices: readonly T[], at = ''): T {
  const value = fields[key];
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new MalformedJobError(`${at}${key} ${quote(value)} is not ${choices.join('|')}`);
  }
  return value as T;
}
