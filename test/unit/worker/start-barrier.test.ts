import test from 'ava';
import { startBarrier } from '../../../worker/start-barrier.ts';
import { sharedClockFrom } from '../../../shared/redis-clock.ts';

const clock = sharedClockFrom({ offsetMs: 0, rttMs: 0 });

test('the start barrier never releases before the instant, and releases every waiter at once', async (t) => {
  const atMs = clock.now() + 30;
  const barrier = startBarrier(clock, atMs);
  const woken = await Promise.all([0, 1, 2].map(() => barrier.released.then(() => clock.now())));
  for (const at of woken) t.true(at >= atMs, `woke ${atMs - at} ms early`);
});

test('a cancelled start barrier releases at once', async (t) => {
  const atMs = clock.now() + 60_000;
  const barrier = startBarrier(clock, atMs);
  barrier.cancel();
  await barrier.released;
  t.true(clock.now() < atMs);
});
