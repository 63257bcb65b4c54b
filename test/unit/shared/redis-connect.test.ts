import test from 'ava';
import { isClusterUrl, nodeUrl, slotOwner } from '../../../shared/redis-connect.ts';

const RANGES: [number, number, ...[string, number, string][]][] = [
  [0, 5460, ['10.0.0.1', 7000, 'a'], ['10.0.0.4', 7003, 'd']],
  [5461, 10922, ['', 7001, 'b']],
  [10923, 16383, ['::1', 7002, 'c']],
];

test('the slot owner is the master of the range holding the slot, with the seed credentials', (t) => {
  t.is(slotOwner(0, RANGES, 'redis-cluster://:pw@seed:7005'), 'redis://:pw@10.0.0.1:7000');
  t.is(slotOwner(5460, RANGES, 'redis-cluster://seed:7005'), 'redis://10.0.0.1:7000');
  t.is(slotOwner(16383, RANGES, 'rediss-cluster://seed:7005'), 'rediss://[::1]:7002');
});

test('a master announcing no host is reached at the seed host', (t) => {
  t.is(slotOwner(6000, RANGES, 'redis-cluster://seed:7005'), 'redis://seed:7001');
});

test('a slot no range covers has no owner', (t) => {
  t.is(slotOwner(100, [[5461, 16383, ['h', 1, 'x']]], 'redis-cluster://seed:7005'), undefined);
  t.is(slotOwner(100, [[0, 16383]], 'redis-cluster://seed:7005'), undefined);
});

test('cluster URLs are told apart and turned into node URLs', (t) => {
  t.true(isClusterUrl('redis-cluster://h:1'));
  t.true(isClusterUrl('rediss-cluster://h:1'));
  t.false(isClusterUrl('redis://h:1'));
  t.is(nodeUrl('rediss-cluster://u:p@h:1/0'), 'rediss://u:p@h:1/0');
});
