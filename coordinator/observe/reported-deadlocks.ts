import type { MeasurementEvent } from '../../shared/protocol/messages.ts';
import type { SessionDeadlock } from './run-observers.ts';

/**
 * The deadlocks an event reports, each with its session: what the aggregator collects
 * (coordinator/run/run-aggregate.ts) and what the observers' onDeadlocks hook is given. A worker's
 * merged interval carries its sessions' deadlocks, an older worker's per-session interval its own.
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
