import type { SharedClock } from '../shared/redis-clock.ts';

/**
 * The common start, released once per worker process: one timer (not one per session) sleeps until
 * a millisecond before the instant, then the last of it is waited out on the event loop (a timer may
 * fire up to a millisecond late), and every session waiting on the returned promise wakes in the
 * same turn of the event loop. Sessions prepare their first operation before, so that what follows
 * the release is sending it.
 */

/** How late a timer may fire: the barrier waits out the last of it without a timer. */
export const TIMER_SLACK_MS = 1;

/** Resolves when `clock` reaches `atMs` (never before); `cancel` resolves it at once. */
export function startBarrier(clock: SharedClock, atMs: number): { readonly released: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let release!: () => void;
  let cancelled = false;
  const released = new Promise<void>((resolve) => (release = resolve));
  const wait = (): void => {
    const remaining = atMs - clock.now();
    if (cancelled || remaining <= 0) release();
    else if (remaining > TIMER_SLACK_MS) timer = setTimeout(wait, remaining - TIMER_SLACK_MS);
    else setImmediate(wait);
  };
  wait();
  return {
    released,
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
      release();
    },
  };
}
