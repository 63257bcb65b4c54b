import test from 'ava';
import { ThresholdBreachedError, UsageError } from '../../../shared/errors.ts';
import {
  assertThresholds,
  evaluateThresholds,
  parseThreshold,
  parseThresholds,
  withThresholds,
  checkedThresholdExpressions,
} from '../../../coordinator/results/thresholds.ts';
import { fixtureReport } from '../compare/compare-fixture.ts';

test('parses latency thresholds into milliseconds whatever the unit', (t) => {
  t.like(parseThreshold('p99<50ms'), { metric: 'p99', operator: '<', limit: 50, percent: false });
  t.like(parseThreshold('p95<=20ms'), { metric: 'p95', operator: '<=', limit: 20 });
  t.like(parseThreshold('max<1s'), { metric: 'max', operator: '<', limit: 1000 });
  t.like(parseThreshold('p50 < 500us'), { metric: 'p50', limit: 0.5 });
  t.like(parseThreshold('p99.9<2m'), { metric: 'p99.9', limit: 120_000 });
  t.like(parseThreshold('mean<7'), { metric: 'mean', limit: 7 });
});

test('parses shares, counts and rates', (t) => {
  t.like(parseThreshold('errors<1%'), { metric: 'errors', operator: '<', limit: 1, percent: true });
  t.like(parseThreshold('errors<=3'), { metric: 'errors', limit: 3, percent: false });
  t.like(parseThreshold('integrity==0'), { metric: 'integrity', operator: '==', limit: 0 });
  t.like(parseThreshold('ops/s>100'), { metric: 'ops/s', operator: '>', limit: 100 });
  t.like(parseThreshold('TPS>=100.5'), { metric: 'tps', operator: '>=', limit: 100.5 });
  t.like(parseThreshold('lost!=1'), { metric: 'lost', operator: '!=', limit: 1 });
  t.like(parseThreshold('dropped<1%'), { metric: 'dropped', operator: '<', limit: 1, percent: true });
  t.like(parseThreshold('dropped==0'), { metric: 'dropped', operator: '==', limit: 0, percent: false });
});

const BAD: ReadonlyArray<[string, RegExp]> = [
  ['p99', /invalid value "p99" for --threshold: expected METRIC OP VALUE/],
  ['p99<', /expected METRIC OP VALUE/],
  ['p99=50ms', /expected METRIC OP VALUE/],
  ['p98<50ms', /unknown metric "p98"/],
  ['p99<5%', /p99 is a latency/],
  ['ops/s>100ms', /ops\/s takes a plain number, without "ms"/],
  ['integrity==0%', /integrity takes a plain number/],
  ['errors<1ms', /errors takes a percentage/],
  ['p99<-5ms', /expected METRIC OP VALUE/],
  ['', /invalid value "" for --threshold/],
];

for (const [expression, message] of BAD) {
  test(`rejects bad threshold "${expression}"`, (t) => {
    const error = t.throws(() => parseThreshold(expression), { instanceOf: UsageError });
    t.regex(error.message, message);
  });
}

test('parseThresholds reports every bad expression at once', (t) => {
  const error = t.throws(() => parseThresholds(['p99<50ms', 'bogus', 'p98<1ms']), { instanceOf: UsageError });
  t.regex(error.message, /"bogus".*; .*"p98<1ms"/);
});

test('evaluates against a report, with the measured value', (t) => {
  const report = fixtureReport({ p99: 40, ok: 990, failed: 10, opsPerSec: 150.25, violations: 0 });
  const results = evaluateThresholds(
    parseThresholds(['p99<50ms', 'p99<40ms', 'p99<=40ms', 'errors<1%', 'errors<=1%', 'integrity==0', 'ops/s>200', 'max<1s', 'errors<11']),
    report,
  );
  t.deepEqual(
    results.map((r) => [r.expression, r.passed, r.actual]),
    [
      ['p99<50ms', true, '40ms'],
      ['p99<40ms', false, '40ms'],
      ['p99<=40ms', true, '40ms'],
      ['errors<1%', false, '1%'],
      ['errors<=1%', true, '1%'],
      ['integrity==0', true, '0'],
      ['ops/s>200', false, '150.3 ops/s'],
      ['max<1s', true, '120ms'],
      ['errors<11', true, '10'],
    ],
  );
});

test('a metric the run did not measure is breached, saying why', (t) => {
  const [result] = evaluateThresholds(parseThresholds(['integrity==0']), fixtureReport({ violations: null }));
  t.false(result.passed);
  t.regex(result.actual, /not checked/);
});

test('a percentage of zero operations is 0%', (t) => {
  const [result] = evaluateThresholds(parseThresholds(['errors<1%']), fixtureReport({ ok: 0, failed: 0 }));
  t.true(result.passed);
  t.is(result.actual, '0%');
});

test('assertThresholds throws exit-3 error naming breached ones only', (t) => {
  const results = evaluateThresholds(parseThresholds(['p99<50ms', 'integrity==0', 'ops/s>1000']), fixtureReport({ violations: 2 }));
  const error = t.throws(() => assertThresholds(results), { instanceOf: ThresholdBreachedError });
  t.is(error.exitCode, 3);
  t.is(error.message, '2 of 3 thresholds breached: integrity==0 (actual 2), ops/s>1000 (actual 160 ops/s)');
  t.notThrows(() => assertThresholds(results.slice(0, 1)));
});

test('withThresholds fills run.json thresholds; none given leaves the report as it is', (t) => {
  const report = fixtureReport({ p99: 40 });
  t.is(withThresholds(report, []), report);
  t.deepEqual(withThresholds(report, ['p99<50ms']).thresholds, [{ expression: 'p99<50ms', passed: true, actual: '40ms' }]);
  t.deepEqual(checkedThresholdExpressions(['p99<50ms', 'errors<1%']), ['p99<50ms', 'errors<1%']);
  t.throws(() => checkedThresholdExpressions(['p99<50ms', 'p99 lt 5']), { instanceOf: UsageError, message: /"p99 lt 5"/ });
});

test('dropped is a share of every scheduled operation: those that ran and those dropped', (t) => {
  const base = fixtureReport({ ok: 90, failed: 0 });
  const report = { ...base, ops: { ...base.ops, dropped: 10 } };
  t.deepEqual(
    evaluateThresholds(parseThresholds(['dropped<1%', 'dropped<=10%', 'dropped==0']), report).map((r) => [r.expression, r.passed, r.actual]),
    [
      ['dropped<1%', false, '10%'],
      ['dropped<=10%', true, '10%'],
      ['dropped==0', false, '10'],
    ],
  );
  t.true(evaluateThresholds(parseThresholds(['dropped==0']), base)[0].passed, 'a run without the figure dropped none');
});
