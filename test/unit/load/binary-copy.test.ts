import test from 'ava';
import { BinaryCopyWriter, writeInt64 } from '../../../coordinator/load/binary-copy.ts';
import { decodeBinaryCopy, int16Of, int64Of, jsonbOf, textOf, uuidOf } from './binary-copy-decoder.ts';

function written(writer: BinaryCopyWriter): Buffer {
  writer.finish();
  return Buffer.concat(writer.take());
}

test('an empty stream is the signature, zero flags, no header extension and the trailer', (t) => {
  const bytes = written(new BinaryCopyWriter());
  t.deepEqual(bytes, Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8), Buffer.from([0xff, 0xff])]));
  t.deepEqual(decodeBinaryCopy(bytes), []);
});

test('fields are length-prefixed, in network byte order', (t) => {
  const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const writer = new BinaryCopyWriter();
  writer.row(8, 200).int16(-2).int32(70000).int64(5_000_000_000).boolean(true).uuid(uuid, 0).text('héllo').jsonb('{"a":1}').null();
  const [row] = decodeBinaryCopy(written(writer));
  t.is(row.length, 8);
  t.is(int16Of(row[0]), -2);
  t.is(row[1]!.readInt32BE(0), 70000);
  t.is(int64Of(row[2]), 5_000_000_000);
  t.deepEqual(row[3], Buffer.from([1]));
  t.is(uuidOf(row[4]), '00112233-4455-6677-8899-aabbccddeeff');
  t.is(textOf(row[5]), 'héllo');
  t.is(row[5]!.length, 6, 'UTF-8 byte length, not characters');
  t.is(jsonbOf(row[6]), '{"a":1}');
  t.is(row[7], null);
});

test('a uuid is taken from 16 bytes at an offset of a larger array', (t) => {
  const bytes = new Uint8Array(48);
  bytes.fill(7, 16, 32);
  const writer = new BinaryCopyWriter();
  writer.row(1, 30).uuid(bytes, 16);
  t.is(uuidOf(decodeBinaryCopy(written(writer))[0][0]), '07070707-0707-0707-0707-070707070707');
});

test('writeInt64 handles values above 2^32 and negatives', (t) => {
  const buffer = Buffer.alloc(8);
  for (const value of [0, 1, 2 ** 32, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)]) {
    t.is(writeInt64(buffer, value, 0), 8);
    t.is(buffer.readBigInt64BE(0), BigInt(value));
  }
});

test('timestamps count microseconds from 2000-01-01', (t) => {
  const writer = new BinaryCopyWriter();
  writer.row(1, 20).timestamp(new Date(Date.UTC(2000, 0, 1, 0, 0, 1)));
  t.is(int64Of(decodeBinaryCopy(written(writer))[0][0]), 1_000_000);
});

test('rows never straddle chunks, and the bytes do not depend on the chunk size', (t) => {
  const write = (chunkBytes: number): Buffer[] => {
    const writer = new BinaryCopyWriter(chunkBytes);
    for (let i = 0; i < 1000; i++) writer.row(2, 2 + 12 + 60).int64(i).text(`row ${i}`.repeat(1 + (i % 5)));
    writer.finish();
    return writer.take();
  };
  const small = write(64);
  const large = write(1 << 20);
  t.true(small.length > 100);
  t.is(large.length, 1);
  t.deepEqual(Buffer.concat(small), large[0]);
  for (const chunk of small.slice(1, -1)) {
    t.true(chunk.length <= 64);
  }
  const rows = decodeBinaryCopy(large[0]);
  t.is(rows.length, 1000);
  t.is(int64Of(rows[999][0]), 999);
});

test('a row larger than a chunk gets a chunk of its own', (t) => {
  const writer = new BinaryCopyWriter(32);
  writer.row(1, 2 + 4 + 300).text('x'.repeat(300));
  const rows = decodeBinaryCopy(written(writer));
  t.is(textOf(rows[0][0]).length, 300);
});
