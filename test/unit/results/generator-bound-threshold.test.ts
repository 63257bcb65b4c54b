import test from 'ava';
import { evaluateThreshold, parseThreshold } from '../../../coordinator/results/thresholds.ts';
import { renderSummary } from '../../../coordinator/results/summary.ts';
import type { GeneratorSection } from '../../../coordinator/results/run-report-sections.ts';
import { fixtureReport } from '../compare/compare-fixture.ts';

const worker = (saturatedIntervals: number) => ({
  id: 'w1',
  host: 'h',
  judgedIntervals: 10,
  saturatedIntervals,
  cpu: { mean: 0.5, max: 0.95 },
  eventLoopDelayMs: { p99: 12.5, max: 80 },
  intervals: [],
});
const calm: GeneratorSection = { bound: false, rule: 'r', reasons: [], workers: [worker(0)] };
const bound: GeneratorSection = { bound: true, rule: 'r', reasons: ['worker w1 saturated in 9 of 10 intervals (…)'], workers: [worker(9)] };

test('generator-bound==0 passes on a calm generator, is breached by a bound one, and by a run that did not measure it', (t) => {
  const threshold = parseThreshold('generator-bound==0');
  t.deepEqual(evaluateThreshold(threshold, { ...fixtureReport(), generator: calm }), { expression: 'generator-bound==0', passed: true, actual: '0' });
  t.deepEqual(evaluateThreshold(threshold, { ...fixtureReport(), generator: bound }), { expression: 'generator-bound==0', passed: false, actual: '1' });
  t.false(evaluateThreshold(threshold, fixtureReport()).passed);
  t.throws(() => parseThreshold('generator-bound<5%'), { message: /generator-bound takes a plain number/ });
});

test('the summary says whether the generator bound the run, and why', (t) => {
  t.true(renderSummary({ ...fixtureReport(), generator: calm }).includes("\ngenerator: ok (workers' event-loop delay p99 up to 12.5 ms, CPU up to 95% of one core)\n"));
  t.true(renderSummary({ ...fixtureReport(), generator: bound }).includes('\ngenerator: BOUND: worker w1 saturated in 9 of 10 intervals (…)\n'));
  t.false(renderSummary(fixtureReport()).includes('generator:'));
});
