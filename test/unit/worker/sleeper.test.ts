import test from 'ava';
import { getEventListeners } from 'node:events';
import { Sleeper, yieldToEventLoop } from '../../../worker/sleeper.ts';

/**
 * Whether a sleep has ended by the next turn of the event loop. A woken sleep has (its resolve runs
 * as a microtask, before setImmediate); a 60 s sleep has not. No clock involved, so never flaky.
 */
async function endedAtOnce(sleeping: Promise<void>): Promise<boolean> {
  return Promise.race([sleeping.then(() => true), yieldToEventLoop().then(() => false)]);
}

test('a sleep resolves after its time', async (t) => {
  const sleeper = new Sleeper(new AbortController().signal);
  const began = performance.now();
  await sleeper.sleep(20);
  t.true(performance.now() - began >= 19);
});

test('a sleep nobody interrupts is still asleep on the next turn of the event loop', async (t) => {
  const sleeper = new Sleeper(new AbortController().signal);
  t.false(await endedAtOnce(sleeper.sleep(60_000)));
  sleeper.dispose();
});

test('regression: an abort ends the sleep in progress and every later one at once (the 60 s sleeps passed either way)', async (t) => {
  const controller = new AbortController();
  const sleeper = new Sleeper(controller.signal);
  const sleeping = sleeper.sleep(60_000);
  controller.abort();
  t.true(await endedAtOnce(sleeping), 'the sleep in progress');
  t.true(await endedAtOnce(sleeper.sleep(60_000)), 'a sleep after the abort');
});

test('regression: dispose wakes a sleeper at once and removes its abort listener', async (t) => {
  const controller = new AbortController();
  const sleeper = new Sleeper(controller.signal);
  t.is(getEventListeners(controller.signal, 'abort').length, 1);
  const sleeping = sleeper.sleep(60_000);
  sleeper.dispose();
  t.true(await endedAtOnce(sleeping));
  t.is(getEventListeners(controller.signal, 'abort').length, 0);
});

test('until() resolves with its promise, or at once on abort', async (t) => {
  const controller = new AbortController();
  const sleeper = new Sleeper(controller.signal);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let resolved = false;
  const waiting = sleeper.until(gate).then(() => (resolved = true));
  await new Promise((resolve) => setImmediate(resolve));
  t.false(resolved);
  release();
  await waiting;
  t.true(resolved);
  const never = new Promise<void>(() => undefined);
  const stopped = sleeper.until(never);
  controller.abort();
  await stopped;
  t.pass();
});
