import test from 'ava';
import { reconnectDelayMs } from '../../../worker/session-connection.ts';

test('reconnect backoff doubles from 100 ms up to 2 s', (t) => {
  t.deepEqual([0, 1, 2, 3, 4, 5, 20].map(reconnectDelayMs), [100, 200, 400, 800, 1600, 2000, 2000]);
});
