import type { DatasetIndex } from '../dataset.ts';

/**
 * The digest of a document's reference set as the database holds it: the multiset of its
 * referential ids — order-independent, duplicates counted. Workers digest the sets they commit,
 * the integrity check digests what the Reference rows hold (sql/integrity/reference-set-sums.sql
 * computes the same sums server-side), and the two are compared as strings.
 *
 * It is an additive multiset hash: the row count, and the sum modulo 2³² of each of the four
 * big-endian 32-bit words of the 16-byte referential ids. Referential ids are md5 outputs
 * (docs/architecture.md#dataset), so the words are uniformly distributed and two different sets
 * collide with probability about 2⁻¹²⁸. Being additive, digest(A ⊎ B) = combine(digest(A),
 * digest(B)), which lets the check name a violation "the union of two committed sets" (the
 * DELETE-then-INSERT race).
 *
 * Format: `<count>:<word0><word1><word2><word3>`, words as 8 lowercase hex digits.
 */

export type ReferenceSetDigest = string;

const WORDS = 4;
const MODULUS = 0x1_0000_0000;

/** Digest of a set given as alias ids, read from the dataset index's bytes (no hashing, no strings). */
export function aliasSetDigest(index: DatasetIndex, aliasIds: readonly number[]): ReferenceSetDigest {
  const bytes = index.referentialIds;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  for (const aliasId of aliasIds) {
    const o = 16 * aliasId;
    w0 = (w0 + word(bytes, o)) % MODULUS;
    w1 = (w1 + word(bytes, o + 4)) % MODULUS;
    w2 = (w2 + word(bytes, o + 8)) % MODULUS;
    w3 = (w3 + word(bytes, o + 12)) % MODULUS;
  }
  return format(aliasIds.length, [w0, w1, w2, w3]);
}

/** Digest of a set given as referential id texts (any case, with or without hyphens). */
export function referentialIdSetDigest(referentialIds: Iterable<string>): ReferenceSetDigest {
  const sums = [0, 0, 0, 0];
  let count = 0;
  for (const text of referentialIds) {
    const hex = text.replaceAll('-', '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`"${text}" is not a uuid`);
    for (let w = 0; w < WORDS; w++) sums[w] = (sums[w] + Number.parseInt(hex.slice(8 * w, 8 * w + 8), 16)) % MODULUS;
    count++;
  }
  return format(count, sums);
}

/** Digest from a row count and the four word sums (already reduced modulo 2³² or not). */
export function digestFromSums(count: number, sums: readonly number[]): ReferenceSetDigest {
  if (sums.length !== WORDS) throw new Error(`a reference set digest has ${WORDS} word sums, not ${sums.length}`);
  return format(count, sums.map((s) => ((s % MODULUS) + MODULUS) % MODULUS));
}

/** The digest of the multiset union A ⊎ B. */
export function combineDigests(a: ReferenceSetDigest, b: ReferenceSetDigest): ReferenceSetDigest {
  const x = parse(a);
  const y = parse(b);
  return format(
    x.count + y.count,
    x.sums.map((s, w) => (s + y.sums[w]) % MODULUS),
  );
}

/** The digest of A minus B when B is a sub-multiset of A; undefined when B holds more references than A. */
export function subtractDigests(a: ReferenceSetDigest, b: ReferenceSetDigest): ReferenceSetDigest | undefined {
  const x = parse(a);
  const y = parse(b);
  if (y.count > x.count) return undefined;
  return format(
    x.count - y.count,
    x.sums.map((s, w) => (s - y.sums[w] + MODULUS) % MODULUS),
  );
}

/** The number of references in the set a digest stands for. */
export function digestCount(digest: ReferenceSetDigest): number {
  return parse(digest).count;
}

function word(bytes: Uint8Array, o: number): number {
  return ((bytes[o] << 24) >>> 0) + (bytes[o + 1] << 16) + (bytes[o + 2] << 8) + bytes[o + 3];
}

function format(count: number, sums: readonly number[]): ReferenceSetDigest {
  let s = `${count}:`;
  for (const sum of sums) s += sum.toString(16).padStart(8, '0');
  return s;
}

function parse(digest: ReferenceSetDigest): { count: number; sums: number[] } {
  const match = /^(\d+):([0-9a-f]{32})$/.exec(digest);
  if (!match) throw new Error(`"${digest}" is not a reference set digest`);
  const hex = match[2];
  return {
    count: Number(match[1]),
    sums: [0, 1, 2, 3].map((w) => Number.parseInt(hex.slice(8 * w, 8 * w + 8), 16)),
  };
}
