import { RESOURCE_NAMES, md5hex, referencedAliasId, repeatedReferenceNumbers, type DatasetIndex } from '../../shared/dataset.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';

/**
 * The reference generator's CSV files, as a stream of Buffers (docs/architecture.md#dataset):
 * header row, comma separated, a field quoted only when it holds a comma, a quote or a line break,
 * lines ending CRLF. On --schema alias-id, reference.csv has that layout's columns and leaves out the
 * rows repeating a (parent, alias) pair, as load does there.
 */

const CHUNK_BYTES = 1 << 20;

export const DOCUMENT_CSV_HEADER = [
  'DocumentPartitionKey',
  'DocumentUuid',
  'ResourceName',
  'ResourceVersion',
  'IsDescriptor',
  'ProjectName',
  'EdfiDoc',
  'SecurityElements',
  'LastModifiedTraceId',
];
export const ALIAS_CSV_HEADER = ['ReferentialPartitionKey', 'ReferentialId', 'DocumentId', 'DocumentPartitionKey'];
export const REFERENCE_CSV_HEADER = [
  'ParentDocumentId',
  'ParentDocumentPartitionKey',
  'ReferencedDocumentId',
  'ReferencedDocumentPartitionKey',
  'ReferentialId',
  'ReferentialPartitionKey',
];

/** reference.csv of --schema alias-id: the layout's columns (AliasId instead of ReferentialId), in table order. */
export const REFERENCE_CSV_HEADER_ALIAS_ID = [
  'ParentDocumentId',
  'ParentDocumentPartitionKey',
  'ReferentialPartitionKey',
  'AliasId',
  'ReferencedDocumentPartitionKey',
  'ReferencedDocumentId',
];

export function csvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/** The JSON document body of document i (compact, keys in the reference order). */
export function edfiDocJson(documentId: number, documentUuid: string): string {
  return JSON.stringify({
    id: documentUuid,
    studentUniqueId: `STU${documentId}`,
    firstName: `FirstName${documentId}`,
    lastSurname: `LastName${documentId}`,
    birthDate: '2010-01-01',
    _etag: md5hex(`etag:${documentId}`),
  });
}

export function securityElementsJson(documentId: number): string {
  return JSON.stringify({
    Namespace: ['uri://ed-fi.org'],
    EducationOrganization: { Id: String(documentId % 100) },
  });
}

export function resourceNameOf(documentId: number): string {
  return RESOURCE_NAMES[(documentId - 1) % RESOURCE_NAMES.length];
}

export function traceIdOf(documentId: number): string {
  return `perf-test-${documentId}`;
}

/** Accumulates latin1/utf8 text into fixed Buffers and hands out full chunks. */
class ChunkWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  /** Returns a full chunk when the text did not fit; the text is then in the next chunk. */
  write(text: string): Buffer | undefined {
    const needed = Buffer.byteLength(text);
    let full: Buffer | undefined;
    if (this.used + needed > this.buffer.length) {
      full = this.take();
      if (needed > this.buffer.length) this.buffer = Buffer.allocUnsafe(needed);
    }
    this.used += this.buffer.write(text, this.used);
    return full;
  }

  take(): Buffer {
    const full = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.buffer.length));
    this.used = 0;
    return full;
  }

  get pending(): number {
    return this.used;
  }
}

function* linesToChunks(lines: Iterable<string>): Generator<Buffer> {
  const writer = new ChunkWriter();
  for (const line of lines) {
    const full = writer.write(line);
    if (full) yield full;
  }
  if (writer.pending > 0) yield writer.take();
}

function row(fields: readonly (string | number)[]): string {
  return fields.map((f) => csvField(String(f))).join(',') + '\r\n';
}

function* documentLines(index: DatasetIndex): Generator<string> {
  yield row(DOCUMENT_CSV_HEADER);
  for (let i = 1; i <= index.shape.documents; i++) {
    const uuid = index.documentUuid(i);
    yield row([
      index.documentPartitionKeys[i],
      uuid,
      resourceNameOf(i),
      '5.0.0',
      'false',
      'ed-fi',
      edfiDocJson(i, uuid),
      securityElementsJson(i),
      traceIdOf(i),
    ]);
  }
}

function* aliasLines(index: DatasetIndex): Generator<string> {
  yield row(ALIAS_CSV_HEADER);
  for (let i = 1; i <= index.shape.documents; i++) {
    yield `${index.referentialPartitionKeys[i]},${index.referentialId(i)},${i},${index.documentPartitionKeys[i]}\r\n`;
  }
}

function* referenceLines(index: DatasetIndex): Generator<string> {
  yield row(REFERENCE_CSV_HEADER);
  const { documents } = index.shape;
  const referentialIds = Array.from({ length: documents + 1 }, (_, a) => (a === 0 ? '' : index.referentialId(a)));
  for (let i = 1; i <= documents; i++) {
    const count = index.referenceCounts[i];
    const prefix = `${i},${index.documentPartitionKeys[i]},`;
    for (let k = 0; k < count; k++) {
      const a = referencedAliasId(i, k, documents);
      yield `${prefix}${a},${index.documentPartitionKeys[a]},${referentialIds[a]},${index.referentialPartitionKeys[a]}\r\n`;
    }
  }
}

function* aliasIdReferenceLines(index: DatasetIndex): Generator<string> {
  yield row(REFERENCE_CSV_HEADER_ALIAS_ID);
  const { documents } = index.shape;
  for (let i = 1; i <= documents; i++) {
    const count = index.referenceCounts[i];
    const skipped = repeatedReferenceNumbers(i, count, documents);
    const prefix = `${i},${index.documentPartitionKeys[i]},`;
    for (let k = 0, s = 0; k < count; k++) {
      if (k === skipped[s]) {
        s++;
        continue;
      }
      const a = referencedAliasId(i, k, documents);
      yield `${prefix}${index.referentialPartitionKeys[a]},${a},${index.documentPartitionKeys[a]},${a}\r\n`;
    }
  }
}

export type DatasetFile = 'document.csv' | 'alias.csv' | 'reference.csv';
export const DATASET_FILES: readonly DatasetFile[] = ['document.csv', 'alias.csv', 'reference.csv'];

export function datasetCsvChunks(file: DatasetFile, index: DatasetIndex, schema: SchemaLayout = 'referential-id'): Generator<Buffer> {
  switch (file) {
    case 'document.csv':
      return linesToChunks(documentLines(index));
    case 'alias.csv':
      return linesToChunks(aliasLines(index));
    case 'reference.csv':
      return linesToChunks(schema === 'alias-id' ? aliasIdReferenceLines(index) : referenceLines(index));
  }
}
