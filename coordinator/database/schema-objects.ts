import { loadSql } from '../../shared/sql.ts';

/**
 * The three partitioned tables and every key, index and constraint on them
 * (docs/architecture.md#schema), as statement templates in sql/load/. Setup creates each object on
 * the partitioned table; load drops them all, bulk-loads bare partitions, builds each object on
 * every partition in parallel and then on the partitioned table, which attaches the partitions'
 * objects instead of building again.
 */

export type DatasetTable = 'document' | 'alias' | 'reference';
export const DATASET_TABLES: readonly DatasetTable[] = ['document', 'alias', 'reference'];

export type SchemaObjectKind = 'key' | 'index' | 'foreign-key';

export interface SchemaObject {
  /** As DMS spells it; unquoted in SQL, so the catalog holds it in lower case. */
  readonly name: string;
  readonly table: DatasetTable;
  readonly kind: SchemaObjectKind;
  /** The template in sql/ taking {{table}}, {{name}} (indexes) or {{constraint}} (keys, foreign keys), and {{not_valid}} for foreign keys. */
  readonly sql: string;
  /** The merge strategy's unique constraint: only added when the data has no duplicate pairs. */
  readonly mergeArbiter?: true;
}

/** In creation order: a foreign key comes after the key it references. */
export const SCHEMA_OBJECTS: readonly SchemaObject[] = [
  { name: 'Document_PKey', table: 'document', kind: 'key', sql: 'load/document-primary-key' },
  { name: 'UX_Document_DocumentUuid', table: 'document', kind: 'index', sql: 'load/document-uuid-index' },
  { name: 'Alias_PKey', table: 'alias', kind: 'key', sql: 'load/alias-primary-key' },
  { name: 'UX_Alias_ReferentialId', table: 'alias', kind: 'index', sql: 'load/alias-referential-id-index' },
  { name: 'IX_Alias_DocumentPartitionKey_DocumentId', table: 'alias', kind: 'index', sql: 'load/alias-document-index' },
  { name: 'Reference_PKey', table: 'reference', kind: 'key', sql: 'load/reference-primary-key' },
  { name: 'IX_Reference_ParentDocumentId', table: 'reference', kind: 'index', sql: 'load/reference-parent-index' },
  { name: 'IX_Reference_ReferencedDocument', table: 'reference', kind: 'index', sql: 'load/reference-referenced-document-index' },
  { name: 'IX_Reference_ReferentialId', table: 'reference', kind: 'index', sql: 'load/reference-referential-id-index' },
  { name: 'UX_Reference_ParentReferential', table: 'reference', kind: 'key', sql: 'load/reference-merge-unique', mergeArbiter: true },
  { name: 'FK_Alias_Document', table: 'alias', kind: 'foreign-key', sql: 'load/alias-document-foreign-key' },
  { name: 'FK_Reference_ParentDocument', table: 'reference', kind: 'foreign-key', sql: 'load/reference-parent-foreign-key' },
  { name: 'FK_Reference_ReferencedDocument', table: 'reference', kind: 'foreign-key', sql: 'load/reference-referenced-document-foreign-key' },
  { name: 'FK_Reference_ReferencedAlias', table: 'reference', kind: 'foreign-key', sql: 'load/reference-alias-foreign-key' },
];

export const MERGE_ARBITER = SCHEMA_OBJECTS.find((o) => o.mergeArbiter)!;

/** "reference_03" for remainder 3 of 16: at least two digits, as wide as P-1 needs. */
export function partitionName(table: DatasetTable, remainder: number, partitions: number): string {
  const width = Math.max(2, String(partitions - 1).length);
  return `${table}_${String(remainder).padStart(width, '0')}`;
}

export function partitionNames(table: DatasetTable, partitions: number): string[] {
  return Array.from({ length: partitions }, (_, r) => partitionName(table, r, partitions));
}

/**
 * A template from sql/ with its {{placeholders}} filled. Values are identifiers or numbers that
 * refswarm itself generates, never user text.
 */
export function renderSql(name: string, values: Readonly<Record<string, string | number>>): string {
  const text = loadSql(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`sql/${name}.sql: no value for {{${key}}}`);
    return String(value);
  });
  return text;
}

/**
 * The statement creating `object` on `table` ("dms.reference" or "dms.reference_03"), named `name`
 * or, when undefined, by PostgreSQL. Load builds a partition's keys and indexes unnamed and gives its
 * foreign keys the partitioned table's names: the names PostgreSQL gives the copies it makes itself,
 * so a loaded database and one made by `setup` alone cannot be told apart (the current strategy
 * matches a foreign key violation by the constraint's name).
 */
export function createObjectSql(object: SchemaObject, table: string, name: string | undefined, notValid = false): string {
  return renderSql(object.sql, {
    table,
    name: name ?? '',
    constraint: name === undefined ? '' : `CONSTRAINT ${name}`,
    not_valid: notValid ? 'NOT VALID' : '',
  });
}
