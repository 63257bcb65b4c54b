/**
 * The SQL tag: a comment in the sqlcommenter convention prepended to every statement a session sends
 * (docs/architecture.md#sql-tags), e.g. `/*run='r1',session='12',op='345',docs='17,42',parts='1,3'*\/`.
 * pg_stat_activity.query shows it, so the lock-wait sampler can say which session, operation,
 * documents and partitions a blocked backend and its blocker were working on; pg_stat_statements
 * fingerprints the parse tree, so the tag leaves query ids alone. Values are identifiers and
 * comma-separated integers: nothing to escape (the pattern below refuses anything else).
 */

export interface SqlTag {
  readonly run: string;
  readonly session: number;
  /** The operation's number in the session's stream (1-based, warm-up included; as --verify-writes names it). */
  readonly op: number;
  readonly documents: readonly number[];
  /** Partition keys of those documents, in the same order. */
  readonly partitions: readonly number[];
}

export function formatSqlTag(tag: SqlTag): string {
  return sessionSqlTags(tag.run, tag.session)(tag.op, tag.documents, tag.partitions);
}

export type SqlTagWriter = (op: number, documents: readonly number[], partitions: readonly number[]) => string;

/** A session's tag writer: the run and session part formatted once, the operation's part per call. */
export function sessionSqlTags(run: string, session: number): SqlTagWriter {
  const prefix = `/*run='${run}',session='${session}',op='`;
  return (op, documents, partitions) => `${prefix}${op}',docs='${documents.join(',')}',parts='${partitions.join(',')}'*/ `;
}

const TAG_PATTERN = /^\s*\/\*run='([0-9A-Za-z_-]+)',session='(\d+)',op='(\d+)',docs='([\d,]*)',parts='([\d,]*)'\*\//;

/** The tag at the start of a statement's text, or undefined when there is none (or it is cut off). */
export function parseSqlTag(text: string | null | undefined): SqlTag | undefined {
  const match = text ? TAG_PATTERN.exec(text) : null;
  if (!match) return undefined;
  return { run: match[1], session: Number(match[2]), op: Number(match[3]), documents: numbers(match[4]), partitions: numbers(match[5]) };
}

function numbers(list: string): number[] {
  return list === '' ? [] : list.split(',').map(Number);
}
