import test from 'ava';
import { formatSqlTag, parseSqlTag } from '../../../../shared/workload/sql-tag.ts';
import { parseDeadlockDetail } from '../../../../shared/workload/deadlock-detail.ts';
import { sqlLiteral } from '../../../../shared/workload/sql-literal.ts';

const tag = { run: 'r-1_x', session: 12, op: 345, documents: [17, 42], partitions: [1, 10] };

test('a tag reads back from the statement it starts, comments after it included', (t) => {
  const text = `${formatSqlTag(tag)}-- One call of the "current" strategy\nSELECT 1`;
  t.true(text.startsWith("/*run='r-1_x',session='12',op='345',docs='17,42',parts='1,10'*/ "));
  t.deepEqual(parseSqlTag(text), tag);
});

test('an operation without documents (noop) has empty lists', (t) => {
  t.deepEqual(parseSqlTag(formatSqlTag({ ...tag, documents: [], partitions: [] })), { ...tag, documents: [], partitions: [] });
});

test('no tag: untagged text, a tag cut off by track_activity_query_size, or nothing', (t) => {
  t.is(parseSqlTag('SELECT 1'), undefined);
  t.is(parseSqlTag(formatSqlTag(tag).slice(0, 40)), undefined);
  t.is(parseSqlTag(null), undefined);
  t.is(parseSqlTag("SELECT 1 /*run='a',session='1',op='1',docs='',parts=''*/"), undefined, 'only at the start');
});

test('a deadlock DETAIL parses into its cycle: transaction and tuple locks, relation OIDs', (t) => {
  const detail = [
    'Process 8127 waits for ShareLock on transaction 1234; blocked by process 8131.',
    'Process 8131 waits for ExclusiveLock on tuple (0,5) of relation 16412 of database 16384; blocked by process 8127.',
  ].join('\n');
  t.deepEqual(parseDeadlockDetail(detail), [
    { pid: 8127, lockMode: 'ShareLock', lockType: 'transaction', blockedBy: 8131 },
    { pid: 8131, lockMode: 'ExclusiveLock', lockType: 'tuple', relationOid: 16412, blockedBy: 8127 },
  ]);
});

test('deadlock DETAIL: relation, extension and virtual transaction locks; anything else is no edge', (t) => {
  const edges = parseDeadlockDetail(
    [
      'Process 1 waits for AccessExclusiveLock on relation 500 of database 5; blocked by process 2.',
      'Process 2 waits for ExclusiveLock on extension of relation 501 of database 5; blocked by process 3.',
      'Process 3 waits for ShareLock on virtual transaction 4/77; blocked by process 1.',
      'HINT: See server log for query details.',
    ].join('\n'),
  );
  t.deepEqual(
    edges.map((e) => [e.lockType, e.relationOid]),
    [
      ['relation', 500],
      ['extension', 501],
      ['virtual transaction', undefined],
    ],
  );
  t.deepEqual(parseDeadlockDetail(undefined), []);
});

test('SQL literals for EXECUTE: numbers, booleans, quoted strings, array literals quoted as strings', (t) => {
  t.is(sqlLiteral(3), '3');
  t.is(sqlLiteral(0.25), '0.25');
  t.is(sqlLiteral(false), 'FALSE');
  t.is(sqlLiteral("it's"), "'it''s'");
  t.is(sqlLiteral('{1,2,3}'), "'{1,2,3}'", 'an array literal already built (strategy arguments) is one string');
  t.is(sqlLiteral(['{"a":"b\\\\c"}', "o'k"]), `'{"{\\"a\\":\\"b\\\\\\\\c\\"}","o''k"}'`);
  t.is(sqlLiteral([1, null, 3]), "'{1,NULL,3}'");
  t.is(sqlLiteral(null), 'NULL');
  t.throws(() => sqlLiteral(Number.NaN));
  t.throws(() => sqlLiteral({}));
});
