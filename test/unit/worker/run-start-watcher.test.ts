import test from 'ava';
import { parseStartAt } from '../../../worker/run-start-watcher.ts';

test('a start key that is not epoch milliseconds is rejected with its value', (t) => {
  t.is(parseStartAt('1700000000123'), 1_700_000_000_123);
  t.throws(() => parseStartAt('soon'), { message: 'run start time "soon" is not epoch milliseconds' });
  t.throws(() => parseStartAt(''), { message: 'run start time "" is not epoch milliseconds' });
});
