import type { MeasurementEvent } from '../../shared/protocol/messages.ts';
import type { SessionDeadlock } from './run-observers.ts';

/**
 * The deadlocks an event reports, each with its session, as the aggregator collects them
 * (coordinator/run/run-aggregate.ts): a worker's merged interval carries its sessions' deadlocks, an
 * older worker's per-session interval its session's own.
 */
export function reportedDeadlocks(event: MeasurementEvent): SessionDeadlock[] {
  switch (event.type) {
    case 'worker-interval':
      return event.sessions.flatMap((part) => (part.deadlocks ?? []).map((deadlock) => ({ ...deadlock, sessionId: part.sessionId })));
    case 'interval':
      return (event.deadlocks ?? []).map((deadlock) => ({ ...deadlock, sessionId: event.sessionId }));
    default:
      return [];
  }
}
