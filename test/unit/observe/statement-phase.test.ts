import test from 'ava';
import { statementPhase } from '../../../coordinator/observe/statement-phase.ts';
import { loadSql } from '../../../shared/sql.ts';

/** As pg_stat_statements keeps a statement and sql/observability/statement-texts.sql reads it. */
const asRecorded = (file: string): string => loadSql(file).replace(/^(\s*--[^\n]*\n)+/, '').replace(/\s+/g, ' ').slice(0, 300);

test('the executor\'s statements map to their phase, the strategy call by shape', (t) => {
  t.is(statementPhase(asRecorded('workload/lock-documents'), 'dms'), 'lock');
  t.is(statementPhase(asRecorded('workload/update-documents'), 'dms'), 'update');
  for (const call of ['call-current', 'call-differential', 'call-merge', 'call-upsert']) {
    t.is(statementPhase(asRecorded(`workload/${call}`), 'dms'), 'strategy', call);
    t.is(statementPhase(asRecorded(`workload/${call}`), 'bare'), 'call', call);
  }
  for (const read of ['read-referencing', 'read-references', 'read-references-alias-id']) t.is(statementPhase(asRecorded(`workload/${read}`), 'bare'), 'read');
});

test('BEGIN and COMMIT: lock and commit in the dms shape, call (upsert\'s transaction) in the bare shape; others none', (t) => {
  t.is(statementPhase('BEGIN ISOLATION LEVEL READ COMMITTED', 'dms'), 'lock');
  t.is(statementPhase('COMMIT', 'dms'), 'commit');
  t.is(statementPhase('ROLLBACK', 'bare'), 'call');
  t.is(statementPhase('SELECT 1', 'dms'), undefined);
  t.is(statementPhase('SELECT', 'dms'), undefined, 'a short text is no statement\'s prefix');
  t.is(statementPhase(`${asRecorded('workload/lock-documents')} /*refswarm='tag'*/`, 'dms'), 'lock', 'a trailing SQL tag does not matter');
});
