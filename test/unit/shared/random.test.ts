import test from 'ava';
import { sessionStream } from '../../../shared/random.ts';

const draw = (seed: number, session: number, purpose: 'operations' | 'think' = 'operations') => {
  const stream = sessionStream(seed, session, purpose);
  return Array.from({ length: 20 }, () => stream.int(1, 1_000_000));
};

test('a session stream depends only on (seed, session, purpose)', (t) => {
  t.deepEqual(draw(12345, 3), draw(12345, 3));
  t.notDeepEqual(draw(12345, 3), draw(12345, 4));
  t.notDeepEqual(draw(12345, 3), draw(12346, 3));
  t.notDeepEqual(draw(12345, 3), draw(12345, 3, 'think'));
});

test('int() stays within its inclusive bounds and reaches both ends', (t) => {
  const stream = sessionStream(1, 0);
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const v = stream.int(5, 9);
    t.true(v >= 5 && v <= 9);
    seen.add(v);
  }
  t.deepEqual([...seen].sort(), [5, 6, 7, 8, 9]);
});
