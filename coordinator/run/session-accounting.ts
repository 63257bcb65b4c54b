import type { SessionDone } from '../../shared/protocol/messages.ts';
import type { SessionResultSummary } from '../results/run-report.ts';

/**
 * How a run accounts for its sessions (docs/architecture.md#heartbeats-and-lost-sessions), the same
 * on every path (`run`, `report --run-id`): a session that sent `done` ended as it said (completed,
 * aborted, failed), with the reason it gave; one that did not is lost, with the reason its loss was
 * declared. Nothing else (whether the run was interrupted, which path rebuilt it) changes a status.
 */

export type SessionAccountStatus = SessionResultSummary['status'];

export interface SessionAccount {
  readonly status: SessionAccountStatus;
  readonly reason?: string;
}

export interface SessionCounts {
  readonly completed: number;
  readonly aborted: number;
  readonly failed: number;
  readonly lost: number;
}

/** `lostReason`: why the collector (or the rebuild) declared the session lost, when it has no `done`. */
export function accountSession(done: SessionDone | undefined, lostReason: string | undefined): SessionAccount {
  if (done) return done.reason === undefined ? { status: done.status } : { status: done.status, reason: done.reason };
  return { status: 'lost', reason: lostReason ?? 'no "done" event: its worker stopped before the session ended' };
}

export function countSessions(accounts: readonly SessionAccount[]): SessionCounts {
  const counts = { completed: 0, aborted: 0, failed: 0, lost: 0 };
  for (const { status } of accounts) counts[status]++;
  return counts;
}
