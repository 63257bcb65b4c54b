import { referencedAliasId, repeatedReferenceNumbers, type DatasetIndex, type ReferenceSetOptions } from '../../shared/dataset.ts';
import { BinaryCopyWriter, FIELD_BYTES } from '../load/binary-copy.ts';

/**
 * The dataset reference rows of some documents as a binary COPY stream into restore's staging table
 * (sql/restore/create-staging.sql), generated straight into Buffers as load generates the Reference
 * partitions (coordinator/load/load-rows.ts). Each row carries the Id a load gives it, so the
 * INSERT … SELECT can insert in load order; the referenced document is resolved through Alias there.
 */

/** The staging table's columns, in the order the rows carry them. */
export const STAGING_COLUMNS = ['DatasetRowId', 'ParentDocumentId', 'ParentDocumentPartitionKey', 'ReferentialId', 'ReferentialPartitionKey'] as const;

const ROW_BYTES = 2 + 2 * FIELD_BYTES.int64 + 2 * FIELD_BYTES.int16 + FIELD_BYTES.uuid;
const NONE: readonly number[] = [];

export function* stagingChunks(index: DatasetIndex, documentIds: readonly number[], referenceSets: ReferenceSetOptions = {}): Generator<Buffer> {
  const writer = new BinaryCopyWriter();
  const { documents } = index.shape;
  for (const id of documentIds) {
    const key = index.documentPartitionKeys[id];
    const count = index.referenceCounts[id];
    const firstRowId = index.firstReferenceRow[id] + 1;
    const skipped = referenceSets.distinctPairs ? repeatedReferenceNumbers(id, count, documents) : NONE;
    for (let k = 0, s = 0; k < count; k++) {
      if (k === skipped[s]) {
        s++;
        continue;
      }
      const alias = referencedAliasId(id, k, documents);
      writer
        .row(STAGING_COLUMNS.length, ROW_BYTES)
        .int64(firstRowId + k)
        .int64(id)
        .int16(key)
        .uuid(index.referentialIds, 16 * alias)
        .int16(index.referentialPartitionKeys[alias]);
    }
    yield* writer.take();
  }
  writer.finish();
  yield* writer.take();
}
