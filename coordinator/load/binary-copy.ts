/**
 * PostgreSQL's binary COPY format, written straight into Buffers (no per-row strings, so no garbage
 * to collect): a signature header, then per row an int16 field count and per field an int32 length
 * followed by the value in network byte order, then an int16 -1 trailer.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]); // flags 0, header extension length 0
const TRAILER = Buffer.from([0xff, 0xff]);

export const COPY_CHUNK_BYTES = 1 << 20;
const TWO_POW_32 = 2 ** 32;
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * Appends rows to fixed-size chunks. Callers reserve room for a row with `row(fieldCount, maxBytes)`,
 * write its fields, and collect full chunks from `take()`; `finish()` writes the trailer.
 */
export class BinaryCopyWriter {
  private buffer: Buffer;
  private offset = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly chunkBytes = COPY_CHUNK_BYTES) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    this.raw(HEADER);
  }

  /** Starts a row of `fieldCount` fields taking at most `maxBytes` in all (count included). */
  row(fieldCount: number, maxBytes: number): this {
    this.reserve(maxBytes);
    this.offset = this.buffer.writeInt16BE(fieldCount, this.offset);
    return this;
  }

  int16(value: number): this {
    this.offset = this.buffer.writeInt16BE(value, this.buffer.writeInt32BE(2, this.offset));
    return this;
  }

  int32(value: number): this {
    this.offset = this.buffer.writeInt32BE(value, this.buffer.writeInt32BE(4, this.offset));
    return this;
  }

  /** A bigint column from a safe integer (ids, counts). */
  int64(value: number): this {
    this.offset = writeInt64(this.buffer, value, this.buffer.writeInt32BE(8, this.offset));
    return this;
  }

  boolean(value: boolean): this {
    this.offset = this.buffer.writeUInt8(value ? 1 : 0, this.buffer.writeInt32BE(1, this.offset));
    return this;
  }

  /** A uuid column from 16 bytes of `bytes` starting at `start`. */
  uuid(bytes: Uint8Array, start: number): this {
    const o = this.buffer.writeInt32BE(16, this.offset);
    this.buffer.set(bytes.subarray(start, start + 16), o);
    this.offset = o + 16;
    return this;
  }

  /** text, varchar: UTF-8 bytes. */
  text(value: string): this {
    const start = this.offset + 4;
    const length = this.buffer.write(value, start, 'utf8');
    this.buffer.writeInt32BE(length, this.offset);
    this.offset = start + length;
    return this;
  }

  /** jsonb: a version byte (1) and the JSON text. */
  jsonb(json: string): this {
    const start = this.offset + 5;
    const length = this.buffer.write(json, start, 'utf8');
    this.buffer.writeInt32BE(length + 1, this.offset);
    this.buffer.writeUInt8(1, this.offset + 4);
    this.offset = start + length;
    return this;
  }

  /** timestamp (without time zone): microseconds since 2000-01-01. */
  timestamp(date: Date): this {
    return this.int64((date.getTime() - POSTGRES_EPOCH_MS) * 1000);
  }

  null(): this {
    this.offset = this.buffer.writeInt32BE(-1, this.offset);
    return this;
  }

  /** Writes the trailer; `take()` then returns the last chunks. */
  finish(): void {
    this.raw(TRAILER);
    this.flush();
  }

  /** The chunks completed so far (each handed out once). */
  take(): Buffer[] {
    return this.full.splice(0, this.full.length);
  }

  /** Bytes written into the current, not yet complete chunk. */
  get pendingBytes(): number {
    return this.offset;
  }

  private raw(bytes: Buffer): void {
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.offset);
    this.offset += bytes.length;
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(bytes, this.chunkBytes));
  }

  private flush(): void {
    if (this.offset === 0) return;
    this.full.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.offset = 0;
  }
}

/** Writes a safe non-negative or negative integer as a big-endian int64; returns the next offset. */
export function writeInt64(buffer: Buffer, value: number, offset: number): number {
  const high = Math.floor(value / TWO_POW_32);
  const low = value - high * TWO_POW_32;
  buffer.writeInt32BE(high, offset);
  buffer.writeUInt32BE(low, offset + 4);
  return offset + 8;
}

/** Field sizes in the binary format (length word included), for row size bounds. */
export const FIELD_BYTES = { int16: 6, int32: 8, int64: 12, boolean: 5, uuid: 20, null: 4 } as const;

/** An upper bound of a text or jsonb field's size: UTF-8 takes at most 3 bytes per UTF-16 unit. */
export function textFieldBytes(value: string): number {
  return 5 + 3 * value.length;
}
