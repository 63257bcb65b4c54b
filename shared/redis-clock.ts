import type { Redis } from 'ioredis';

/**
 * The run's clock is Redis `TIME`: every coordinator and worker measures its offset to it once, then
 * reads the shared time locally (no round trip). Local time is monotonic (performance.now) anchored at
 * process start, so a wall-clock step on one host does not move its sessions.
 */

export interface ClockSample {
  /** Local ms just before sending TIME and just after the reply. */
  readonly sentAtMs: number;
  readonly receivedAtMs: number;
  /** Redis time, epoch ms (fractional). */
  readonly redisMs: number;
}

export interface ClockOffset {
  /** sharedNow = localNow + offsetMs. */
  readonly offsetMs: number;
  /** Round trip of the sample kept; the offset's uncertainty is at most half of it. */
  readonly rttMs: number;
}

export interface SharedClock extends ClockOffset {
  /** Shared-clock epoch ms (fractional). */
  now(): number;
}

/** Monotonic local epoch-like ms. */
export function localNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The sample with the lowest round trip, assuming the reply was stamped half-way through it. */
export function offsetFromSamples(samples: readonly ClockSample[]): ClockOffset {
  if (samples.length === 0) throw new Error('offsetFromSamples needs at least one sample');
  let best = samples[0];
  for (const s of samples) if (s.receivedAtMs - s.sentAtMs < best.receivedAtMs - best.sentAtMs) best = s;
  const rttMs = best.receivedAtMs - best.sentAtMs;
  return { offsetMs: best.redisMs - (best.sentAtMs + rttMs / 2), rttMs };
}

/** Redis TIME reply [seconds, microseconds] → epoch ms. */
export function redisTimeMs(reply: readonly (string | number)[]): number {
  return Number(reply[0]) * 1000 + Number(reply[1]) / 1000;
}

export async function sampleRedisClock(redis: Redis): Promise<ClockSample> {
  const sentAtMs = localNowMs();
  const reply = await redis.time();
  const receivedAtMs = localNowMs();
  return { sentAtMs, receivedAtMs, redisMs: redisTimeMs(reply) };
}

export async function measureSharedClock(redis: Redis, sampleCount = 7): Promise<SharedClock> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < sampleCount; i++) samples.push(await sampleRedisClock(redis));
  return sharedClockFrom(offsetFromSamples(samples));
}

export function sharedClockFrom(offset: ClockOffset): SharedClock {
  const base = performance.timeOrigin + offset.offsetMs;
  return { ...offset, now: () => base + performance.now() };
}
