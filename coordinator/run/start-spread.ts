import { Type } from '@sinclair/typebox';
import { Finite, type Contract } from '../../shared/protocol/contract-schema.ts';

/**
 * run.json `sessions.startSpreadMs`: how late the sessions' first operations started after the
 * common instant (each session's `started` lateMs), as p50, p99 and max. At most one value per
 * session (10,000 at the most), so a sort gives exact nearest-rank percentiles.
 */

export const StartSpreadSchema = Type.Object({ p50: Finite(), p99: Finite(), max: Finite() });
export type StartSpread = Contract<typeof StartSpreadSchema>;

/** undefined when no session started. */
export function startSpread(lateMs: readonly number[]): StartSpread | undefined {
  if (lateMs.length === 0) return undefined;
  const sorted = [...lateMs].sort((a, b) => a - b);
  const rank = (percentile: number): number => sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)];
  return { p50: round3(rank(50)), p99: round3(rank(99)), max: round3(sorted[sorted.length - 1]) };
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
