import type { SqlTag } from '../../shared/workload/sql-tag.ts';

/**
 * The tag of each session's transaction, as last seen by the sampler. BEGIN, COMMIT and ROLLBACK run
 * untagged (worker/tagged-statements.ts: a tagged one would be a new pg_stat_statements entry per
 * operation), so a session committing, or idle in transaction after a failed statement, shows no tag
 * of its own; within the same transaction (same pid and xact_start) its operation has not changed,
 * and the tag seen earlier in that transaction stands for it.
 */
export class TransactionTags {
  private readonly byPid = new Map<number, { readonly tag: SqlTag; readonly xactStartUs: number }>();

  /** The statement's own tag, or the one its transaction showed before; remembers what it sees. */
  resolve(pid: number, tag: SqlTag | undefined, xactStartUs: number | null): SqlTag | undefined {
    if (tag) {
      if (xactStartUs === null) this.byPid.delete(pid);
      else this.byPid.set(pid, { tag, xactStartUs });
      return tag;
    }
    const seen = this.byPid.get(pid);
    return seen !== undefined && seen.xactStartUs === xactStartUs ? seen.tag : undefined;
  }
}
