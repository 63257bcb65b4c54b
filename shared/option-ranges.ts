import { Type, type TInteger, type TNumber } from '@sinclair/typebox';

/**
 * The accepted range of every numeric option, declared once: flag parsing (shared/cli/options.ts,
 * coordinator/config/), `--help` and the schemas that check jobs, run metas and run.json
 * (shared/run-config.ts, shared/dataset.ts) all read this table, so a value one of them accepts
 * the others accept too.
 */

export interface NumericRange {
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** min itself is refused: a rate or a run time must be above 0. */
  readonly exclusiveMin?: boolean;
  /** The value is milliseconds; its flag takes a duration such as 250ms or 2m. */
  readonly milliseconds?: boolean;
}

const integer = (min: number, max: number): NumericRange => ({ integer: true, min, max });
const number = (min: number, max: number): NumericRange => ({ integer: false, min, max });
const milliseconds = (min: number, max: number, exclusiveMin = false): NumericRange => ({
  integer: false,
  min,
  max,
  milliseconds: true,
  ...(exclusiveMin && { exclusiveMin }),
});

const HOUR_MS = 3_600_000;
const DAYS_30_MS = 720 * HOUR_MS;

/** Keyed by flag name; the job, run meta and run.json fields that hold the same value use the same entry. */
export const OPTION_RANGES = {
  // refswarm run
  sessions: integer(1, 100_000),
  iterations: integer(1, 1_000_000_000),
  duration: milliseconds(0, DAYS_30_MS, true),
  warmup: milliseconds(0, DAYS_30_MS),
  seed: integer(0, 2 ** 31 - 1),
  'refs-min': integer(1, 100_000),
  'refs-max': integer(1, 100_000),
  'hot-docs': integer(1, 50_000_000),
  'batch-size': integer(1, 100_000),
  'read-ratio': number(0, 1),
  'noop-sleep': milliseconds(0, HOUR_MS),
  change: integer(0, 100_000),
  /** The Zipf exponent S of --target-skew zipf:S. */
  'target-skew': { integer: false, min: 0, max: 10, exclusiveMin: true },
  'unknown-ratio': number(0, 1),
  think: milliseconds(0, HOUR_MS),
  rate: { integer: false, min: 0, max: 1_000_000, exclusiveMin: true },
  'max-tries': integer(1, 1000),
  'sample-interval': milliseconds(1, HOUR_MS),
  'wait-workers': milliseconds(0, DAYS_30_MS),
  'local-workers': integer(0, 256),
  'worker-concurrency': integer(1, 10_000),
  // the live view (refswarm run --dashboard, refswarm watch); port 0: any free port
  dashboard: integer(0, 65_535),
  'dashboard-linger': milliseconds(0, DAYS_30_MS),
  // the dataset (refswarm setup / load)
  documents: integer(2, 50_000_000),
  references: integer(0, 2_000_000_000),
  'avg-refs-per-doc': integer(1, 1_000_000),
  partitions: integer(1, 256),
} as const satisfies Readonly<Record<string, NumericRange>>;

export type RangedOption = keyof typeof OPTION_RANGES;

/** "an integer from 1 to 100000", "a number above 0 and at most 1000000", "a duration from 0 to 1h". */
export function rangeText(range: NumericRange): string {
  const kind = range.milliseconds ? 'a duration' : range.integer ? 'an integer' : 'a number';
  const min = boundText(range.min, range);
  const max = boundText(range.max, range);
  return range.exclusiveMin ? `${kind} above ${min} and at most ${max}` : `${kind} from ${min} to ${max}`;
}

/** The short form `--help` shows: "1-100000", "above 0, at most 1000000", "0-1h". */
export function rangeHelpText(range: NumericRange): string {
  const min = boundText(range.min, range);
  const max = boundText(range.max, range);
  return range.exclusiveMin ? `above ${min}, at most ${max}` : `${min}-${max}`;
}

export function isInRange(value: number, range: NumericRange): boolean {
  if (!Number.isFinite(value) || (range.integer && !Number.isSafeInteger(value))) return false;
  return (range.exclusiveMin ? value > range.min : value >= range.min) && value <= range.max;
}

function boundText(value: number, range: NumericRange): string {
  if (!range.milliseconds || value === 0) return String(value);
  if (value % HOUR_MS === 0) return `${value / HOUR_MS}h`;
  if (value % 1000 === 0) return `${value / 1000}s`;
  return `${value}ms`;
}

/** The range as a schema, for the contracts that carry the option's value. */
export function rangeSchema(range: NumericRange): TInteger | TNumber {
  const bounds = { ...(range.exclusiveMin ? { exclusiveMinimum: range.min } : { minimum: range.min }), maximum: range.max };
  return range.integer ? Type.Integer(bounds) : Type.Number(bounds);
}
