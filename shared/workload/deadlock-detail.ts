/**
 * A deadlock's DETAIL as PostgreSQL reports it to the victim (src/backend/storage/lmgr/deadlock.c,
 * DeadLockReport), one line per edge of the cycle:
 *   Process 8127 waits for ShareLock on transaction 1234; blocked by process 8131.
 *   Process 8131 waits for ExclusiveLock on tuple (0,5) of relation 16412 of database 16384; blocked by process 8127.
 * parsed into the cycle's edges. The lock is kept as its kind ("transaction", "tuple", "relation",
 * ...) and mode; the relation as its OID (the coordinator names it). Pure.
 */

export interface DeadlockEdge {
  readonly pid: number;
  readonly lockMode: string;
  /** "transaction", "tuple", "relation", "page", "extension", "virtual transaction", "object", "advisory", ... */
  readonly lockType: string;
  readonly relationOid?: number;
  readonly blockedBy: number;
}

const EDGE = /^Process (\d+) waits for (\w+) on (.+?); blocked by process (\d+)\.?$/;
const RELATION = /relation (\d+) of database \d+/;

/** The edges of the cycle, in PostgreSQL's order; empty when the text is not a deadlock detail. */
export function parseDeadlockDetail(detail: string | undefined): DeadlockEdge[] {
  const edges: DeadlockEdge[] = [];
  for (const line of (detail ?? '').split('\n')) {
    const match = EDGE.exec(line.trim());
    if (!match) continue;
    const relation = RELATION.exec(match[3]);
    edges.push({
      pid: Number(match[1]),
      lockMode: match[2],
      lockType: lockTypeOf(match[3]),
      ...(relation && { relationOid: Number(relation[1]) }),
      blockedBy: Number(match[4]),
    });
  }
  return edges;
}

/** "tuple (0,5) of relation 16412 of database 16384" → "tuple"; "virtual transaction 3/77" → "virtual transaction". */
function lockTypeOf(target: string): string {
  if (target.startsWith('extension of relation')) return 'extension';
  const words = target.split(' ');
  const kind: string[] = [];
  for (const word of words) {
    if (/[\d(\[]/.test(word[0] ?? '')) break;
    kind.push(word);
  }
  return kind.join(' ') || target;
}
