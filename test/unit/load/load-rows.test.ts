import test from 'ava';
import { DatasetIndex, referencedAliasId, type DatasetShape } from '../../../shared/dataset.ts';
import { datasetCsvChunks, type DatasetFile } from '../../../coordinator/load/dataset-csv.ts';
import { duplicatePairCount } from '../../../coordinator/load/load-duplicate-pairs.ts';
import { COPY_COLUMNS, copyChunks, partitionRowCount, type KeyMask } from '../../../coordinator/load/load-rows.ts';
import type { DatasetTable } from '../../../coordinator/database/schema-objects.ts';
import { decodeBinaryCopy, int16Of, int64Of, jsonbOf, textOf, uuidOf } from './binary-copy-decoder.ts';

const SHAPE: DatasetShape = { documents: 100, references: 2000, avgRefsPerDoc: 20, partitions: 16 };

/** Partitions holding several keys each (as hash partitioning does), and one holding none. */
function masks(partitions: number, groups: number): KeyMask[] {
  const result = Array.from({ length: groups }, () => new Uint8Array(partitions));
  for (let key = 0; key < partitions; key++) result[(key * 7) % (groups - 1)][key] = 1;
  return result;
}

/** The CSV rows of `refswarm export` (header dropped), split naively: these files quote only JSON. */
function csvRows(file: DatasetFile, index: DatasetIndex): string[][] {
  const text = Buffer.concat([...datasetCsvChunks(file, index)]).toString('utf8');
  return text.split('\r\n').slice(1, -1).map(splitCsvLine);
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      fields.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

function decodedRows(table: DatasetTable, index: DatasetIndex, partitions: readonly KeyMask[]): (Buffer | null)[][] {
  const rows = partitions.flatMap((keys) => {
    const decoded = decodeBinaryCopy(Buffer.concat([...copyChunks(table, index, keys)]));
    return decoded;
  });
  return rows.sort((a, b) => int64Of(a[0]) - int64Of(b[0]));
}

test('every table: the partitions together hold exactly the export rows, with Id = row number', (t) => {
  const index = new DatasetIndex(SHAPE);
  const partitions = masks(SHAPE.partitions, 5);

  const documents = decodedRows('document', index, partitions);
  const documentCsv = csvRows('document.csv', index);
  t.is(documents.length, documentCsv.length);
  documents.forEach((row, n) => {
    t.is(row.length, COPY_COLUMNS.document.length);
    const csv = documentCsv[n];
    t.is(int64Of(row[0]), n + 1);
    t.deepEqual(
      [String(int16Of(row[1])), uuidOf(row[2]), textOf(row[3]), textOf(row[4]), row[5]![0] ? 'true' : 'false', textOf(row[6]), jsonbOf(row[7]), jsonbOf(row[8]), textOf(row[9])],
      csv,
    );
  });

  const aliases = decodedRows('alias', index, partitions);
  const aliasCsv = csvRows('alias.csv', index);
  t.deepEqual(
    aliases.map((row) => [String(int16Of(row[1])), uuidOf(row[2]), String(int64Of(row[3])), String(int16Of(row[4]))]),
    aliasCsv,
  );
  t.deepEqual(aliases.map((row) => int64Of(row[0])), aliases.map((_, n) => n + 1));

  const references = decodedRows('reference', index, partitions);
  const referenceCsv = csvRows('reference.csv', index);
  t.is(references.length, SHAPE.references);
  t.deepEqual(
    references.map((row) => [int64Of(row[1]), int16Of(row[2]), int64Of(row[3]), int16Of(row[4]), uuidOf(row[5]), int16Of(row[6])].map(String)),
    referenceCsv,
  );
  t.deepEqual(references.map((row) => int64Of(row[0])), references.map((_, n) => n + 1));
});

test('a partition gets only rows whose partition key it holds, as many as partitionRowCount says', (t) => {
  const index = new DatasetIndex({ ...SHAPE, partitions: 4 });
  const partitions = masks(4, 3);
  for (const keys of partitions) {
    for (const [table, keyColumn] of [['document', 1], ['alias', 1], ['reference', 2]] as const) {
      const rows = decodeBinaryCopy(Buffer.concat([...copyChunks(table, index, keys)]));
      t.is(rows.length, partitionRowCount(table, index, keys));
      t.true(rows.every((row) => keys[int16Of(row[keyColumn])] === 1));
    }
  }
});

test('the row counter follows the rows generated', (t) => {
  const index = new DatasetIndex(SHAPE);
  const counter = { rows: 0 };
  const all = new Uint8Array(SHAPE.partitions).fill(1);
  for (const _ of copyChunks('reference', index, all, counter)) void _;
  t.is(counter.rows, SHAPE.references);
});

function bruteForceDuplicates(index: DatasetIndex): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (let i = 1; i <= index.shape.documents; i++) {
    for (let k = 0; k < index.referenceCounts[i]; k++) {
      const pair = `${i}:${referencedAliasId(i, k, index.shape.documents)}`;
      if (seen.has(pair)) duplicates++;
      else seen.add(pair);
    }
  }
  return duplicates;
}

test('duplicate (parent, referential id) pairs: the shortcut agrees with counting row by row', (t) => {
  for (const shape of [
    SHAPE,
    { documents: 1000, references: 50_000, avgRefsPerDoc: 200, partitions: 16 },
    { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 },
    { documents: 5000, references: 60_000, avgRefsPerDoc: 10, partitions: 16 },
    { documents: 3, references: 40, avgRefsPerDoc: 5, partitions: 1 },
    { documents: 50, references: 1, avgRefsPerDoc: 5, partitions: 2 },
  ]) {
    const index = new DatasetIndex(shape);
    t.is(duplicatePairCount(index), bruteForceDuplicates(index), JSON.stringify(shape));
  }
});

test('document 1 always repeats a pair: its self-reference is bumped onto its second target', (t) => {
  const index = new DatasetIndex({ documents: 100_000, references: 1_000_000, avgRefsPerDoc: 200, partitions: 16 });
  t.deepEqual(index.datasetReferences(1).slice(0, 3), [2, 2, 3]);
  t.is(duplicatePairCount(index), 10);
  t.is(duplicatePairCount(new DatasetIndex({ documents: 50, references: 1, avgRefsPerDoc: 5, partitions: 2 })), 0);
});

test('with distinctPairs the reference rows repeating a pair are left out, the others keep their reference.csv Ids', (t) => {
  const index = new DatasetIndex(SHAPE);
  const options = { distinctPairs: true };
  const all = new Uint8Array(SHAPE.partitions).fill(1);
  const rows = decodeBinaryCopy(Buffer.concat([...copyChunks('reference', index, all, { rows: 0 }, options)]));
  t.is(rows.length, SHAPE.references - duplicatePairCount(index));
  t.is(partitionRowCount('reference', index, all, options), rows.length);
  const kept: string[] = [];
  for (let i = 1; i <= SHAPE.documents; i++) {
    const first = new Map<number, number>();
    for (let k = 0; k < index.referenceCounts[i]; k++) {
      const alias = referencedAliasId(i, k, SHAPE.documents);
      if (!first.has(alias)) first.set(alias, index.firstReferenceRow[i] + k + 1);
    }
    for (const [alias, id] of [...first].sort((a, b) => a[1] - b[1])) kept.push(`${id}:${i}:${alias}`);
  }
  const byId = [...rows].sort((a, b) => int64Of(a[0]) - int64Of(b[0]));
  t.deepEqual(byId.map((row) => `${int64Of(row[0])}:${int64Of(row[1])}:${int64Of(row[3])}`), kept);
  for (const keys of masks(SHAPE.partitions, 5)) {
    const part = decodeBinaryCopy(Buffer.concat([...copyChunks('reference', index, keys, { rows: 0 }, options)]));
    t.is(part.length, partitionRowCount('reference', index, keys, options));
  }
});
