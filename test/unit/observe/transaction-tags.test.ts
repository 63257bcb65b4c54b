import test from 'ava';
import { TransactionTags } from '../../../coordinator/observe/transaction-tags.ts';
import type { SqlTag } from '../../../shared/workload/sql-tag.ts';

const tag = (op: number): SqlTag => ({ run: 'r', session: 1, op, documents: [op], partitions: [0] });

test('an untagged COMMIT in the same transaction carries the tag seen before in it', (t) => {
  const tags = new TransactionTags();
  t.deepEqual(tags.resolve(10, tag(5), 1_000_000), tag(5));
  t.deepEqual(tags.resolve(10, undefined, 1_000_000), tag(5));
});

test('a new transaction, another backend or no transaction carries nothing', (t) => {
  const tags = new TransactionTags();
  tags.resolve(10, tag(5), 1_000_000);
  t.is(tags.resolve(10, undefined, 1_000_001), undefined, 'next transaction of the same backend');
  t.is(tags.resolve(11, undefined, 1_000_000), undefined, 'another backend');
  t.is(tags.resolve(10, undefined, null), undefined, 'outside a transaction');
});

test('a tag seen outside a transaction is not remembered', (t) => {
  const tags = new TransactionTags();
  tags.resolve(10, tag(1), 5);
  t.deepEqual(tags.resolve(10, tag(2), null), tag(2));
  t.is(tags.resolve(10, undefined, 5), undefined);
});
