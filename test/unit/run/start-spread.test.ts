import test from 'ava';
import { startSpread } from '../../../coordinator/run/start-spread.ts';

test('the start spread is nearest-rank p50, p99 and the max of the late starts', (t) => {
  const late = Array.from({ length: 200 }, (_, i) => (i + 1) / 10);
  t.deepEqual(startSpread(late.reverse()), { p50: 10, p99: 19.8, max: 20 });
  t.deepEqual(startSpread([3.25]), { p50: 3.25, p99: 3.25, max: 3.25 });
});

test('no started session: no start spread', (t) => {
  t.is(startSpread([]), undefined);
});
