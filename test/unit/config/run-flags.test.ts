import test from 'ava';
import { UsageError } from '../../../shared/errors.ts';
import { RUN_FLAGS, parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { helpText } from '../../../shared/cli/options.ts';
import { OPTION_RANGES, rangeHelpText } from '../../../shared/option-ranges.ts';

const ENV = { DATABASE_URL: 'postgres://u:secret@127.0.0.1:5432/dms_perf_x', REDIS_URL: 'redis://127.0.0.1:6379', RESULTS_DIR: '/tmp/r' };

test('defaults follow the README run options table', (t) => {
  const { config, environment } = parseRunArgs([], ENV);
  t.is(config.sessions, 10);
  t.deepEqual(config.workload.limits, { iterations: 100, warmupMs: 0 });
  t.is(config.seed, 12345);
  t.is(config.workload.scenario.scenario, 'single');
  t.is(config.workload.scenario.refsMin, 10);
  t.is(config.workload.scenario.refsMax, 100);
  t.is(config.workload.scenario.batchSize, 100);
  t.is(config.workload.strategy, 'current');
  t.is(config.workload.shape, 'bare');
  t.is(config.workload.isolation, 'read-committed');
  t.deepEqual(config.workload.loop, { mode: 'closed', thinkMinMs: 10, thinkMaxMs: 50 });
  t.is(config.workload.maxTries, 1);
  t.is(config.sampleIntervalMs, 100);
  t.is(config.waitWorkersMs, 30_000);
  t.true(config.integrityCheck);
  t.true(config.workload.sqlTags, 'SQL tags on by default');
  t.false('verifyWrites' in config.workload, 'absent when off, so jobs and run.json of default runs keep their shape');
  t.is(config.localWorkers, 0);
  t.is(config.resultsRoot, '/tmp/r');
  t.is(config.databaseName, 'dms_perf_x');
  t.is(config.name, 'single-current-bare-10');
  t.false(config.databaseUrlMasked.includes('secret'));
  t.true(environment.connection.databaseUrl.includes('secret'));
  t.is(environment.namespace, 'refswarm');
});

test('every option converts', (t) => {
  const { config } = parseRunArgs(
    [
      '--sessions', '64', '--duration', '2m', '--warmup', '5s', '--seed', '7', '--scenario', 'cross-partition',
      '--refs-min', '3', '--refs-max', '4', '--hot-docs', '5', '--sorted', '--read-ratio', '0.5', '--noop-sleep', '10ms',
      '--strategy', 'merge', '--shape', 'dms', '--isolation', 'serializable', '--rate', '50', '--max-tries', '3',
      '--name', 'my.run_1', '--sample-interval', '50ms', '--wait-workers', '1m', '--threshold', 'p99<50ms',
      '--threshold', 'errors<1%', '--restore-after', '--reset-stats', '--no-integrity', '--local-workers', '4',
      '--worker-concurrency', '16', '--database', 'dms_perf_other', '--no-sql-tags',
    ],
    ENV,
  );
  t.deepEqual(config.workload.limits, { durationMs: 120_000, warmupMs: 5000 });
  t.deepEqual(config.workload.scenario, {
    scenario: 'cross-partition', refsMin: 3, refsMax: 4, hotDocs: 5, batchSize: 4, sorted: true, readRatio: 0.5, noopSleepMs: 10,
  });
  t.deepEqual(config.workload.loop, { mode: 'open', ratePerSession: 50 });
  t.is(config.workload.strategy, 'merge');
  t.is(config.workload.shape, 'dms');
  t.is(config.workload.isolation, 'serializable');
  t.is(config.workload.maxTries, 3);
  t.is(config.name, 'my.run_1');
  t.is(config.sampleIntervalMs, 50);
  t.is(config.waitWorkersMs, 60_000);
  t.deepEqual(config.thresholds, ['p99<50ms', 'errors<1%']);
  t.true(config.restoreAfter);
  t.true(config.resetStats);
  t.false(config.integrityCheck);
  t.false(config.workload.sqlTags);
  t.is(config.localWorkers, 4);
  t.is(config.workerConcurrency, 16);
  t.is(config.databaseName, 'dms_perf_other');
});

test('workload realism flags: set only when not the default, so default runs keep their configuration', (t) => {
  const defaults = parseRunArgs(['--change', 'all', '--target-skew', 'uniform', '--unknown-ratio', '0'], ENV).config.workload.scenario;
  t.deepEqual(defaults, parseRunArgs([], ENV).config.workload.scenario);
  t.false('change' in defaults || 'zipfExponent' in defaults || 'unknownRatio' in defaults || 'fixture' in defaults);
  const set = parseRunArgs(
    ['--scenario', 'fixture', '--fixture', 'batch_100_mixed', '--fixture-alternate', '--change', '0', '--target-skew', 'zipf:1.1', '--unknown-ratio', '0.05'],
    ENV,
  ).config.workload.scenario;
  t.like(set, { scenario: 'fixture', fixture: 'batch_100_mixed', fixtureAlternate: true, change: 0, zipfExponent: 1.1, unknownRatio: 0.05 });
  t.is(parseRunArgs(['--change', '3'], { ...ENV, REFSWARM_TARGET_SKEW: 'zipf:2' }).config.workload.scenario.zipfExponent, 2);
});

test('--verify-writes travels in the workload config (to every session job)', (t) => {
  t.true(parseRunArgs(['--verify-writes'], ENV).config.workload.verifyWrites);
  t.true(parseRunArgs([], { ...ENV, REFSWARM_VERIFY_WRITES: '1' }).config.workload.verifyWrites);
});

test('think time forms and environment equivalents', (t) => {
  t.deepEqual(parseRunArgs(['--think', '0'], ENV).config.workload.loop, { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 });
  t.deepEqual(parseRunArgs(['--think', '1-2s'], ENV).config.workload.loop, { mode: 'closed', thinkMinMs: 1000, thinkMaxMs: 2000 });
  const fromEnv = parseRunArgs([], { ...ENV, REFSWARM_SESSIONS: '3', REFSWARM_SCENARIO: 'noop', REFSWARM_THRESHOLD: 'p99<1ms;errors<1%' }).config;
  t.is(fromEnv.sessions, 3);
  t.is(fromEnv.workload.scenario.scenario, 'noop');
  t.deepEqual(fromEnv.thresholds, ['p99<1ms', 'errors<1%']);
  t.is(parseRunArgs(['--sessions', '5'], { ...ENV, REFSWARM_SESSIONS: '3' }).config.sessions, 5);
});

test('local workers get enough slots each to hold every session', (t) => {
  const { config } = parseRunArgs(['--sessions', '256', '--local-workers', '2'], ENV);
  t.is(config.workerConcurrency, 128);
  t.is(parseRunArgs(['--sessions', '12', '--local-workers', '3'], ENV).config.workerConcurrency, 64);
});

const BAD: readonly (readonly [readonly string[], string])[] = [
  [['--sessions', 'three'], 'invalid value "three" for --sessions: expected an integer from 1 to 100000'],
  [['--sessions', '0'], 'invalid value "0" for --sessions'],
  [['--iterations', '10', '--duration', '5s'], 'specify either --iterations or --duration, not both'],
  [['--think', '10ms', '--rate', '5'], 'specify either --think (closed loop) or --rate (open loop), not both'],
  [['--duration', '0'], 'invalid value "0" for --duration: expected a duration above 0 and at most 720h'],
  [['--seed=-1'], 'invalid value "-1" for --seed: expected an integer from 0 to 2147483647'],
  [['--refs-min', '0'], 'invalid value "0" for --refs-min: expected an integer from 1 to 100000'],
  [['--think', '10ms-2h'], 'invalid value "10ms-2h" for --think'],
  [['--think', '2h'], 'invalid value "2h" for --think: expected a duration from 0 to 1h'],
  [['--noop-sleep', '2h'], 'invalid value "2h" for --noop-sleep: expected a duration from 0 to 1h'],
  [['--sample-interval', '0'], 'invalid value "0" for --sample-interval: expected a duration from 1ms to 1h'],
  [['--duration', 'soon'], 'invalid value "soon" for --duration'],
  [['--scenario', 'busy'], 'invalid value "busy" for --scenario: expected one of single, disjoint, hot, batch, cross-partition, mixed, noop'],
  [['--strategy', 'replace'], 'invalid value "replace" for --strategy'],
  [['--shape', 'x'], 'invalid value "x" for --shape'],
  [['--isolation', 'snapshot'], 'invalid value "snapshot" for --isolation'],
  [['--refs-min', '50', '--refs-max', '20'], '--refs-min 50 is above --refs-max 20'],
  [['--read-ratio', '1.5'], 'invalid value "1.5" for --read-ratio: expected a number from 0 to 1'],
  [['--think', '50-10ms'], 'invalid value "50-10ms" for --think'],
  [['--rate', '0'], 'invalid value "0" for --rate'],
  [['--max-tries', '0'], 'invalid value "0" for --max-tries'],
  [['--verify-writes', '--no-integrity'], '--verify-writes reports what it saw through the integrity check, which --no-integrity skips: drop one of them'],
  [['--name', '../etc'], 'invalid value "../etc" for --name'],
  [['--local-workers=-1'], 'invalid value "-1" for --local-workers'],
  [['--local-workers', '2', '--worker-concurrency', '4', '--sessions', '12'], '--local-workers 2 × --worker-concurrency 4 = 8 slots for 12 sessions'],
  [['--sessions', '20000', '--local-workers', '1'], '--sessions 20000 on --local-workers 1 is 20000 sessions per worker, above the 10000 a worker runs'],
  [['--database', 'Bad-Name'], 'refusing database "Bad-Name"'],
  [['--change', 'some'], 'invalid value "some" for --change: expected an integer from 0 to 100000'],
  [['--change=-1'], 'invalid value "-1" for --change'],
  [['--target-skew', 'pareto'], 'invalid value "pareto" for --target-skew: expected uniform or zipf:S'],
  [['--target-skew', 'zipf:0'], 'invalid value "zipf:0" for --target-skew: expected a number above 0 and at most 10 as zipf:S'],
  [['--target-skew', 'zipf:x'], 'invalid value "zipf:x" for --target-skew'],
  [['--unknown-ratio', '1.5'], 'invalid value "1.5" for --unknown-ratio: expected a number from 0 to 1'],
  [['--scenario', 'fixture'], '--scenario fixture needs --fixture single_doc_standard|single_doc_heavy|batch_100_mixed'],
  [['--scenario', 'fixture', '--fixture', 'huge'], 'invalid value "huge" for --fixture: expected one of single_doc_standard, single_doc_heavy, batch_100_mixed'],
  [['--fixture', 'single_doc_heavy'], '--fixture and --fixture-alternate apply to --scenario fixture only'],
  [['--fixture-alternate'], '--fixture and --fixture-alternate apply to --scenario fixture only'],
  [['--scenario', 'noop', '--unknown-ratio', '0.1'], '--change, --target-skew and --unknown-ratio shape rewrites; the noop scenario has none'],
  [['--sessions'], 'option --sessions needs a value'],
  [['--sesions', '3'], 'unknown option --sesions'],
];

for (const [argv, expected] of BAD) {
  test(`rejects ${argv.join(' ')}`, (t) => {
    const error = t.throws(() => parseRunArgs(argv, ENV), { instanceOf: UsageError });
    t.true(error!.message.includes(expected), error!.message);
    t.false(error!.message.includes('\n'));
  });
}

test('every problem is reported at once', (t) => {
  const error = t.throws(() => parseRunArgs(['--sessions', 'x', '--strategy', 'y', '--iterations', '1', '--duration', '1s'], ENV));
  t.true(error!.message.includes('--sessions'));
  t.true(error!.message.includes('--strategy'));
  t.true(error!.message.includes('not both'));
});

test('bad connection settings are usage errors', (t) => {
  t.throws(() => parseRunArgs([], { ...ENV, REDIS_URL: 'http://x' }), { instanceOf: UsageError, message: /REDIS_URL/ });
  t.throws(() => parseRunArgs([], { ...ENV, REFSWARM_NAMESPACE: 'a b' }), { instanceOf: UsageError, message: /REFSWARM_NAMESPACE/ });
});

test('--help shows each numeric option with its range from the one table', (t) => {
  const help = helpText('run', 'summary', RUN_FLAGS);
  t.regex(help, /--refs-min VALUE +fewest references per rewritten document \[10\] \(1-100000\)/);
  t.regex(help, /--seed VALUE +.*\[12345\] \(0-2147483647\)/);
  t.regex(help, /--rate VALUE +.* \(above 0, at most 1000000\)/);
  t.regex(help, /--think VALUE +.* \(0-1h\)/);
  for (const [flag, spec] of Object.entries(RUN_FLAGS)) {
    if (!(flag in OPTION_RANGES)) continue;
    const range = OPTION_RANGES[flag as keyof typeof OPTION_RANGES];
    t.is('range' in spec ? spec.range : undefined, range, `--${flag} takes its range from OPTION_RANGES`);
    t.true(help.includes(`(${rangeHelpText(range)})`), `--${flag}`);
  }
});

test('--strategy upsert (the alias-id layout) is accepted', (t) => {
  t.is(parseRunArgs(['--strategy', 'upsert'], ENV).config.workload.strategy, 'upsert');
});
