import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { OPTION_RANGES, rangeSchema } from './option-ranges.ts';
import type { Contract } from './protocol/contract-schema.ts';

/** The four parameters every dataset row is a function of (docs/architecture.md#dataset). */
export const DatasetShapeSchema = Type.Object({
  documents: rangeSchema(OPTION_RANGES.documents),
  references: rangeSchema(OPTION_RANGES.references),
  avgRefsPerDoc: rangeSchema(OPTION_RANGES['avg-refs-per-doc']),
  partitions: rangeSchema(OPTION_RANGES.partitions),
});
export type DatasetShape = Contract<typeof DatasetShapeSchema>;

export const DEFAULT_DATASET: DatasetShape = {
  documents: 100_000,
  references: 20_000_000,
  avgRefsPerDoc: 200,
  partitions: 16,
};

export const RESOURCE_NAMES = [
  'students',
  'studentSchoolAssociations',
  'schools',
  'courses',
  'sections',
  'studentSectionAssociations',
  'staff',
  'staffSchoolAssociations',
  'grades',
  'assessments',
] as const;

export const STRIDE_MULTIPLIER = 8191;

export function md5hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** md5 of the string as a uuid: 8-4-4-4-12 lowercase hex. */
export function md5uuid(text: string): string {
  const hex = md5hex(text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The partition key of a uuid: its last byte modulo P. */
export function partitionKeyOf(uuid: string, partitions: number): number {
  return Number.parseInt(uuid.slice(-2), 16) % partitions;
}

export function documentUuidText(documentId: number): string {
  return md5uuid(`doc:${documentId}`);
}

export function referentialIdText(aliasId: number): string {
  return md5uuid(`alias:${aliasId}`);
}

export function documentWeight(documentId: number, avgRefsPerDoc: number): number {
  const index = documentId - 1;
  if (index % 20 === 0) return 10 * avgRefsPerDoc;
  if (index % 5 === 0) return 3 * avgRefsPerDoc;
  return avgRefsPerDoc;
}

export function strideSeed(documentId: number): number {
  return (documentId - 1) * STRIDE_MULTIPLIER;
}

/**
 * References per document: ceil(R·w/W) in double arithmetic, walking documents in order and
 * stopping the whole dataset at exactly R rows. Index 0 is unused so that counts[i] is document i.
 */
export function referenceCounts(shape: DatasetShape): Uint32Array {
  const { documents, references, avgRefsPerDoc } = shape;
  let totalWeight = 0;
  for (let i = 1; i <= documents; i++) totalWeight += documentWeight(i, avgRefsPerDoc);
  const counts = new Uint32Array(documents + 1);
  let remaining = references;
  for (let i = 1; i <= documents && remaining > 0; i++) {
    const wanted = Math.ceil((references * documentWeight(i, avgRefsPerDoc)) / totalWeight);
    counts[i] = Math.min(wanted, remaining);
    remaining -= counts[i];
  }
  return counts;
}

/** The alias (= document) id that reference number k of document i points at. */
export function referencedAliasId(documentId: number, k: number, documents: number): number {
  let target = (strideSeed(documentId) + k) % documents;
  if (target === documentId - 1) target = (target + 1) % documents;
  return target + 1;
}

/**
 * Reference numbers k of document i whose (parent, alias) pair an earlier reference of i already
 * has, ascending: the rows a `--distinct-pairs` load skips. A document with fewer references than
 * there are documents points at consecutive aliases except that its self-reference is bumped to
 * the next alias, which the following reference then repeats; with more it wraps around and is
 * checked row by row.
 */
export function repeatedReferenceNumbers(documentId: number, count: number, documents: number): number[] {
  if (count < documents) {
    const selfOffset = (documentId - 1 - (strideSeed(documentId) % documents) + documents) % documents;
    return selfOffset + 1 < count ? [selfOffset + 1] : [];
  }
  const seen = new Uint8Array(documents + 1);
  const repeated: number[] = [];
  for (let k = 0; k < count; k++) {
    const alias = referencedAliasId(documentId, k, documents);
    if (seen[alias]) repeated.push(k);
    else seen[alias] = 1;
  }
  return repeated;
}

/** How a document's dataset reference set is read: every row, or each (parent, alias) pair once (`load --distinct-pairs`). */
export interface ReferenceSetOptions {
  readonly distinctPairs?: boolean;
}

/**
 * Everything about a dataset that is cheap to hold in memory (O(D)): uuids, partition keys,
 * reference counts and where each document's references start. Built once per shape and reused
 * by export, load, workers, restore and the integrity check.
 */
export class DatasetIndex {
  readonly shape: DatasetShape;
  readonly documentUuids: Uint8Array;
  readonly documentPartitionKeys: Uint16Array;
  readonly referentialIds: Uint8Array;
  readonly referentialPartitionKeys: Uint16Array;
  readonly referenceCounts: Uint32Array;
  /** firstReferenceRow[i]: 0-based row number of document i's first reference in reference.csv. */
  readonly firstReferenceRow: Float64Array;

  constructor(shape: DatasetShape) {
    this.shape = shape;
    const n = shape.documents;
    this.documentUuids = new Uint8Array(16 * (n + 1));
    this.referentialIds = new Uint8Array(16 * (n + 1));
    this.documentPartitionKeys = new Uint16Array(n + 1);
    this.referentialPartitionKeys = new Uint16Array(n + 1);
    for (let i = 1; i <= n; i++) {
      const doc = createHash('md5').update(`doc:${i}`).digest();
      const alias = createHash('md5').update(`alias:${i}`).digest();
      this.documentUuids.set(doc, 16 * i);
      this.referentialIds.set(alias, 16 * i);
      this.documentPartitionKeys[i] = doc[15] % shape.partitions;
      this.referentialPartitionKeys[i] = alias[15] % shape.partitions;
    }
    this.referenceCounts = referenceCounts(shape);
    this.firstReferenceRow = new Float64Array(n + 2);
    for (let i = 1; i <= n; i++) {
      this.firstReferenceRow[i + 1] = this.firstReferenceRow[i] + this.referenceCounts[i];
    }
  }

  documentUuid(documentId: number): string {
    return uuidText(this.documentUuids, documentId);
  }

  referentialId(aliasId: number): string {
    return uuidText(this.referentialIds, aliasId);
  }

  /**
   * The alias ids document i references in the dataset, in reference.csv order; with
   * `distinctPairs`, without the rows repeating an earlier one's alias (what `load --distinct-pairs` loads).
   */
  datasetReferences(documentId: number, options: ReferenceSetOptions = {}): number[] {
    const count = this.referenceCounts[documentId];
    const { documents } = this.shape;
    if (!options.distinctPairs) {
      const targets = new Array<number>(count);
      for (let k = 0; k < count; k++) targets[k] = referencedAliasId(documentId, k, documents);
      return targets;
    }
    const repeated = repeatedReferenceNumbers(documentId, count, documents);
    const targets: number[] = [];
    for (let k = 0, r = 0; k < count; k++) {
      if (k === repeated[r]) r++;
      else targets.push(referencedAliasId(documentId, k, documents));
    }
    return targets;
  }
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function uuidText(bytes: Uint8Array, id: number): string {
  const o = 16 * id;
  let s = '';
  for (let j = 0; j < 16; j++) {
    if (j === 4 || j === 6 || j === 8 || j === 10) s += '-';
    s += HEX[bytes[o + j]];
  }
  return s;
}

/** Process-wide cache: workers and commands build each shape's index once. */
const indexes = new Map<string, DatasetIndex>();

export function datasetIndex(shape: DatasetShape): DatasetIndex {
  const key = `${shape.documents}/${shape.references}/${shape.avgRefsPerDoc}/${shape.partitions}`;
  let index = indexes.get(key);
  if (!index) {
    index = new DatasetIndex(shape);
    indexes.set(key, index);
  }
  return index;
}

export function sameShape(a: DatasetShape, b: DatasetShape): boolean {
  return (
    a.documents === b.documents &&
    a.references === b.references &&
    a.avgRefsPerDoc === b.avgRefsPerDoc &&
    a.partitions === b.partitions
  );
}
