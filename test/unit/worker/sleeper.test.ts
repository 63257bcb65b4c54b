import test from 'ava';
import { Sleeper } from '../../../worker/sleeper.ts';

test('a sleep resolves after its time', async (t) => {
  const sleeper = new Sleeper(new AbortController().signal);
  const began = performance.now();
  await sleeper.sleep(20);
  t.true(performance.now() - began >= 19);
});

test('an abort ends the sleep in progress and every later one at once', async (t) => {
  const controller = new AbortController();
  const sleeper = new Sleeper(controller.signal);
  const sleeping = sleeper.sleep(60_000);
  controller.abort();
  await sleeping;
  await sleeper.sleep(60_000);
  t.pass();
});

test('dispose wakes a sleeper and removes its listener', async (t) => {
  const controller = new AbortController();
  const sleeper = new Sleeper(controller.signal);
  const sleeping = sleeper.sleep(60_000);
  sleeper.dispose();
  await sleeping;
  t.pass();
});
