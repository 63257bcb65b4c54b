import { digestFromSums, type ReferenceSetDigest } from './reference-set-digest.ts';

/**
 * A row of sql/integrity/reference-set-sums.sql or sql/restore/held-reference-sums.sql: the
 * reference set a document holds, as the parts of its digest (shared/workload/reference-set-digest.ts),
 * bigint columns as text. The integrity check, restore and --verify-writes all read what documents
 * hold this way.
 */
export interface ReferenceSetSumsRow extends Record<string, unknown> {
  document_id: string;
  row_count: string;
  word0: string;
  word1: string;
  word2: string;
  word3: string;
}

/** The row's document id and the digest of the set it holds. */
export function heldDigest(row: ReferenceSetSumsRow): [documentId: number, digest: ReferenceSetDigest] {
  return [
    Number(row.document_id),
    digestFromSums(Number(row.row_count), [Number(row.word0), Number(row.word1), Number(row.word2), Number(row.word3)]),
  ];
}
