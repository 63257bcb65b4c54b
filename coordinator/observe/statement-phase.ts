import type { ShapeName } from '../../shared/run-config.ts';
import type { PhaseName } from '../../shared/phases.ts';
import { loadSql } from '../../shared/sql.ts';

/**
 * Which phase (shared/phases.ts) a statement of the run belongs to, from its text as
 * pg_stat_statements keeps it: the executor's statements are prepared with $n parameters, so their
 * text is their sql/ file's, compared here without comments and with whitespace collapsed.
 * BEGIN belongs to `lock` and COMMIT or ROLLBACK to `commit` in the dms shape; in the bare shape the
 * only transaction is upsert's around its calls, so both belong to `call`.
 */
export function statementPhase(query: string, shape: ShapeName): PhaseName | undefined {
  const text = normalized(query);
  if (/^begin\b/i.test(text)) return shape === 'dms' ? 'lock' : 'call';
  if (/^(commit|rollback)\b/i.test(text)) return shape === 'dms' ? 'commit' : 'call';
  for (const [prefix, phase] of statementPrefixes()) {
    if (text.startsWith(prefix)) return phase === 'strategy' && shape === 'bare' ? 'call' : phase;
  }
  return undefined;
}

/** Compared on this many characters: enough to tell the executor's statements apart. */
const PREFIX_LENGTH = 90;

const FILE_PHASES: ReadonlyArray<readonly [string, PhaseName]> = [
  ['workload/lock-documents', 'lock'],
  ['workload/update-documents', 'update'],
  ['workload/call-current', 'strategy'],
  ['workload/call-differential', 'strategy'],
  ['workload/call-merge', 'strategy'],
  ['workload/call-upsert', 'strategy'],
  ['workload/read-referencing', 'read'],
  ['workload/read-references', 'read'],
  ['workload/read-references-alias-id', 'read'],
];

let prefixes: ReadonlyArray<readonly [string, PhaseName]> | undefined;

function statementPrefixes(): ReadonlyArray<readonly [string, PhaseName]> {
  prefixes ??= FILE_PHASES.map(([file, phase]) => [normalized(loadSql(file)).slice(0, PREFIX_LENGTH), phase] as const);
  return prefixes;
}

function normalized(sql: string): string {
  return sql
    .replace(/--[^\n]*(\n|$)/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, PREFIX_LENGTH);
}
