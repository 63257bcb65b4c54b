import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';

/**
 * The three partitioned tables and every key, index and constraint on them, per layout
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
  /**
   * Objects with the same value get the same name from PostgreSQL when built unnamed on a partition
   * (same columns, or both expressions): load builds them one after the other, since two concurrent
   * builds would both take that name and one would fail.
   */
  readonly sameDefaultName?: string;
}

/** --schema referential-id, in creation order: a foreign key comes after the key it references. */
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

/**
 * --schema alias-id: DMS-867's objects with DMS's names (DMS commit 2e6561ce7, deploy scripts 0001,
 * 0002, 0003, 0015). No foreign key to the referenced document; UX_Reference_Parent_Alias is always
 * there (the upsert's arbiter), so load leaves repeated (parent, alias) pairs out. A fresh DMS
 * deployment has both IX_Alias_DocumentId and IX_FK_Alias_Document, on the same columns.
 */
export const ALIAS_ID_SCHEMA_OBJECTS: readonly SchemaObject[] = [
  { name: 'Document_PKey', table: 'document', kind: 'key', sql: 'load/document-primary-key' },
  { name: 'UX_Document_DocumentUuid', table: 'document', kind: 'index', sql: 'load/document-uuid-index' },
  { name: 'Alias_PKey', table: 'alias', kind: 'key', sql: 'load/alias-primary-key' },
  { name: 'UX_Alias_ReferentialId', table: 'alias', kind: 'index', sql: 'load/alias-referential-id-index' },
  { name: 'IX_Alias_DocumentId', table: 'alias', kind: 'index', sql: 'load/alias-document-index', sameDefaultName: 'alias-document' },
  { name: 'IX_FK_Alias_Document', table: 'alias', kind: 'index', sql: 'load/alias-document-index', sameDefaultName: 'alias-document' },
  { name: 'Reference_PKey', table: 'reference', kind: 'key', sql: 'load/reference-primary-key' },
  { name: 'IX_Reference_ParentDocumentId', table: 'reference', kind: 'index', sql: 'load/reference-parent-index' },
  { name: 'IX_Reference_AliasId', table: 'reference', kind: 'index', sql: 'load/reference-alias-id-index' },
  { name: 'UX_Reference_Parent_Alias', table: 'reference', kind: 'key', sql: 'load/reference-parent-alias-unique' },
  { name: 'IX_Reference_ReferencedDocument', table: 'reference', kind: 'index', sql: 'load/reference-referenced-document-covering-index' },
  { name: 'FK_Alias_Document', table: 'alias', kind: 'foreign-key', sql: 'load/alias-document-foreign-key' },
  { name: 'FK_Reference_ParentDocument', table: 'reference', kind: 'foreign-key', sql: 'load/reference-parent-foreign-key' },
  { name: 'FK_Reference_ReferencedAlias', table: 'reference', kind: 'foreign-key', sql: 'load/reference-alias-id-foreign-key' },
];

/** setup --dms-indexes: DMS's data-out indexes on Document (DMS deploy script 0023_Create_DataOut_Indexes). */
export const DMS_DOCUMENT_INDEXES: readonly SchemaObject[] = [
  { name: 'IX_Document_ResourceName_CreatedAt', table: 'document', kind: 'index', sql: 'load/document-resource-name-index' },
  { name: 'IX_Document_StudentSchoolAuthorizationEdOrgIds', table: 'document', kind: 'index', sql: 'load/document-student-school-authorization-ed-org-ids-index' },
  { name: 'IX_Document_ContactStudentSchoolAuthorizationEdOrgIds', table: 'document', kind: 'index', sql: 'load/document-contact-student-school-authorization-ed-org-ids-index' },
  { name: 'IX_Document_StaffEducationOrganizationAuthorizationEdOrgIds', table: 'document', kind: 'index', sql: 'load/document-staff-education-organization-authorization-ed-org-ids-index' },
  { name: 'IX_Document_StudentEdOrgResponsibilityAuthorizationIds', table: 'document', kind: 'index', sql: 'load/document-student-ed-org-responsibility-authorization-ids-index' },
  { name: 'IX_Document_SecurityElements_EducationOrganization', table: 'document', kind: 'index', sql: 'load/document-security-education-organization-index', sameDefaultName: 'document-expression' },
  { name: 'IX_Document_SecurityElements_Namespace', table: 'document', kind: 'index', sql: 'load/document-security-namespace-index', sameDefaultName: 'document-expression' },
  { name: 'IX_Document_EdfiDoc', table: 'document', kind: 'index', sql: 'load/document-edfi-doc-index' },
];

/** Every object of a database set up with `layout` (and --dms-indexes), in creation order. */
export function schemaObjects(layout: SchemaLayout, dmsIndexes: boolean): readonly SchemaObject[] {
  const objects = layout === 'alias-id' ? ALIAS_ID_SCHEMA_OBJECTS : SCHEMA_OBJECTS;
  if (!dmsIndexes) return objects;
  const firstForeignKey = objects.findIndex((o) => o.kind === 'foreign-key');
  return [...objects.slice(0, firstForeignKey), ...DMS_DOCUMENT_INDEXES, ...objects.slice(firstForeignKey)];
}

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
