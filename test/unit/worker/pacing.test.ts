import test from 'ava';
import { sessionStream } from '../../../shared/random.ts';
import { createPacer } from '../../../worker/pacing.ts';

test('closed loop: the first operation at the start, then a think time after the previous end', (t) => {
  const pacer = createPacer({ mode: 'closed', thinkMinMs: 10, thinkMaxMs: 50 }, 1000, 0, 1, sessionStream(1, 0, 'think'));
  t.false(pacer.fromPlannedStart);
  t.is(pacer.plannedStartMs(0, 1000), 1000);
  for (let n = 1; n < 2000; n++) {
    const think = pacer.plannedStartMs(n, 5000) - 5000;
    t.true(think >= 10 && think <= 50, `think ${think}`);
  }
});

test('closed loop think times are the same for the same seed and session, and differ between sessions', (t) => {
  const draw = (session: number): number[] => {
    const pacer = createPacer({ mode: 'closed', thinkMinMs: 10, thinkMaxMs: 50 }, 0, session, 4, sessionStream(7, session, 'think'));
    return Array.from({ length: 20 }, (_, n) => pacer.plannedStartMs(n + 1, 0));
  };
  t.deepEqual(draw(1), draw(1));
  t.notDeepEqual(draw(1), draw(2));
});

test('closed loop without think time starts the next operation when the previous one ended', (t) => {
  const pacer = createPacer({ mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 }, 0, 0, 1, sessionStream(1, 0, 'think'));
  t.is(pacer.plannedStartMs(3, 1234.5), 1234.5);
});

test('open loop: a fixed schedule, whatever the previous operation took, phase-shifted per session', (t) => {
  const first = createPacer({ mode: 'open', ratePerSession: 100 }, 1000, 0, 4, sessionStream(1, 0, 'think'));
  const third = createPacer({ mode: 'open', ratePerSession: 100 }, 1000, 2, 4, sessionStream(1, 2, 'think'));
  t.true(first.fromPlannedStart);
  t.is(first.plannedStartMs(0, 0), 1000);
  t.is(first.plannedStartMs(10, 99_999), 1100);
  t.is(third.plannedStartMs(0, 0), 1005);
  t.is(third.plannedStartMs(10, 0), 1105);
});

test('open loop: scheduledBetween counts the operations still owed in a window, from operation n on', (t) => {
  // Session 1 of 2 at 100/s from 1000: planned 1005, 1015, 1025, …
  const pacer = createPacer({ mode: 'open', ratePerSession: 100 }, 1000, 1, 2, sessionStream(1, 1, 'think'));
  t.is(pacer.scheduledBetween(0, 1000, 4000), 300);
  t.is(pacer.scheduledBetween(60, 1000, 4000), 240);
  t.is(pacer.scheduledBetween(0, 2000, 4000), 200, 'warm-up operations are not counted');
  t.is(pacer.scheduledBetween(0, 1005, 1015), 1, 'from inclusive, to exclusive');
  t.is(pacer.scheduledBetween(400, 1000, 4000), 0);
  // The count agrees with the loop's own comparison for an awkward period.
  const odd = createPacer({ mode: 'open', ratePerSession: 3 }, 0.1, 0, 7, sessionStream(1, 0, 'think'));
  let planned = 0;
  for (let n = 0; odd.plannedStartMs(n, 0) < 10_000.1; n++) planned++;
  t.is(odd.scheduledBetween(0, 0.1, 10_000.1), planned);
});

test('closed loop plans nothing ahead: it never owes operations', (t) => {
  const pacer = createPacer({ mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 }, 0, 0, 1, sessionStream(1, 0, 'think'));
  t.is(pacer.scheduledBetween(0, 0, 10_000), 0);
});
