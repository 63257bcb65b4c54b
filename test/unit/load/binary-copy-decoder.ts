/**
 * Test helper: decodes a binary COPY stream into rows of raw field Buffers (null for NULL), checking
 * the signature, the header and the trailer. Independent of coordinator/load/binary-copy.ts on purpose.
 */
export function decodeBinaryCopy(bytes: Buffer): (Buffer | null)[][] {
  const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
  if (!bytes.subarray(0, 11).equals(signature)) throw new Error('bad signature');
  if (bytes.readInt32BE(11) !== 0) throw new Error('bad flags');
  let offset = 15 + 4 + bytes.readInt32BE(15);
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const count = bytes.readInt16BE(offset);
    offset += 2;
    if (count === -1) break;
    const row: (Buffer | null)[] = [];
    for (let f = 0; f < count; f++) {
      const length = bytes.readInt32BE(offset);
      offset += 4;
      if (length === -1) {
        row.push(null);
        continue;
      }
      row.push(bytes.subarray(offset, offset + length));
      offset += length;
    }
    rows.push(row);
  }
  if (offset !== bytes.length) throw new Error(`${bytes.length - offset} bytes after the trailer`);
  return rows;
}

export function int64Of(field: Buffer | null): number {
  if (!field || field.length !== 8) throw new Error('not an int64');
  return Number(field.readBigInt64BE(0));
}

export function int16Of(field: Buffer | null): number {
  if (!field || field.length !== 2) throw new Error('not an int16');
  return field.readInt16BE(0);
}

export function uuidOf(field: Buffer | null): string {
  if (!field || field.length !== 16) throw new Error('not a uuid');
  const hex = field.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function textOf(field: Buffer | null): string {
  if (!field) throw new Error('NULL');
  return field.toString('utf8');
}

export function jsonbOf(field: Buffer | null): string {
  if (!field || field[0] !== 1) throw new Error('not jsonb version 1');
  return field.subarray(1).toString('utf8');
}
