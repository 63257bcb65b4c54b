import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { isInRange, rangeHelpText, rangeText, type NumericRange } from '../option-ranges.ts';

/**
 * Command-line flags: declared once per command as a table, parsed with node's parseArgs, each
 * value converted and range-checked here so that nothing downstream re-checks it. Every flag may
 * also come from an environment variable (REFSWARM_<FLAG_IN_CAPS>); the flag wins.
 */

export type FlagKind = 'string' | 'boolean' | 'multiple';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly description: string;
  /** Shown in help; the converter applies the real default. */
  readonly defaultText?: string;
  /** The accepted values (from shared/option-ranges.ts), shown in help. */
  readonly range?: NumericRange;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface ParsedFlags {
  readonly command: string;
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export function envNameOf(flag: string): string {
  return `REFSWARM_${flag.replaceAll('-', '_').toUpperCase()}`;
}

export function parseFlags(
  command: string,
  table: FlagTable,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  allowPositionals = false,
): ParsedFlags {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(table)) {
    options[name] = spec.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: spec.kind === 'multiple' };
  }
  options.help = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(`${describeParseError(error)} (see "refswarm ${command} --help")`);
  }
  const values = { ...parsed.values } as Record<string, string | boolean | string[] | undefined>;
  for (const [name, spec] of Object.entries(table)) {
    if (values[name] !== undefined) continue;
    const fromEnv = env[envNameOf(name)];
    if (fromEnv === undefined || fromEnv === '') continue;
    if (spec.kind === 'boolean') values[name] = fromEnv === '1' || fromEnv.toLowerCase() === 'true';
    else if (spec.kind === 'multiple') values[name] = fromEnv.split(';').filter((s) => s.length > 0);
    else values[name] = fromEnv;
  }
  return { command, values, positionals: parsed.positionals };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${missing[1].split(',').pop()?.trim().replace(/ <value>$/, '')} needs a value`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value; for a value starting with "-" write ${ambiguous[1]}=VALUE`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument "${positional[1]}"`;
  return message.split('\n')[0];
}

export function helpText(command: string, summary: string, table: FlagTable): string {
  const lines = [`usage: refswarm ${command} [options]`, '', summary, '', 'options:'];
  for (const [name, spec] of Object.entries(table)) {
    const value = spec.kind === 'boolean' ? '' : ' VALUE';
    const def = spec.defaultText ? ` [${spec.defaultText}]` : '';
    const range = spec.range ? ` (${rangeHelpText(spec.range)})` : '';
    const flag = `  --${name}${value}`;
    lines.push(`${flag.padEnd(Math.max(30, flag.length + 2))}${spec.description}${def}${range}`);
  }
  return lines.join('\n') + '\n';
}

// ---- value converters: each names the flag, quotes the value and says what is expected ----

function invalid(flag: string, raw: string, expected: string): UsageError {
  return new UsageError(`invalid value "${raw}" for --${flag}: expected ${expected}`);
}

function stringValue(flags: ParsedFlags, flag: string): string | undefined {
  const v = flags.values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${flag} takes one value`);
  return v;
}

export function intFlag(flags: ParsedFlags, flag: string, fallback: number, min: number, max: number): number {
  return rangedFlag(flags, flag, fallback, { integer: true, min, max });
}

export function parseIntValue(flag: string, raw: string, min: number, max: number): number {
  return parseRangedValue(flag, raw, { integer: true, min, max });
}

export function numberFlag(flags: ParsedFlags, flag: string, fallback: number, min: number, max: number): number {
  return rangedFlag(flags, flag, fallback, { integer: false, min, max });
}

/** A numeric flag checked against its range (shared/option-ranges.ts); a duration when the range is in milliseconds. */
export function rangedFlag(flags: ParsedFlags, flag: string, fallback: number, range: NumericRange, bareUnit: 'ms' | 's' = 'ms'): number {
  const raw = stringValue(flags, flag);
  if (raw === undefined) return fallback;
  return parseRangedValue(flag, raw, range, bareUnit);
}

export function parseRangedValue(flag: string, raw: string, range: NumericRange, bareUnit: 'ms' | 's' = 'ms'): number {
  if (range.milliseconds) return checkedRange(flag, raw, parseDurationMs(flag, raw, bareUnit), range);
  const trimmed = range.integer ? raw.trim().replaceAll('_', '') : raw.trim();
  // Plain decimals only: Number() would also take 0x10, 0b1, 1e3 and Infinity.
  const wellFormed = (range.integer ? /^-?\d+$/ : DECIMAL).test(trimmed);
  return checkedRange(flag, raw, wellFormed ? Number(trimmed) : Number.NaN, range);
}

const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** The value, or a UsageError quoting what was given and the range expected. */
export function checkedRange(flag: string, raw: string, value: number, range: NumericRange): number {
  if (!isInRange(value, range)) throw invalid(flag, raw, rangeText(range));
  return value;
}

export function stringFlag(flags: ParsedFlags, flag: string, fallback: string): string {
  return stringValue(flags, flag) ?? fallback;
}

export function optionalStringFlag(flags: ParsedFlags, flag: string): string | undefined {
  return stringValue(flags, flag);
}

export function booleanFlag(flags: ParsedFlags, flag: string): boolean {
  return flags.values[flag] === true;
}

export function listFlag(flags: ParsedFlags, flag: string): string[] {
  const v = flags.values[flag];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [String(v)];
}

export function choiceFlag<T extends string>(flags: ParsedFlags, flag: string, choices: readonly T[], fallback: T): T {
  const raw = stringValue(flags, flag);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw invalid(flag, raw, `one of ${choices.join(', ')}`);
  return raw as T;
}

const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "1.5s", "2m", "0" → milliseconds; a bare number is in `bareUnit`. */
export function parseDurationMs(flag: string, raw: string, bareUnit: 'ms' | 's' = 's'): number {
  const match = DURATION.exec(raw.trim());
  if (!match) throw invalid(flag, raw, 'a duration such as 500ms, 30s or 2m');
  return Number(match[1]) * UNIT_MS[match[2] ?? bareUnit];
}

export function durationFlag(flags: ParsedFlags, flag: string, fallbackMs: number, bareUnit: 'ms' | 's' = 's'): number {
  const raw = stringValue(flags, flag);
  if (raw === undefined) return fallbackMs;
  return parseDurationMs(flag, raw, bareUnit);
}

export function optionalDurationFlag(flags: ParsedFlags, flag: string, bareUnit: 'ms' | 's' = 's'): number | undefined {
  const raw = stringValue(flags, flag);
  return raw === undefined ? undefined : parseDurationMs(flag, raw, bareUnit);
}

/** "10-50ms" → {minMs: 10, maxMs: 50}; "0" → none; "20ms" → fixed. */
export function parseRangeMs(flag: string, raw: string): { minMs: number; maxMs: number } {
  const text = raw.trim();
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(us|µs|ms|s)?$/.exec(text);
  if (range) {
    const unit = UNIT_MS[range[3] ?? 'ms'];
    const minMs = Number(range[1]) * unit;
    const maxMs = Number(range[2]) * unit;
    if (minMs > maxMs) throw invalid(flag, raw, 'MIN-MAX with MIN not above MAX, such as 10-50ms');
    return { minMs, maxMs };
  }
  const fixed = parseDurationMs(flag, text, 'ms');
  return { minMs: fixed, maxMs: fixed };
}
