import test from 'ava';
import {
  MERGE_ARBITER,
  SCHEMA_OBJECTS,
  createObjectSql,
  schemaObjects,
  partitionName,
  partitionNames,
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

test('an object without a name is left for PostgreSQL to name', (t) => {
  const statement = (sql: string): string => sql.split('\n').filter((line) => !line.startsWith('--')).join('\n');
  t.regex(statement(createObjectSql(MERGE_ARBITER, 'dms.reference_03', undefined)), /^ALTER TABLE dms\.reference_03 ADD\s+UNIQUE/);
  const index = SCHEMA_OBJECTS.find((o) => o.kind === 'index')!;
  t.regex(statement(createObjectSql(index, 'dms.document_03', undefined)), /^CREATE UNIQUE INDEX\s+ON dms\.document_03 /);
});

test('templates: placeholders filled, NOT VALID only for a partition foreign key', (t) => {
  const fk = SCHEMA_OBJECTS.find((o) => o.name === 'FK_Reference_ReferencedAlias')!;
  const onPartition = createObjectSql(fk, 'dms.reference_03', fk.name, true);
  t.regex(onPartition, /ALTER TABLE dms\.reference_03 ADD CONSTRAINT FK_Reference_ReferencedAlias FOREIGN KEY/);
  t.regex(onPartition, /ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID\s*$/);
  const statement = (sql: string): string => sql.split('\n').filter((line) => !line.startsWith('--')).join('\n');
  t.notRegex(statement(createObjectSql(fk, 'dms.reference', fk.name)), /NOT VALID/);
  t.notRegex(onPartition, /\{\{/);
  t.throws(() => renderSql('load/validate-constraint', { table: 'dms.x' }), { message: /no value for \{\{name\}\}/ });
});

test('foreign keys come after the keys they reference, in every layout', (t) => {
  for (const layout of ['referential-id', 'alias-id'] as const) {
    for (const dmsIndexes of [false, true]) {
      const objects = schemaObjects(layout, dmsIndexes);
      const firstForeignKey = objects.findIndex((o) => o.kind === 'foreign-key');
      t.true(objects.slice(firstForeignKey).every((o) => o.kind === 'foreign-key'), `${layout} ${dmsIndexes}`);
    }
  }
  t.is(schemaObjects('referential-id', false), SCHEMA_OBJECTS);
});

test('alias-id: DMS-867 names, no foreign key to the referenced document, the upsert arbiter always there', (t) => {
  const names = schemaObjects('alias-id', false).map((o) => o.name);
  for (const name of ['UX_Reference_Parent_Alias', 'IX_Reference_AliasId', 'IX_Reference_ReferencedDocument', 'IX_Alias_DocumentId', 'FK_Reference_ReferencedAlias']) {
    t.true(names.includes(name), name);
  }
  t.false(names.includes('FK_Reference_ReferencedDocument'));
  t.false(names.includes('UX_Reference_ParentReferential'));
  t.true(schemaObjects('alias-id', false).every((o) => o.mergeArbiter !== true));
  const fk = schemaObjects('alias-id', false).find((o) => o.name === 'FK_Reference_ReferencedAlias')!;
  t.regex(createObjectSql(fk, 'dms.reference', fk.name), /FOREIGN KEY \(ReferentialPartitionKey, AliasId\)\s+REFERENCES dms\.Alias \(ReferentialPartitionKey, Id\)/);
});

test('--dms-indexes adds the data-out indexes on Document only', (t) => {
  const added = schemaObjects('alias-id', true).filter((o) => !schemaObjects('alias-id', false).includes(o));
  t.is(added.length, 8);
  t.true(added.every((o) => o.table === 'document' && o.kind === 'index'));
  t.true(added.some((o) => o.name === 'IX_Document_EdfiDoc'));
});
