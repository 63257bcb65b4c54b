import { md5uuid, partitionKeyOf } from '../dataset.ts';
import type { Operation } from './operation.ts';

/**
 * --unknown-ratio: a rewrite whose first document also references a referential id that no Alias
 * has. DMS validates references and clients send unresolvable ones; the strategy reports the id and
 * writes nothing, and the operation counts as rejected, not failed.
 */

/** md5 of a text no dataset row uses (aliases are md5uuid("alias:i")), so never an Alias. */
export const UNKNOWN_REFERENTIAL_ID = md5uuid('refswarm:unknown-referential-id');

export function unknownReferentialPartitionKey(partitions: number): number {
  return partitionKeyOf(UNKNOWN_REFERENTIAL_ID, partitions);
}

type Rewrite = Extract<Operation, { kind: 'rewrite' }>;

export function withUnknownReference(operation: Rewrite): Rewrite {
  const [first, ...rest] = operation.documents;
  return { kind: 'rewrite', documents: [{ ...first, unknownReference: true }, ...rest] };
}

/** Whether the operation carries an unknown referential id. */
export function carriesUnknownReference(operation: Operation): boolean {
  return operation.kind === 'rewrite' && operation.documents.some((d) => d.unknownReference === true);
}
