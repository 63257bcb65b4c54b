import type { SessionDb } from '../shared/workload/contracts.ts';
import { sqlLiteral } from '../shared/workload/sql-literal.ts';

/**
 * A session's connection with the operation's SQL tag in front of every statement
 * (docs/architecture.md#sql-tags), without giving up prepared statements. pg_stat_activity shows a
 * protocol-level prepared statement with the text it was prepared with, so a tag that changes per
 * operation cannot ride in it; sent unnamed, every statement is parsed and planned again (the dms
 * shape's lock and update on partitioned tables cost 1.3× that way, README Decisions). Instead each
 * statement is prepared once per connection with SQL `PREPARE name AS …` and run as
 * `/*tag*\/ EXECUTE name('{1,2}', …)` in one simple-protocol message: the server parses only the
 * EXECUTE and its literal arguments and reuses the cached plan, pg_stat_activity shows the tag, and
 * pg_stat_statements charges the prepared query (same query id as untagged). Statements without a
 * name (SELECT 1) get the tag in front of their text, except BEGIN, COMMIT and ROLLBACK: PostgreSQL
 * 15 fingerprints a utility statement by its text, so a tagged one would be a new pg_stat_statements
 * entry per operation, evicting the entries the run's statistics read (the sampler carries a
 * session's tag through its transaction instead: coordinator/observe/transaction-tags.ts).
 */

const TRANSACTION_CONTROL = /^(BEGIN|COMMIT|ROLLBACK)\b/;

export function taggedSession(db: SessionDb, prepared: Set<string>, tag: string): SessionDb {
  return new TaggedSession(db, prepared, tag);
}

/**
 * A class, not an object literal of closures: one is made per operation, and under tsx (esbuild's
 * keepNames) every closure made gets its name defined on it, which cost more than the rest of this
 * wrapper (worker CPU profile, README Decisions "Per-operation cost").
 */
class TaggedSession implements SessionDb {
  constructor(
    private readonly db: SessionDb,
    private readonly prepared: Set<string>,
    private readonly tag: string,
  ) {}

  async query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    const { db, prepared, tag } = this;
    if (name === undefined) return db.query<R>(TRANSACTION_CONTROL.test(text) ? text : tag + text, values);
    // Its own name: the protocol-level statement of that name may exist on the connection (42P05).
    const sqlName = `${name}_sql`;
    if (!prepared.has(sqlName)) {
      await db.query(`PREPARE ${sqlName} AS ${text}`);
      prepared.add(sqlName);
    }
    const args = values === undefined || values.length === 0 ? '' : `(${values.map(sqlLiteral).join(', ')})`;
    return db.query<R>(`${tag}EXECUTE ${sqlName}${args}`);
  }

  reconnect(): Promise<void> {
    this.prepared.clear();
    return this.db.reconnect();
  }
}
