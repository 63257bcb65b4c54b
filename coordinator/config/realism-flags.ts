import { UsageError } from '../../shared/errors.ts';
import { booleanFlag, choiceFlag, parseRangedValue, rangedFlag, type ParsedFlags } from '../../shared/cli/options.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';
import { FIXTURES, type ScenarioName, type ScenarioOptions } from '../../shared/run-config.ts';

/**
 * The workload-realism options of `refswarm run` (--change, --target-skew, --unknown-ratio,
 * --fixture, --fixture-alternate) as the optional ScenarioOptions fields they set. A field is set
 * only when it differs from the default, so a run without these flags has the configuration (and
 * the operation streams and digests) it had before they existed.
 */

export type RealismOptions = Pick<ScenarioOptions, 'change' | 'zipfExponent' | 'unknownRatio' | 'fixture' | 'fixtureAlternate'>;

/** Converts the flags, pushing every problem (one message each) through `take`. */
export function realismOptions(
  flags: ParsedFlags,
  scenario: ScenarioName,
  take: <T>(convert: () => T, fallback: T) => T,
  problems: string[],
): RealismOptions {
  const change = take(() => changeFlag(flags), undefined);
  const zipfExponent = take(() => targetSkewFlag(flags), undefined);
  const unknownRatio = take(() => rangedFlag(flags, 'unknown-ratio', 0, OPTION_RANGES['unknown-ratio']), 0);
  const fixture = take(() => (flags.values.fixture === undefined ? undefined : choiceFlag(flags, 'fixture', FIXTURES, FIXTURES[0])), undefined);
  const fixtureAlternate = booleanFlag(flags, 'fixture-alternate');
  if (scenario === 'fixture' && fixture === undefined && flags.values.fixture === undefined) {
    problems.push(`--scenario fixture needs --fixture ${FIXTURES.join('|')}`);
  }
  if (scenario !== 'fixture' && (flags.values.fixture !== undefined || fixtureAlternate)) {
    problems.push('--fixture and --fixture-alternate apply to --scenario fixture only: add --scenario fixture or drop them');
  }
  if ((scenario === 'noop' || scenario === 'idle') && (change !== undefined || zipfExponent !== undefined || unknownRatio > 0)) {
    problems.push(`--change, --target-skew and --unknown-ratio shape rewrites; the ${scenario} scenario has none: drop them`);
  }
  return {
    ...(change !== undefined && { change }),
    ...(zipfExponent !== undefined && { zipfExponent }),
    ...(unknownRatio > 0 && { unknownRatio }),
    ...(fixture !== undefined && { fixture }),
    ...(fixtureAlternate && { fixtureAlternate }),
  };
}

/** `all` (the default: undefined) or K references replaced per rewrite. */
export function changeFlag(flags: ParsedFlags): number | undefined {
  const raw = flags.values.change;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new UsageError('--change takes one value');
  if (raw.trim() === 'all') return undefined;
  return parseRangedValue('change', raw, OPTION_RANGES.change);
}

/** `uniform` (the default: undefined) or `zipf:S`, S the exponent. */
export function targetSkewFlag(flags: ParsedFlags): number | undefined {
  const raw = flags.values['target-skew'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new UsageError('--target-skew takes one value');
  const text = raw.trim();
  if (text === 'uniform') return undefined;
  const match = /^zipf:(.+)$/.exec(text);
  if (!match) throw new UsageError(`invalid value "${raw}" for --target-skew: expected uniform or zipf:S (S the Zipf exponent, such as zipf:1.1)`);
  try {
    return parseRangedValue('target-skew', match[1], OPTION_RANGES['target-skew']);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`${error.message.replace(`"${match[1]}"`, `"${raw}"`)} as zipf:S`);
  }
}
