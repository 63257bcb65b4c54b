/**
 * An operation is one unit a session executes and times. Operations are pure data generated from
 * the session's seeded stream (shared/workload/*), executed by worker/operation-executor.ts.
 */

/** One document's new reference set: alias ids from the dataset (alias a points at document a). */
export interface DocumentRewrite {
  readonly documentId: number;
  readonly aliasIds: readonly number[];
  /**
   * The document also references one referential id that no Alias has (--unknown-ratio): the
   * strategy reports it and writes nothing, as DMS refuses a write with an unresolved reference.
   */
  readonly unknownReference?: true;
}

export type Operation =
  | { readonly kind: 'noop'; readonly sleepMs: number }
  /** Nothing at all (the idle scenario): paced and recorded, but no database is involved. */
  | { readonly kind: 'idle' }
  /** One strategy call rewriting the references of one or more documents. */
  | { readonly kind: 'rewrite'; readonly documents: readonly DocumentRewrite[] }
  /** Reverse lookup: who references this document (across partitions). */
  | { readonly kind: 'read-referencing'; readonly documentId: number }
  /** Forward read: the references of this parent document. */
  | { readonly kind: 'read-references'; readonly documentId: number };

export type OperationKind = Operation['kind'];
