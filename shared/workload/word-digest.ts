import { createHash } from 'node:crypto';

/**
 * A running sha256 over a sequence of 32-bit words (platform byte order, as hashing a Uint32Array
 * gives), fed to the hash a buffer at a time: one hash update per operation cost more than drawing a
 * noop operation and its digest together (README Decisions, "Per-operation cost"). sha256 is a
 * stream, so the digest is the same however the words are cut into updates.
 */

const BUFFER_WORDS = 4096;

export class WordDigest {
  private readonly hash = createHash('sha256');
  private readonly buffer = new Uint32Array(BUFFER_WORDS);
  private length = 0;

  /** Room for `count` more words in the buffer (flushing it if needed); false when they do not fit in an empty one. */
  private reserve(count: number): boolean {
    if (this.length + count > BUFFER_WORDS) this.flush();
    return count <= BUFFER_WORDS;
  }

  add1(a: number): void {
    this.reserve(1);
    this.buffer[this.length++] = a;
  }

  add2(a: number, b: number): void {
    this.reserve(2);
    this.buffer[this.length++] = a;
    this.buffer[this.length++] = b;
  }

  addWords(words: Uint32Array): void {
    if (!this.reserve(words.length)) {
      this.hash.update(words);
      return;
    }
    this.buffer.set(words, this.length);
    this.length += words.length;
  }

  /** Hex digest of every word added so far; more can be added afterwards. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  private flush(): void {
    if (this.length === 0) return;
    this.hash.update(this.buffer.subarray(0, this.length));
    this.length = 0;
  }
}
