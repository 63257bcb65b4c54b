import test from 'ava';
import { offsetFromSamples, redisTimeMs, sharedClockFrom } from '../../../shared/redis-clock.ts';

test('the offset comes from the lowest round trip, stamped half-way', (t) => {
  const offset = offsetFromSamples([
    { sentAtMs: 100, receivedAtMs: 110, redisMs: 5000 },
    { sentAtMs: 200, receivedAtMs: 202, redisMs: 5101 },
    { sentAtMs: 300, receivedAtMs: 305, redisMs: 5202 },
  ]);
  t.is(offset.rttMs, 2);
  t.is(offset.offsetMs, 5101 - 201);
});

test('Redis TIME becomes epoch milliseconds', (t) => {
  t.is(redisTimeMs(['1700000000', '250000']), 1_700_000_000_250);
  t.is(redisTimeMs(['1700000000', '1']), 1_700_000_000_000.001);
});

test('a shared clock adds its offset to local time', (t) => {
  const clock = sharedClockFrom({ offsetMs: 1_000_000, rttMs: 0.3 });
  const local = performance.timeOrigin + performance.now();
  const shared = clock.now();
  t.true(shared - local >= 1_000_000 && shared - local < 1_000_000 + 1000);
});
