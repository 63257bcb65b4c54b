import test from 'ava';
import {
  MERGE_ARBITER,
  SCHEMA_OBJECTS,
  createObjectSql,
  partitionName,
  partitionNames,
  partitionObjectName,
  renderSql,
} from '../../../coordinator/database/schema-objects.ts';

test('partition names: at least two digits, as wide as P-1 needs', (t) => {
  t.deepEqual(partitionNames('document', 1), ['document_00']);
  t.deepEqual(partitionNames('alias', 3), ['alias_00', 'alias_01', 'alias_02']);
  t.is(partitionName('reference', 15, 16), 'reference_15');
  t.is(partitionName('reference', 99, 100), 'reference_99');
  t.is(partitionName('reference', 7, 101), 'reference_007');
  t.is(partitionName('reference', 255, 256), 'reference_255');
});

test("a partition's copy of an object carries the partition's number", (t) => {
  t.is(partitionObjectName(MERGE_ARBITER, 'reference_03'), 'UX_Reference_ParentReferential_03');
  for (const object of SCHEMA_OBJECTS) t.true(partitionObjectName(object, 'reference_255').length <= 63, object.name);
});

test('templates: placeholders filled, NOT VALID only for a partition foreign key', (t) => {
  const fk = SCHEMA_OBJECTS.find((o) => o.name === 'FK_Reference_ReferencedAlias')!;
  const onPartition = createObjectSql(fk, 'dms.reference_03', 'FK_Reference_ReferencedAlias_03', true);
  t.regex(onPartition, /ALTER TABLE dms\.reference_03 ADD CONSTRAINT FK_Reference_ReferencedAlias_03 FOREIGN KEY/);
  t.regex(onPartition, /ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID\s*$/);
  const statement = (sql: string): string => sql.split('\n').filter((line) => !line.startsWith('--')).join('\n');
  t.notRegex(statement(createObjectSql(fk, 'dms.reference', fk.name)), /NOT VALID/);
  t.notRegex(onPartition, /\{\{/);
  t.throws(() => renderSql('load/validate-constraint', { table: 'dms.x' }), { message: /no value for \{\{name\}\}/ });
});

test('foreign keys come after the keys they reference', (t) => {
  const firstForeignKey = SCHEMA_OBJECTS.findIndex((o) => o.kind === 'foreign-key');
  t.true(SCHEMA_OBJECTS.slice(firstForeignKey).every((o) => o.kind === 'foreign-key'));
});
