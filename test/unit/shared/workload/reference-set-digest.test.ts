import test from 'ava';
import { datasetIndex } from '../../../../shared/dataset.ts';
import {
  aliasSetDigest,
  combineDigests,
  digestCount,
  digestFromSums,
  referentialIdSetDigest,
} from '../../../../shared/workload/reference-set-digest.ts';

const index = datasetIndex({ documents: 50, references: 200, avgRefsPerDoc: 4, partitions: 4 });
const texts = (ids: number[]) => ids.map((a) => index.referentialId(a));

test('order does not matter', (t) => {
  t.is(aliasSetDigest(index, [1, 2, 3]), aliasSetDigest(index, [3, 1, 2]));
  t.is(referentialIdSetDigest(texts([5, 9])), referentialIdSetDigest(texts([9, 5])));
});

test('duplicates count', (t) => {
  t.not(aliasSetDigest(index, [1, 2]), aliasSetDigest(index, [1, 2, 2]));
  t.is(digestCount(aliasSetDigest(index, [1, 2, 2])), 3);
});

test('different sets, subsets and supersets differ', (t) => {
  const base = aliasSetDigest(index, [1, 2, 3]);
  t.not(base, aliasSetDigest(index, [1, 2, 4]));
  t.not(base, aliasSetDigest(index, [1, 2]));
  t.not(base, aliasSetDigest(index, [1, 2, 3, 4]));
});

test('from index bytes and from uuid texts agree, in any case and with or without hyphens', (t) => {
  const ids = [4, 17, 33, 50];
  const digest = aliasSetDigest(index, ids);
  t.is(referentialIdSetDigest(texts(ids)), digest);
  t.is(referentialIdSetDigest(texts(ids).map((s) => s.toUpperCase())), digest);
  t.is(referentialIdSetDigest(texts(ids).map((s) => s.replaceAll('-', ''))), digest);
});

test('the empty set', (t) => {
  t.is(aliasSetDigest(index, []), `0:${'0'.repeat(32)}`);
  t.is(referentialIdSetDigest([]), aliasSetDigest(index, []));
});

test('combine is the multiset union', (t) => {
  t.is(combineDigests(aliasSetDigest(index, [1, 2]), aliasSetDigest(index, [2, 7])), aliasSetDigest(index, [1, 2, 2, 7]));
});

test('digestFromSums reduces modulo 2^32 as the SQL side may not', (t) => {
  const ids = [3, 8, 21];
  const sums = [0, 1, 2, 3].map((w) =>
    ids.reduce((acc, a) => acc + Number.parseInt(index.referentialId(a).replaceAll('-', '').slice(8 * w, 8 * w + 8), 16), 0),
  );
  t.is(digestFromSums(3, sums), aliasSetDigest(index, ids));
});

test('rejects what is not a uuid or a digest', (t) => {
  t.throws(() => referentialIdSetDigest(['nope']), { message: /"nope" is not a uuid/ });
  t.throws(() => combineDigests('x', 'y'), { message: /"x" is not a reference set digest/ });
});
