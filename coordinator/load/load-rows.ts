import { referencedAliasId, repeatedReferenceNumbers, type DatasetIndex, type ReferenceSetOptions } from '../../shared/dataset.ts';
import {
  ALIAS_CSV_HEADER,
  DOCUMENT_CSV_HEADER,
  REFERENCE_CSV_HEADER,
  REFERENCE_CSV_HEADER_ALIAS_ID,
  edfiDocJson,
  resourceNameOf,
  securityElementsJson,
  traceIdOf,
} from './dataset-csv.ts';
import { BinaryCopyWriter, FIELD_BYTES, textFieldBytes } from './binary-copy.ts';
import type { DatasetTable } from '../database/schema-objects.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';

/**
 * The dataset's rows (docs/architecture.md#dataset, the same rows `refswarm export` writes) as
 * binary COPY streams, one per partition: a partition gets the rows whose partition key it holds,
 * in Id order. Ids are explicit — Document i and Alias i get Id i, reference row n of reference.csv
 * gets Id n — so the order partitions load in does not matter. With `distinctPairs` the reference
 * rows repeating a (parent, referential id) pair are left out (their Ids stay unused). On
 * --schema alias-id a reference row carries AliasId instead of ReferentialId (alias a is document
 * a's, so AliasId and ReferencedDocumentId are both the alias id).
 */

/** The columns of export's CSV files (the same rows), after the explicit Id (--schema referential-id). */
export const COPY_COLUMNS: Readonly<Record<DatasetTable, readonly string[]>> = {
  document: ['Id', ...DOCUMENT_CSV_HEADER],
  alias: ['Id', ...ALIAS_CSV_HEADER],
  reference: ['Id', ...REFERENCE_CSV_HEADER],
};

export function copyColumns(table: DatasetTable, schema: SchemaLayout = 'referential-id'): readonly string[] {
  return table === 'reference' && schema === 'alias-id' ? ['Id', ...REFERENCE_CSV_HEADER_ALIAS_ID] : COPY_COLUMNS[table];
}

/** keys[k] is 1 when the partition holds partition key k. */
export type KeyMask = Uint8Array;

/** Rows generated so far, for progress (the generators add to it as they go). */
export interface RowCounter {
  rows: number;
}

const ALIAS_ROW_BYTES = 2 + FIELD_BYTES.int64 + FIELD_BYTES.int16 + FIELD_BYTES.uuid + FIELD_BYTES.int64 + FIELD_BYTES.int16;
const REFERENCE_ROW_BYTES = 2 + 3 * FIELD_BYTES.int64 + 3 * FIELD_BYTES.int16 + FIELD_BYTES.uuid;

export function copyChunks(
  table: DatasetTable,
  index: DatasetIndex,
  keys: KeyMask,
  counter: RowCounter = { rows: 0 },
  options: ReferenceSetOptions = {},
  schema: SchemaLayout = 'referential-id',
): Generator<Buffer> {
  switch (table) {
    case 'document':
      return documentChunks(index, keys, counter);
    case 'alias':
      return aliasChunks(index, keys, counter);
    case 'reference':
      return schema === 'alias-id'
        ? aliasIdReferenceChunks(index, keys, counter, options.distinctPairs === true)
        : referenceChunks(index, keys, counter, options.distinctPairs === true);
  }
}

/** Rows of `table` that a partition holding `keys` gets. */
export function partitionRowCount(table: DatasetTable, index: DatasetIndex, keys: KeyMask, options: ReferenceSetOptions = {}): number {
  const n = index.shape.documents;
  let rows = 0;
  for (let i = 1; i <= n; i++) {
    if (table === 'document') rows += keys[index.documentPartitionKeys[i]];
    else if (table === 'alias') rows += keys[index.referentialPartitionKeys[i]];
    else if (keys[index.documentPartitionKeys[i]]) rows += index.referenceCounts[i] - skippedRows(index, i, options.distinctPairs === true).length;
  }
  return rows;
}

function* documentChunks(index: DatasetIndex, keys: KeyMask, counter: RowCounter): Generator<Buffer> {
  const writer = new BinaryCopyWriter();
  const n = index.shape.documents;
  for (let i = 1; i <= n; i++) {
    const key = index.documentPartitionKeys[i];
    if (!keys[key]) continue;
    const edfiDoc = edfiDocJson(i, index.documentUuid(i));
    const securityElements = securityElementsJson(i);
    const resourceName = resourceNameOf(i);
    const traceId = traceIdOf(i);
    const bound =
      2 + FIELD_BYTES.int64 + FIELD_BYTES.int16 + FIELD_BYTES.uuid + FIELD_BYTES.boolean +
      textFieldBytes(resourceName) + textFieldBytes('5.0.0') + textFieldBytes('ed-fi') +
      textFieldBytes(edfiDoc) + textFieldBytes(securityElements) + textFieldBytes(traceId);
    writer
      .row(10, bound)
      .int64(i)
      .int16(key)
      .uuid(index.documentUuids, 16 * i)
      .text(resourceName)
      .text('5.0.0')
      .boolean(false)
      .text('ed-fi')
      .jsonb(edfiDoc)
      .jsonb(securityElements)
      .text(traceId);
    counter.rows++;
    yield* writer.take();
  }
  writer.finish();
  yield* writer.take();
}

function* aliasChunks(index: DatasetIndex, keys: KeyMask, counter: RowCounter): Generator<Buffer> {
  const writer = new BinaryCopyWriter();
  const n = index.shape.documents;
  for (let i = 1; i <= n; i++) {
    const key = index.referentialPartitionKeys[i];
    if (!keys[key]) continue;
    writer
      .row(5, ALIAS_ROW_BYTES)
      .int64(i)
      .int16(key)
      .uuid(index.referentialIds, 16 * i)
      .int64(i)
      .int16(index.documentPartitionKeys[i]);
    counter.rows++;
    yield* writer.take();
  }
  writer.finish();
  yield* writer.take();
}

/** Reference numbers of document i a load leaves out. */
function skippedRows(index: DatasetIndex, documentId: number, distinctPairs: boolean): readonly number[] {
  return distinctPairs ? repeatedReferenceNumbers(documentId, index.referenceCounts[documentId], index.shape.documents) : NONE;
}

const NONE: readonly number[] = [];

/** Writes one Reference row in a layout's column order (see the two writers below). */
type ReferenceRowWriter = (writer: BinaryCopyWriter, index: DatasetIndex, rowId: number, parentId: number, parentKey: number, alias: number) => void;

/** --schema referential-id: Id, ParentDocumentId, ParentDocumentPartitionKey, ReferencedDocumentId, ReferencedDocumentPartitionKey, ReferentialId, ReferentialPartitionKey. */
const writeReferentialIdRow: ReferenceRowWriter = (writer, index, rowId, parentId, parentKey, alias) => {
  writer
    .row(7, REFERENCE_ROW_BYTES)
    .int64(rowId)
    .int64(parentId)
    .int16(parentKey)
    .int64(alias)
    .int16(index.documentPartitionKeys[alias])
    .uuid(index.referentialIds, 16 * alias)
    .int16(index.referentialPartitionKeys[alias]);
};

/** --schema alias-id: Id, ParentDocumentId, ParentDocumentPartitionKey, ReferentialPartitionKey, AliasId, ReferencedDocumentPartitionKey, ReferencedDocumentId. */
const writeAliasIdRow: ReferenceRowWriter = (writer, index, rowId, parentId, parentKey, alias) => {
  writer
    .row(7, ALIAS_ID_REFERENCE_ROW_BYTES)
    .int64(rowId)
    .int64(parentId)
    .int16(parentKey)
    .int16(index.referentialPartitionKeys[alias])
    .int64(alias)
    .int16(index.documentPartitionKeys[alias])
    .int64(alias);
};

function referenceChunks(index: DatasetIndex, keys: KeyMask, counter: RowCounter, distinctPairs: boolean): Generator<Buffer> {
  return layoutReferenceChunks(index, keys, counter, distinctPairs, writeReferentialIdRow);
}

function aliasIdReferenceChunks(index: DatasetIndex, keys: KeyMask, counter: RowCounter, distinctPairs: boolean): Generator<Buffer> {
  return layoutReferenceChunks(index, keys, counter, distinctPairs, writeAliasIdRow);
}

/** Every dataset reference row of the partitions in `keys`, document by document, in the layout `writeRow` writes. */
function* layoutReferenceChunks(
  index: DatasetIndex,
  keys: KeyMask,
  counter: RowCounter,
  distinctPairs: boolean,
  writeRow: ReferenceRowWriter,
): Generator<Buffer> {
  const writer = new BinaryCopyWriter();
  const { documents } = index.shape;
  const documentKeys = index.documentPartitionKeys;
  for (let i = 1; i <= documents; i++) {
    const key = documentKeys[i];
    if (!keys[key]) continue;
    const count = index.referenceCounts[i];
    const firstId = index.firstReferenceRow[i] + 1;
    const skipped = skippedRows(index, i, distinctPairs);
    for (let k = 0, s = 0; k < count; k++) {
      if (k === skipped[s]) {
        s++;
        continue;
      }
      writeRow(writer, index, firstId + k, i, key, referencedAliasId(i, k, documents));
    }
    counter.rows += count - skipped.length;
    yield* writer.take();
  }
  writer.finish();
  yield* writer.take();
}

const ALIAS_ID_REFERENCE_ROW_BYTES = 2 + 4 * FIELD_BYTES.int64 + 3 * FIELD_BYTES.int16;
