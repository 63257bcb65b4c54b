import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  DatasetIndex,
  documentUuidText,
  documentWeight,
  md5uuid,
  partitionKeyOf,
  referenceCounts,
  referencedAliasId,
  referentialIdText,
  repeatedReferenceNumbers,
  strideSeed,
  type DatasetShape,
} from '../../../shared/dataset.ts';
import { datasetCsvChunks, type DatasetFile } from '../../../coordinator/load/dataset-csv.ts';

/** A copy of the reference generator's sums (test/golden/dataset-checksums.tsv), so a clean checkout can test. */
const GOLDEN = new URL('../../golden/dataset-checksums.tsv', import.meta.url);
/** The 20M set takes about a minute: only with REFSWARM_FULL=1 (npm run test:full). */
const FULL = process.env.REFSWARM_FULL === '1';

test('md5uuid groups the md5 of the UTF-8 string as 8-4-4-4-12 lowercase hex', (t) => {
  t.is(md5uuid(''), 'd41d8cd9-8f00-b204-e980-0998ecf8427e');
  t.is(md5uuid('doc:1'), formatUuid(createHash('md5').update('doc:1').digest('hex')));
  t.is(md5uuid('é'), formatUuid(createHash('md5').update(Buffer.from('é', 'utf8')).digest('hex')));
  t.regex(md5uuid('alias:42'), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.is(documentUuidText(7), md5uuid('doc:7'));
  t.is(referentialIdText(7), md5uuid('alias:7'));
});

test('pk() is the last byte of the uuid modulo P', (t) => {
  t.is(partitionKeyOf('00000000-0000-0000-0000-0000000000ff', 16), 15);
  t.is(partitionKeyOf('00000000-0000-0000-0000-0000000000ff', 256), 255);
  t.is(partitionKeyOf('00000000-0000-0000-0000-000000000010', 16), 0);
  t.is(partitionKeyOf('ffffffff-ffff-ffff-ffff-ffffffffff07', 5), 2);
  t.is(partitionKeyOf('00000000-0000-0000-0000-0000000000ab', 1), 0);
});

test('weights: 10A every 20th document from the first, 3A every 5th, A otherwise', (t) => {
  const a = 200;
  t.is(documentWeight(1, a), 2000);
  t.is(documentWeight(21, a), 2000);
  t.is(documentWeight(6, a), 600);
  t.is(documentWeight(11, a), 600);
  t.is(documentWeight(16, a), 600);
  t.is(documentWeight(2, a), 200);
  t.is(documentWeight(20, a), 200);
  t.is(strideSeed(1), 0);
  t.is(strideSeed(3), 2 * 8191);
});

test('referenceCounts: ceil(R·w/W) walking documents in order, stopping at exactly R', (t) => {
  const shape: DatasetShape = { documents: 100, references: 2000, avgRefsPerDoc: 20, partitions: 16 };
  const counts = referenceCounts(shape);
  const total = Array.from({ length: 100 }, (_, i) => documentWeight(i + 1, 20)).reduce((s, w) => s + w, 0);
  t.is(counts[1], Math.ceil((2000 * 200) / total));
  t.is(counts[2], Math.ceil((2000 * 20) / total));
  t.is(counts.reduce((s, c) => s + c, 0), 2000);
  const none = referenceCounts({ ...shape, references: 0 });
  t.is(none.reduce((s, c) => s + c, 0), 0);
  const few = referenceCounts({ ...shape, references: 7 });
  t.is(few.reduce((s, c) => s + c, 0), 7);
  t.is(few[100], 0, 'documents after the R-th row get none');
});

test('references never point at their own document', (t) => {
  for (const documents of [2, 3, 10, 1000]) {
    for (let i = 1; i <= documents; i++) {
      for (let k = 0; k < 3 * documents; k++) t.not(referencedAliasId(i, k, documents), i);
    }
  }
});

test('the dataset index holds the same uuids, partition keys and row offsets as the definitions', (t) => {
  const shape: DatasetShape = { documents: 500, references: 9000, avgRefsPerDoc: 10, partitions: 7 };
  const index = new DatasetIndex(shape);
  for (const i of [1, 2, 250, 500]) {
    t.is(index.documentUuid(i), md5uuid(`doc:${i}`));
    t.is(index.referentialId(i), md5uuid(`alias:${i}`));
    t.is(index.documentPartitionKeys[i], partitionKeyOf(md5uuid(`doc:${i}`), 7));
    t.is(index.referentialPartitionKeys[i], partitionKeyOf(md5uuid(`alias:${i}`), 7));
  }
  t.is(index.firstReferenceRow[1], 0);
  t.is(index.firstReferenceRow[3], index.referenceCounts[1] + index.referenceCounts[2]);
  t.deepEqual(index.datasetReferences(2), Array.from({ length: index.referenceCounts[2] }, (_, k) => referencedAliasId(2, k, 500)));
});

test('datasetReferences with distinctPairs: each (document, alias) pair once, the first occurrence kept, in reference order', (t) => {
  for (const shape of [
    { documents: 100, references: 2000, avgRefsPerDoc: 20, partitions: 16 },
    { documents: 1000, references: 50_000, avgRefsPerDoc: 200, partitions: 16 },
    { documents: 3, references: 40, avgRefsPerDoc: 5, partitions: 1 },
  ]) {
    const index = new DatasetIndex(shape);
    let repeated = 0;
    for (let i = 1; i <= shape.documents; i++) {
      const all = index.datasetReferences(i);
      const firstOccurrences = all.filter((alias, k) => all.indexOf(alias) === k);
      t.deepEqual(index.datasetReferences(i, { distinctPairs: true }), firstOccurrences, `document ${i} of ${JSON.stringify(shape)}`);
      t.deepEqual(index.datasetReferences(i, { distinctPairs: false }), all);
      const skipped = repeatedReferenceNumbers(i, index.referenceCounts[i], shape.documents);
      t.deepEqual(skipped, all.flatMap((alias, k) => (all.indexOf(alias) === k ? [] : [k])));
      repeated += skipped.length;
    }
    t.true(repeated > 0, 'these shapes have duplicate pairs');
  }
});

test('the bumped self-reference is kept and the next reference, repeating it, is left out', (t) => {
  const index = new DatasetIndex({ documents: 1000, references: 50_000, avgRefsPerDoc: 200, partitions: 16 });
  const documentId = 1;
  const all = index.datasetReferences(documentId);
  const k = all.findIndex((alias, n) => n > 0 && alias === all[n - 1]);
  t.true(k > 0);
  t.deepEqual(repeatedReferenceNumbers(documentId, all.length, 1000), [k]);
  t.is(index.datasetReferences(documentId, { distinctPairs: true }).length, all.length - 1);
});

interface GoldenRow {
  readonly shape: DatasetShape;
  readonly file: DatasetFile;
  readonly sha256: string;
  readonly lines: number;
}

function goldenRows(): GoldenRow[] {
  const [, ...lines] = readFileSync(GOLDEN, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [documents, references, avg, partitions, file, sha256, count] = line.split('\t');
    return {
      shape: { documents: Number(documents), references: Number(references), avgRefsPerDoc: Number(avg), partitions: Number(partitions) },
      file: file as DatasetFile,
      sha256,
      lines: Number(count),
    };
  });
}

for (const golden of goldenRows()) {
  const { documents, references, avgRefsPerDoc, partitions } = golden.shape;
  const title = `golden checksum: ${golden.file} of D=${documents} R=${references} A=${avgRefsPerDoc} P=${partitions}`;
  const run = references >= 20_000_000 && !FULL ? test.skip : test;
  run(title, (t) => {
    const hash = createHash('sha256');
    let lines = 0;
    for (const chunk of datasetCsvChunks(golden.file, new DatasetIndex(golden.shape))) {
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    t.is(lines, golden.lines);
    t.is(hash.digest('hex'), golden.sha256);
  });
}

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
