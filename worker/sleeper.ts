/**
 * Sleeps that a stop interrupts at once. One abort listener per session instead of one per sleep
 * (timers/promises with a signal adds and removes a listener on every call: measurable with hundreds
 * of sessions sleeping between operations).
 */
export class Sleeper {
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => {
    clearTimeout(this.timer);
    this.fire();
  };
  private readonly fire = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Resolves after `ms`, or at once when the signal is (or becomes) aborted. One sleep at a time. */
  sleep(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(this.fire, ms);
    });
  }

  /** Resolves when `promise` settles, or at once when the signal is (or becomes) aborted. One wait at a time. */
  until(promise: Promise<unknown>): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      const settle = (): void => {
        if (this.wake === resolve) this.fire();
      };
      promise.then(settle, settle);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.fire();
  }
}

/** Resolves on the next turn of the event loop, after pending I/O: a wait of well under a millisecond. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
