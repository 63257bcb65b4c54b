import type { DatasetIndex } from '../dataset.ts';
import type { DocumentRewrite } from './operation.ts';
import { UNKNOWN_REFERENTIAL_ID, unknownReferentialPartitionKey } from './unknown-reference.ts';

/**
 * The parameters of a strategy call and of the dms shape's lock/update statements, as PostgreSQL
 * array literals ("{1,2,3}"): built straight from the dataset index, without re-hashing, and passed
 * to node-postgres as plain strings (no per-element serialization on its side).
 */
export interface StrategyArguments {
  /** Parallel, one element per reference row: the strategy function's four arrays. */
  readonly parentDocumentIds: string;
  readonly parentDocumentPartitionKeys: string;
  readonly referentialIds: string;
  readonly referentialPartitionKeys: string;
  /** Parallel, one element per document rewritten: for the lock and update of the dms shape. */
  readonly documentIds: string;
  readonly documentPartitionKeys: string;
}

export function strategyArguments(index: DatasetIndex, documents: readonly DocumentRewrite[]): StrategyArguments {
  const texts = referentialIdTexts(index);
  let parentIds = '';
  let parentKeys = '';
  let referentialIds = '';
  let referentialKeys = '';
  let documentIds = '';
  let documentKeys = '';
  for (const { documentId, aliasIds, unknownReference } of documents) {
    const key = index.documentPartitionKeys[documentId];
    documentIds += `,${documentId}`;
    documentKeys += `,${key}`;
    for (const aliasId of aliasIds) {
      let text = texts[aliasId];
      if (text === '') text = texts[aliasId] = index.referentialId(aliasId);
      parentIds += `,${documentId}`;
      parentKeys += `,${key}`;
      referentialIds += `,${text}`;
      referentialKeys += `,${index.referentialPartitionKeys[aliasId]}`;
    }
    if (unknownReference) {
      parentIds += `,${documentId}`;
      parentKeys += `,${key}`;
      referentialIds += `,${UNKNOWN_REFERENTIAL_ID}`;
      referentialKeys += `,${unknownReferentialPartitionKey(index.shape.partitions)}`;
    }
  }
  return {
    parentDocumentIds: arrayLiteral(parentIds),
    parentDocumentPartitionKeys: arrayLiteral(parentKeys),
    referentialIds: arrayLiteral(referentialIds),
    referentialPartitionKeys: arrayLiteral(referentialKeys),
    documentIds: arrayLiteral(documentIds),
    documentPartitionKeys: arrayLiteral(documentKeys),
  };
}

/** One parent's arguments of the upsert strategy (dms.InsertReferences of --schema alias-id: one parent per call). */
export interface ParentArguments {
  readonly parentDocumentId: number;
  readonly parentDocumentPartitionKey: number;
  readonly referentialIds: string;
  readonly referentialPartitionKeys: string;
}

/** One element per document, in the operation's order. */
export function parentArguments(index: DatasetIndex, documents: readonly DocumentRewrite[]): ParentArguments[] {
  const texts = referentialIdTexts(index);
  return documents.map(({ documentId, aliasIds, unknownReference }) => {
    let referentialIds = '';
    let referentialKeys = '';
    for (const aliasId of aliasIds) {
      let text = texts[aliasId];
      if (text === '') text = texts[aliasId] = index.referentialId(aliasId);
      referentialIds += `,${text}`;
      referentialKeys += `,${index.referentialPartitionKeys[aliasId]}`;
    }
    if (unknownReference) {
      referentialIds += `,${UNKNOWN_REFERENTIAL_ID}`;
      referentialKeys += `,${unknownReferentialPartitionKey(index.shape.partitions)}`;
    }
    return {
      parentDocumentId: documentId,
      parentDocumentPartitionKey: index.documentPartitionKeys[documentId],
      referentialIds: arrayLiteral(referentialIds),
      referentialPartitionKeys: arrayLiteral(referentialKeys),
    };
  });
}

/** "{a,b}" from ",a,b" (string concatenation: no per-element arrays on the hot path). */
function arrayLiteral(items: string): string {
  return `{${items.slice(1)}}`;
}

/**
 * Referential id texts per alias id, filled lazily (a session revisits the same aliases). Filled
 * with '' rather than left holey: a holey array this large falls back to slow dictionary elements.
 */
const textCache = new WeakMap<DatasetIndex, string[]>();

function referentialIdTexts(index: DatasetIndex): string[] {
  let texts = textCache.get(index);
  if (!texts) {
    texts = new Array<string>(index.shape.documents + 1).fill('');
    textCache.set(index, texts);
  }
  return texts;
}
