import test from 'ava';
import { UsageError } from '../../../shared/errors.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import {
  cellRunName,
  contentionKnee,
  expandSweep,
  MAX_SWEEP_CELLS,
  interleaveRepeats,
  parseSessionsList,
  parseSweepAxes,
  sweepSeries,
} from '../../../coordinator/compare/sweep.ts';
import { renderSweepText } from '../../../coordinator/compare/sweep-text.ts';
import { renderSweepSections } from '../../../coordinator/html/sweep-html.ts';
import { fixtureReport } from './compare-fixture.ts';

test('the issue example: 4 session counts × 3 strategies = 12 runs, sessions ascending, strategies interleaved', (t) => {
  const cells = expandSweep(parseSweepAxes({ sessions: '1,4,16,64', strategy: 'current,differential,merge' }));
  t.is(cells.length, 12);
  t.deepEqual(cells.slice(0, 4).map((c) => [c.sessions, c.strategy]), [
    [1, 'current'],
    [1, 'differential'],
    [1, 'merge'],
    [4, 'current'],
  ]);
  t.deepEqual(cells.map((c) => c.index), [...Array(12).keys()]);
  t.true(cells.every((c) => c.scenario === 'single' && c.shape === 'bare'));
  t.deepEqual([...new Set(cells.map((c) => c.series))], ['current', 'differential', 'merge']);
});

test('sessions run ascending whatever order they are given in', (t) => {
  const cells = expandSweep(parseSweepAxes({ sessions: '16,1,4' }));
  t.deepEqual(cells.map((c) => c.sessions), [1, 4, 16]);
  t.deepEqual(cells.map((c) => c.strategy), ['current', 'current', 'current']);
});

test('series name only what varies besides sessions', (t) => {
  const cells = expandSweep(parseSweepAxes({ sessions: '2', strategy: 'current,merge', shape: 'bare,dms', scenario: 'hot' }));
  t.deepEqual(cells.map((c) => c.series), ['current bare', 'merge bare', 'current dms', 'merge dms']);
  t.is(cellRunName('nightly', cells[3]), 'nightly-hot-merge-dms-2');
});

const BAD: ReadonlyArray<[Parameters<typeof parseSweepAxes>[0], RegExp]> = [
  [{ sessions: '1,,4' }, /invalid value "1,,4" for --sessions: expected a comma-separated list/],
  [{ sessions: '1,x' }, /invalid value "x" for --sessions/],
  [{ sessions: '0' }, /for --sessions: expected an integer from 1/],
  [{ sessions: '4,4' }, /"4,4" for --sessions: a value is repeated/],
  [{ strategy: 'current,fastest' }, /"fastest" is not one of current, differential, merge/],
  [{ scenario: 'single,cold' }, /for --scenario: "cold" is not one of/],
  [{ shape: 'dms,' }, /for --shape/],
];

for (const [raw, message] of BAD) {
  test(`rejects ${JSON.stringify(raw)}`, (t) => {
    t.throws(() => parseSweepAxes(raw), { instanceOf: UsageError, message });
  });
}

test('a matrix larger than the bound is refused, saying how to shrink it', (t) => {
  const sessions = Array.from({ length: 70 }, (_, i) => i + 1).join(',');
  t.throws(() => expandSweep(parseSweepAxes({ sessions, strategy: 'current,differential,merge' })), {
    instanceOf: UsageError,
    message: new RegExp(`210 runs, more than ${MAX_SWEEP_CELLS}`),
  });
  t.deepEqual(parseSessionsList('1, 2'), [1, 2]);
});

function sweepFixture(): { cells: ReturnType<typeof expandSweep>; reports: Map<number, RunReport> } {
  const cells = expandSweep(parseSweepAxes({ sessions: '1,4,16', strategy: 'current,merge' }));
  const throughput: Record<string, number[]> = { current: [100, 300, 310], merge: [100, 350, 900] };
  const reports = new Map<number, RunReport>();
  for (const cell of cells) {
    const level = [1, 4, 16].indexOf(cell.sessions);
    if (cell.strategy === 'merge' && cell.sessions === 4) continue; // this run failed
    reports.set(cell.index, fixtureReport({ strategy: cell.strategy, sessions: cell.sessions, opsPerSec: throughput[cell.strategy][level], p99: 10 * (level + 1) }));
  }
  return { cells, reports };
}

test('series: throughput and p99 against sessions, failed runs left out', (t) => {
  const { cells, reports } = sweepFixture();
  const series = sweepSeries(cells, reports);
  t.deepEqual(series.throughput.map((s) => [s.name, s.points.map((p) => [p.x, p.y])]), [
    ['current', [[1, 100], [4, 300], [16, 310]]],
    ['merge', [[1, 100], [16, 900]]],
  ]);
  t.deepEqual(series.p99[0].points.map((p) => p.y), [10, 20, 30]);
});

test('contention knee: the last session count before throughput stops scaling', (t) => {
  t.is(contentionKnee({ name: 'a', points: [{ x: 1, y: 100 }, { x: 4, y: 300 }, { x: 16, y: 310 }, { x: 64, y: 200 }] }), 4);
  t.is(contentionKnee({ name: 'b', points: [{ x: 16, y: 800 }, { x: 1, y: 100 }, { x: 4, y: 390 }] }), undefined);
  t.is(contentionKnee({ name: 'c', points: [{ x: 1, y: 100 }, { x: 4, y: 90 }] }), 1);
  t.is(contentionKnee({ name: 'd', points: [] }), undefined);
});

test('sweep text: a row per session count, a column per series, knees below', (t) => {
  const { cells, reports } = sweepFixture();
  const text = renderSweepText(cells, reports);
  const lines = text.split('\n');
  t.regex(lines[0], /^sessions +current +merge$/);
  t.regex(lines[1], /^ +1 +100\.0 ops\/s, p99 10ms +100\.0 ops\/s, p99 10ms$/);
  t.regex(lines[2], /^ +4 +300\.0 ops\/s, p99 20ms +failed$/);
  t.true(text.includes('current: throughput stops scaling after 4 sessions'));
  t.true(text.includes('merge: throughput still scaling at the largest session count'));
});

test('sweep sections of the HTML: two charts, knees, runs without results named', (t) => {
  const { cells, reports } = sweepFixture();
  const html = renderSweepSections(cells, reports).join('\n');
  t.is(html.match(/<svg/g)?.length, 2);
  t.is(html.match(/<polyline/g)?.length, 4);
  t.regex(html, /stops scaling after <b>4<\/b> sessions/);
  t.regex(html, /Runs without results: merge × 4/);
  t.notRegex(html, /https?:|<script/);
});

test('with repeats the whole matrix runs again and again: A B A B, never A A B B', (t) => {
  const cells = expandSweep(parseSweepAxes({ sessions: '4', strategy: 'current,merge' }));
  const order = interleaveRepeats(cells, 3).map(({ cell, repeat }) => `${cell.strategy}${repeat}`);
  t.deepEqual(order, ['current1', 'merge1', 'current2', 'merge2', 'current3', 'merge3']);
  t.deepEqual(interleaveRepeats(cells, 1).map(({ cell }) => cell.index), [0, 1]);
});
