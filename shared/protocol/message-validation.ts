import { MalformedJobError } from '../errors.ts';
import { workloadProblem } from '../run-config.ts';
import { compileContract, fieldPath, quote, type CompiledContract } from './contract-schema.ts';
import {
  PROTOCOL_VERSION,
  RunEventSchema,
  SessionEventSchema,
  SessionJobSchema,
  WorkerAnnouncementSchema,
  type RunEvent,
  type SessionEvent,
  type SessionJob,
  type WorkerAnnouncement,
} from './messages.ts';
import type { TSchema } from '@sinclair/typebox';

/**
 * Validation of everything that arrives from Redis: it may come from another version of refswarm, or
 * from anything else that can write to the queue. Each parser checks the message against its schema
 * (messages.ts) and the rules between fields a schema cannot state, and returns it holding only the
 * declared fields, or throws MalformedJobError naming the field, saying what was expected and quoting
 * the value (`job.workload.loop.mode: expected closed|open, got "x"`).
 */

const sessionJob = compileContract(SessionJobSchema);
const sessionEvent = compileContract(SessionEventSchema);
const runEvent = compileContract(RunEventSchema);
const workerAnnouncement = compileContract(WorkerAnnouncementSchema);

export function parseSessionJob(data: unknown): SessionJob {
  const job = conforming(sessionJob, data, 'job', 'copy');
  if (job.sessionId >= job.sessionCount) {
    throw new MalformedJobError(`job.sessionId: expected an integer from 0 to ${job.sessionCount - 1} (below sessionCount), got ${job.sessionId}`);
  }
  const problem = workloadProblem(job.workload);
  if (problem !== undefined) {
    throw new MalformedJobError(`${fieldPath('job.workload', `/${problem.field.replaceAll('.', '/')}`)}: expected ${problem.expected}, got ${quote(problem.value)}`);
  }
  return job;
}

/** One entry of a run's event stream (the JSON under EVENT_FIELD). */
export function parseSessionEvent(raw: string): SessionEvent {
  return conforming(sessionEvent, parseJson(raw, 'event'), 'event', 'owned');
}

/** One entry of a run's event stream: a session's event or a worker's health (what the coordinator reads). */
export function parseRunEvent(raw: string): RunEvent {
  return conforming(runEvent, parseJson(raw, 'event'), 'event', 'owned');
}

/** The JSON a worker keeps under keys.worker(id). */
export function parseWorkerAnnouncement(raw: string): WorkerAnnouncement {
  return conforming(workerAnnouncement, parseJson(raw, 'worker announcement'), 'worker', 'owned');
}

/** `owned`: the value was just parsed here, so it is stripped in place; `copy`: the caller's value is left as it was. */
function conforming<S extends TSchema>(
  contract: CompiledContract<S>,
  value: unknown,
  root: string,
  ownership: 'owned' | 'copy',
): ReturnType<CompiledContract<S>['clean']> {
  // Another protocol version may differ anywhere: say that, not which field it lacks.
  const protocol = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { protocol?: unknown }).protocol : PROTOCOL_VERSION;
  if (protocol !== PROTOCOL_VERSION) throw new MalformedJobError(`${root}.protocol: expected ${PROTOCOL_VERSION}, got ${quote(protocol)}`);
  const problem = contract.problem(value, root);
  if (problem !== undefined) throw new MalformedJobError(problem);
  return ownership === 'owned' ? contract.cleanOwned(value) : contract.clean(value);
}

function parseJson(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedJobError(`${what} ${quote(raw)} is not JSON`);
  }
}
