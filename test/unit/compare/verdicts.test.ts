import test from 'ava';
import { configurationKey, groupRuns, repeatBaseName, type RunSample } from '../../../coordinator/compare/run-groups.ts';
import { judgeGroups, judgeRelativeThresholds } from '../../../coordinator/compare/verdicts.ts';
import { parseRelativeThreshold, parseThreshold } from '../../../coordinator/results/thresholds.ts';
import { renderVerdictsText } from '../../../coordinator/compare/verdicts-text.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { UsageError } from '../../../shared/errors.ts';
import { repeatName } from '../../../coordinator/config/run-flags.ts';
import { fixtureReport } from './compare-fixture.ts';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';

function sample(report: RunReport, label = report.name): RunSample {
  return { label, report, intervalHistograms: [] };
}

/** A report whose 20 per-second intervals hover around opsPerSec (±2%, deterministic). */
function withIntervals(report: RunReport, opsPerSec: number, wobble = 0.02): RunReport {
  const intervals = Array.from({ length: 20 }, (_, t) => {
    const ops = Math.round(opsPerSec * (1 + wobble * Math.sin(t * 1.7)));
    return { t, ok: ops, failed: 0, opsPerSec: ops, p50Ms: 10, p99Ms: 40, maxMs: 50 };
  });
  return { ...report, intervals, throughput: { opsPerSec } };
}

test('runs differing only in name and seed are one configuration; another strategy is another', (t) => {
  const a = fixtureReport({ strategy: 'current', name: 'a-r1' });
  const b = { ...fixtureReport({ strategy: 'current', name: 'a-r2' }), config: { ...a.config, name: 'a-r2', seed: 7 } };
  const c = fixtureReport({ strategy: 'differential' });
  t.is(configurationKey(a), configurationKey(b));
  t.not(configurationKey(a), configurationKey(c));
  const groups = groupRuns([sample(a), sample(c), sample(b)]);
  t.deepEqual(groups.map((g) => [g.name, g.runs.length]), [['a', 2], ['differential-16', 1]]);
  t.is(repeatBaseName('demo-r12'), 'demo');
});

test('a think time of its own makes a run another configuration', (t) => {
  const a = fixtureReport({ strategy: 'current' });
  const loop = { ...a.config.workload.loop, thinkMinMs: 100, thinkMaxMs: 200 } as typeof a.config.workload.loop;
  const b = { ...a, config: { ...a.config, workload: { ...a.config.workload, loop } } };
  t.not(configurationKey(a), configurationKey(b));
});

test('single runs: block bootstrap over intervals finds a 20% throughput gain, not a 0% one', (t) => {
  const base = withIntervals(fixtureReport({ strategy: 'current' }), 100);
  const faster = withIntervals(fixtureReport({ strategy: 'differential' }), 120);
  const same = withIntervals(fixtureReport({ strategy: 'merge' }), 100);
  const verdicts = judgeGroups(groupRuns([sample(base), sample(faster), sample(same)]), { seed: 1, topLockWaits: 5 });
  const ops = (group: string) => verdicts.comparisons.find((c) => c.group === group)!.metrics.find((m) => m.metric === 'ops/s')!;
  t.is(verdicts.comparisons[0].method, 'block-bootstrap');
  t.is(ops('differential-16').verdict, 'better');
  t.is(ops('merge-16').verdict, 'no-difference');
  t.true(ops('differential-16').ci95[0] > 0);
  t.deepEqual(judgeGroups(groupRuns([sample(base), sample(faster)]), { seed: 1, topLockWaits: 5 }), judgeGroups(groupRuns([sample(base), sample(faster)]), { seed: 1, topLockWaits: 5 }));
  t.regex(renderVerdictsText(verdicts), /ops\/s +100\.1 → 120 +\+19\.87% \[\+1\d(\.\d+)?%, \+2\d(\.\d+)?%\] +better/);
});

test('repeats on both sides: between runs, from the runs’ own figures', (t) => {
  const runs = [100, 102, 98].flatMap((ops, i) => [
    sample(fixtureReport({ strategy: 'current', opsPerSec: ops, name: `a-r${i + 1}` })),
    sample(fixtureReport({ strategy: 'differential', opsPerSec: ops * 0.8, name: `b-r${i + 1}` })),
  ]);
  const verdicts = judgeGroups(groupRuns(runs), { seed: 1, topLockWaits: 5 });
  t.is(verdicts.comparisons[0].method, 'between-runs');
  const ops = verdicts.comparisons[0].metrics.find((m) => m.metric === 'ops/s')!;
  t.is(ops.verdict, 'worse');
  t.is(ops.baseline, 100);
  t.is(Math.round(ops.value), 80);
});

test('relative thresholds: breached only when the whole interval lies beyond the allowed change', (t) => {
  const gate = parseRelativeThreshold('p99<baseline*1.10');
  t.deepEqual(gate, { expression: 'p99<baseline*1.10', metric: 'p99', operator: '<', factor: 1.1 });
  const verdicts = (low: number, high: number) => ({
    version: 1 as const,
    seed: 1,
    groups: [],
    comparisons: [
      { group: 'b', baselineGroup: 'a', method: 'between-runs' as const, metrics: [{ metric: 'p99', baseline: 100, value: 100 + (low + high) / 2, difference: (low + high) / 2, ci95: [low, high] as [number, number], verdict: 'worse' as const }] },
    ],
  });
  t.true(judgeRelativeThresholds(verdicts(5, 20), [gate])[0].passed, 'interval straddles +10: not significant');
  t.false(judgeRelativeThresholds(verdicts(12, 20), [gate])[0].passed, 'interval wholly above +10');
  const floor = parseRelativeThreshold('ops/s>baseline*0.95');
  const ops = { ...verdicts(-30, -10), comparisons: [{ ...verdicts(-30, -10).comparisons[0], metrics: [{ ...verdicts(-30, -10).comparisons[0].metrics[0], metric: 'ops/s' }] }] };
  t.false(judgeRelativeThresholds(ops, [floor])[0].passed);
  t.false(judgeRelativeThresholds({ ...ops, comparisons: [{ ...ops.comparisons[0], metrics: [] }] }, [floor])[0].passed, 'unmeasured counts as breached');
});

test('bad relative thresholds and a relative threshold on run are one clear error', (t) => {
  t.throws(() => parseRelativeThreshold('p99<baseline+5'), { instanceOf: UsageError, message: /invalid value "p99<baseline\+5" for --threshold: expected METRIC OP baseline\*FACTOR/ });
  t.throws(() => parseRelativeThreshold('integrity<baseline*1.1'), { instanceOf: UsageError, message: /reads one of/ });
  t.throws(() => parseThreshold('p99<baseline*1.1'), { instanceOf: UsageError, message: /needs one: refswarm compare --baseline DIR/ });
});

test('repeat names: NAME-rN with repeats, NAME alone without, refused past 80 characters', (t) => {
  t.is(repeatName('demo', 3, 5), 'demo-r3');
  t.is(repeatName('demo', 1, 1), 'demo');
  t.throws(() => repeatName('x'.repeat(78), 1, 10), { instanceOf: UsageError, message: /invalid value "x+" for --name: with --repeat 10 .* give a shorter --name/ });
});

test('compare.html shows the verdicts table and the gates', (t) => {
  const base = withIntervals(fixtureReport({ strategy: 'current' }), 100);
  const faster = withIntervals(fixtureReport({ strategy: 'differential' }), 120);
  const verdicts = judgeGroups(groupRuns([sample(base), sample(faster)]), { seed: 1, topLockWaits: 5 });
  const gated = { ...verdicts, thresholds: judgeRelativeThresholds(verdicts, [parseRelativeThreshold('ops/s>baseline*0.95')]) };
  const html = renderCompareHtml(compareRuns([base, faster]), [base, faster], { verdicts: gated });
  t.regex(html, /<h2>Verdicts<\/h2>/);
  t.regex(html, /differential-16 vs current-16 \(block-bootstrap\)/);
  t.regex(html, /<span class="diff better">better<\/span>/);
  t.regex(html, /ops\/s&gt;baseline\*0\.95: passed/);
});

test('an optional switch absent (older run.json) and off are one configuration', (t) => {
  const a = fixtureReport({ strategy: 'current' });
  const b = { ...a, config: { ...a.config, explain: false, workload: { ...a.config.workload, verifyWrites: false } } };
  const c = { ...a, config: { ...a.config, workload: { ...a.config.workload, verifyWrites: true } } };
  t.is(configurationKey(a), configurationKey(b));
  t.not(configurationKey(a), configurationKey(c));
});
