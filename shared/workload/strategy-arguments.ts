import type { DatasetIndex } from '../dataset.ts';
import type { DocumentRewrite } from './operation.ts';

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
  const parentIds: string[] = [];
  const parentKeys: string[] = [];
  const referentialIds: string[] = [];
  const referentialKeys: number[] = [];
  for (const { documentId, aliasIds } of documents) {
    const id = String(documentId);
    const key = String(index.documentPartitionKeys[documentId]);
    for (const aliasId of aliasIds) {
      parentIds.push(id);
      parentKeys.push(key);
      referentialIds.push(texts[aliasId] ??= index.referentialId(aliasId));
      referentialKeys.push(index.referentialPartitionKeys[aliasId]);
    }
  }
  return {
    parentDocumentIds: arrayLiteral(parentIds),
    parentDocumentPartitionKeys: arrayLiteral(parentKeys),
    referentialIds: arrayLiteral(referentialIds),
    referentialPartitionKeys: arrayLiteral(referentialKeys),
    documentIds: arrayLiteral(documents.map((d) => d.documentId)),
    documentPartitionKeys: arrayLiteral(documents.map((d) => index.documentPartitionKeys[d.documentId])),
  };
}

function arrayLiteral(items: readonly (string | number)[]): string {
  return `{${items.join(',')}}`;
}

/** Referential id texts per alias id, filled lazily (a session revisits the same aliases). */
const textCache = new WeakMap<DatasetIndex, (string | undefined)[]>();

function referentialIdTexts(index: DatasetIndex): (string | undefined)[] {
  let texts = textCache.get(index);
  if (!texts) {
    texts = new Array<string | undefined>(index.shape.documents + 1);
    textCache.set(index, texts);
  }
  return texts;
}
