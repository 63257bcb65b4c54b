import test from 'ava';
import { UsageError } from '../../../../shared/errors.ts';
import {
  choiceFlag,
  durationFlag,
  intFlag,
  listFlag,
  parseDurationMs,
  parseFlags,
  parseRangeMs,
  type FlagTable,
} from '../../../../shared/cli/options.ts';

const TABLE: FlagTable = {
  sessions: { kind: 'string', description: 'sessions' },
  force: { kind: 'boolean', description: 'force' },
  threshold: { kind: 'multiple', description: 'thresholds' },
  duration: { kind: 'string', description: 'duration' },
  strategy: { kind: 'string', description: 'strategy' },
};

test('flags parse into values, with environment equivalents the flags override', (t) => {
  const flags = parseFlags('run', TABLE, ['--sessions', '8', '--threshold', 'p99<5ms', '--threshold', 'errors<1%'], {
    REFSWARM_SESSIONS: '99',
    REFSWARM_FORCE: 'true',
  });
  t.is(intFlag(flags, 'sessions', 10, 1, 100), 8);
  t.true(flags.values.force);
  t.deepEqual(listFlag(flags, 'threshold'), ['p99<5ms', 'errors<1%']);
});

test('an environment variable fills a flag that was not given', (t) => {
  const flags = parseFlags('run', TABLE, [], { REFSWARM_SESSIONS: '12', REFSWARM_THRESHOLD: 'p99<5ms;ops/s>10' });
  t.is(intFlag(flags, 'sessions', 10, 1, 100), 12);
  t.deepEqual(listFlag(flags, 'threshold'), ['p99<5ms', 'ops/s>10']);
});

const BAD: Array<[string[], RegExp]> = [
  [['--bogus'], /^unknown option --bogus/],
  [['--sessions'], /--sessions needs a value/],
  [['stray'], /unexpected argument "stray"/],
];

for (const [argv, expected] of BAD) {
  test(`parse error: ${argv.join(' ')}`, (t) => {
    const error = t.throws(() => parseFlags('run', TABLE, argv, {}), { instanceOf: UsageError });
    t.regex(error.message, expected);
  });
}

const BAD_VALUES: Array<[string, string, RegExp]> = [
  ['sessions', 'three', /invalid value "three" for --sessions: expected an integer from 1 to 100/],
  ['sessions', '0', /invalid value "0" for --sessions/],
  ['sessions', '1.5', /invalid value "1.5" for --sessions/],
  ['sessions', '101', /invalid value "101" for --sessions/],
  ['duration', 'soon', /invalid value "soon" for --duration: expected a duration/],
  ['strategy', 'upsert', /invalid value "upsert" for --strategy: expected one of current, differential, merge/],
];

for (const [flag, value, expected] of BAD_VALUES) {
  test(`bad value: --${flag} ${value}`, (t) => {
    const flags = parseFlags('run', TABLE, [`--${flag}`, value], {});
    const error = t.throws(
      () => {
        if (flag === 'sessions') intFlag(flags, flag, 10, 1, 100);
        else if (flag === 'duration') durationFlag(flags, flag, 0);
        else choiceFlag(flags, flag, ['current', 'differential', 'merge'] as const, 'current');
      },
      { instanceOf: UsageError },
    );
    t.regex(error.message, expected);
  });
}

test('durations accept units, a bare number takes the given unit', (t) => {
  t.is(parseDurationMs('d', '250ms'), 250);
  t.is(parseDurationMs('d', '1.5s'), 1500);
  t.is(parseDurationMs('d', '2m'), 120_000);
  t.is(parseDurationMs('d', '30'), 30_000);
  t.is(parseDurationMs('d', '30', 'ms'), 30);
  t.is(parseDurationMs('d', '500us'), 0.5);
});

test('ranges: MIN-MAX with a unit, a single value, and MIN above MAX refused', (t) => {
  t.deepEqual(parseRangeMs('think', '10-50ms'), { minMs: 10, maxMs: 50 });
  t.deepEqual(parseRangeMs('think', '0'), { minMs: 0, maxMs: 0 });
  t.deepEqual(parseRangeMs('think', '1-2s'), { minMs: 1000, maxMs: 2000 });
  t.throws(() => parseRangeMs('think', '50-10ms'), { instanceOf: UsageError, message: /MIN not above MAX/ });
});
