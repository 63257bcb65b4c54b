import test from 'ava';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns, relativeDifference, topLockWaitEvents, type CompareRow } from '../../../coordinator/compare/compare.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import { checkRunReport, readRunReport } from '../../../coordinator/results/read-run-report.ts';
import { renderCompareText } from '../../../coordinator/compare/compare-text.ts';
import { compareCommand } from '../../../coordinator/cli/compare-command.ts';
import { UsageError } from '../../../shared/errors.ts';
import { fixtureReport } from './compare-fixture.ts';

const base = fixtureReport({ strategy: 'current', opsPerSec: 160, p99: 40 });
const faster = fixtureReport({
  strategy: 'differential',
  opsPerSec: 216,
  p99: 30,
  failed: 0,
  byEvent: { CPU: 1280, 'Client:ClientRead': 240, 'IO:DataFileRead': 80 },
  perOp: { deadTuples: 10, walBytes: 6000, buffersHit: 12 },
});
const partial = fixtureReport({ strategy: 'merge', opsPerSec: 170, noPg: true, violations: null });

function row(rows: readonly CompareRow[], group: string, label: string): CompareRow {
  const found = rows.find((r) => r.group === group && r.label === label);
  if (!found) throw new Error(`no row ${group}/${label}: ${rows.map((r) => `${r.group}/${r.label}`).join(', ')}`);
  return found;
}

test('relativeDifference marks changes against the base', (t) => {
  t.is(relativeDifference(160, 216), '+35%');
  t.is(relativeDifference(40, 30), '-25%');
  t.is(relativeDifference(160, 170), '+6.3%');
  t.is(relativeDifference(1000, 1001), '+0.1%');
  t.is(relativeDifference(100000, 100001), '+0%');
  t.is(relativeDifference(5, 5), undefined);
  t.is(relativeDifference(0, 5), '+5');
  t.is(relativeDifference(0, 12.5, (v) => `${v}%`), '+12.5%');
});

test('compareRuns lays every measure of the issue out, one cell per run', (t) => {
  const { runs, rows } = compareRuns([base, faster, partial], ['a', 'b', 'c']);
  t.deepEqual(runs.map((r) => r.label), ['a', 'b', 'c']);
  t.deepEqual(row(rows, 'run', 'strategy').cells.map((c) => c.text), ['current', 'differential', 'merge']);
  for (const label of ['scenario', 'shape', 'sessions']) t.truthy(row(rows, 'run', label));
  for (const label of ['p50', 'p95', 'p99', 'max']) t.truthy(row(rows, 'latency ms', label));
  t.truthy(row(rows, 'throughput', 'retried'));
  t.truthy(row(rows, 'integrity', 'violations'));
  t.truthy(row(rows, 'per operation', 'dead tuples'));
  t.truthy(row(rows, 'per operation', 'WAL bytes'));
  t.truthy(row(rows, 'lock-wait share', 'Lock:transactionid'));
  t.true(rows.every((r) => r.cells.length === 3));
});

test('differences against the first run, with better/worse direction', (t) => {
  const { rows } = compareRuns([base, faster, partial]);
  const ops = row(rows, 'throughput', 'ops/s');
  t.deepEqual(ops.cells.map((c) => [c.text, c.diff, c.improved]), [
    ['160', undefined, undefined],
    ['216', '+35%', true],
    ['170', '+6.3%', true],
  ]);
  const p99 = row(rows, 'latency ms', 'p99');
  t.deepEqual(p99.cells.map((c) => [c.text, c.diff, c.improved]), [
    ['40', undefined, undefined],
    ['30', '-25%', true],
    ['40', undefined, undefined],
  ]);
  const deadlocks = row(rows, 'errors by class', '40P01 deadlock');
  t.deepEqual(deadlocks.cells.map((c) => [c.text, c.diff, c.improved]), [
    ['15', undefined, undefined],
    ['0', '-100%', true],
    ['15', undefined, undefined],
  ]);
});

test('what a run lacks shows as "-", never as zero', (t) => {
  const { rows } = compareRuns([base, partial]);
  t.deepEqual(row(rows, 'integrity', 'violations').cells.map((c) => c.text), ['0', '-']);
  t.deepEqual(row(rows, 'per operation', 'WAL bytes').cells.map((c) => [c.text, c.value]), [['12345', 12345], ['-', null]]);
});

test('--verify-writes: observed anomalies per 1000 writes, a row only when some run verified its writes', (t) => {
  t.false(compareRuns([base, faster]).rows.some((r) => r.label.startsWith('observed anomalies')));
  const observed = { writesChecked: 640, anomalies: 206, per1000: 321.88, examples: [] };
  const verified = { ...faster, integrity: { documentsChecked: 2, violations: 0, examples: [], observed } };
  t.deepEqual(row(compareRuns([base, verified]).rows, 'integrity', 'observed anomalies per 1000 writes').cells.map((c) => c.value), [null, 321.88]);
});

test('per-operation figures: dead tuples and WAL bytes first, then the rest', (t) => {
  const { rows } = compareRuns([base, faster]);
  t.deepEqual(rows.filter((r) => r.group === 'per operation').map((r) => r.label), ['dead tuples', 'WAL bytes', 'buffers hit']);
});

test('lock-wait categories: union of each run top N, largest first', (t) => {
  t.deepEqual(topLockWaitEvents([base, faster], 2), ['CPU', 'Lock:transactionid', 'Client:ClientRead']);
  const { rows } = compareRuns([base, faster], undefined, { topLockWaits: 2 });
  const shares = rows.filter((r) => r.group === 'lock-wait share');
  t.deepEqual(shares.map((r) => r.label), ['CPU', 'Lock:transactionid', 'Client:ClientRead']);
  t.deepEqual(shares[1].cells.map((c) => [c.text, c.diff]), [['30%', undefined], ['0%', '-100%']]);
});

const GOLDEN_TEXT = `[1] results/a (01900000-0000-7000-8000-000000000001)
[2] results/b (01900000-0000-7000-8000-000000000001)

                               [1] current-16             [2] differential-16
run:
  strategy                     current                    differential
  scenario                     single                     single
  shape                        bare                       bare
  sessions                                            16                         16
  dataset                      D=2000 R=100000 A=50 P=16  D=2000 R=100000 A=50 P=16
  schema                       referential-id             referential-id
  duration s                                          10                         10
  sessions lost                                        0                          0
throughput:
  ops/s                                              160                 216 (+35%)
  ops ok                                            1580                       1580
  failed                                              20                  0 (-100%)
  failed %                                         1.25%                 0% (-100%)
  retried                                              5                          5
latency ms:
  p50                                                  8                          8
  p95                                                 30                         30
  p99                                                 40                  30 (-25%)
  max                                                120                  90 (-25%)
errors by class:
  23503 foreign key violation                          5                  0 (-100%)
  40P01 deadlock                                      15                  0 (-100%)
integrity:
  violations                                           0                          0
  documents checked                                  900                        900
per operation:
  dead tuples                                       55.5                  10 (-82%)
  WAL bytes                                        12345                6000 (-51%)
  buffers hit                                          -                         12
lock-wait share:
  CPU                                                50%                 80% (+60%)
  Lock:transactionid                                 30%                 0% (-100%)
  Client:ClientRead                                  15%                        15%

differences in parentheses are against [1]
`;

test('text table: a column per run, groups, differences in parentheses (golden)', (t) => {
  t.is(renderCompareText(compareRuns([base, faster], ['results/a', 'results/b'], { topLockWaits: 2 })), GOLDEN_TEXT);
});

test('compare.html is self-contained: no scripts, no links, no network', (t) => {
  const reports = [base, faster, partial];
  const html = renderCompareHtml(compareRuns(reports), reports);
  t.true(html.startsWith('<!DOCTYPE html>'));
  t.notRegex(html, /https?:\/\//);
  t.notRegex(html, /<script|<link|src=/);
  t.regex(html, /<svg/);
  t.regex(html, /class="diff better">\+35%</);
  t.regex(html, /lock-wait profile/);
});

test('compare.html escapes run names', (t) => {
  const evil = fixtureReport({ name: '<img onerror=x>' });
  const html = renderCompareHtml(compareRuns([evil]), [evil]);
  t.false(html.includes('<img'));
  t.true(html.includes('&lt;img onerror=x&gt;'));
});

test('checkRunReport names what is wrong', (t) => {
  t.throws(() => checkRunReport([], 'x/run.json'), { instanceOf: UsageError, message: '"x/run.json" is not a refswarm run.json: expected an object, got []' });
  t.throws(() => checkRunReport({ name: 'n' }, 'x'), { message: /^"x" is not a refswarm run.json: version: expected 1, got nothing/ });
  t.throws(() => checkRunReport({ version: 1, name: 'n', runId: 'r' }, 'y'), { message: '"y" is not a refswarm run.json: config: expected an object, got nothing' });
  t.notThrows(() => checkRunReport(JSON.parse(JSON.stringify(base)), 'z'));
});

test('compare command: reads directories, prints the table, writes compare.html', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'refswarm-compare-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  for (const [name, report] of [['a', base], ['b', faster]] as const) {
    await mkdir(join(root, name));
    await writeFile(join(root, name, 'run.json'), JSON.stringify(report));
  }
  let out = '';
  const stdout = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  const context = { env: {}, stdout, stderr: process.stderr, signal: new AbortController().signal };
  const output = join(root, 'cmp', 'compare.html');
  const code = await compareCommand.run([join(root, 'a'), join(root, 'b', 'run.json'), '--output', output], context);
  t.is(code, 0);
  t.regex(out, /216 \(\+35%\)/);
  t.regex(await readFile(output, 'utf8'), /<table>/);
  await t.throwsAsync(readRunReport(join(root, 'missing')), { instanceOf: UsageError, message: /no such results directory/ });
  await t.throwsAsync(compareCommand.run([], context), { instanceOf: UsageError, message: /at least one results directory/ });
  await mkdir(join(root, 'empty'));
  await t.throwsAsync(readRunReport(join(root, 'empty')), { message: /holds no run.json/ });
  out = '';
  t.is(await compareCommand.run([root, '--output', output], context), 0, 'a folder of runs stands for every run in it');
  t.regex(out, /\[2\] .*b \(/);
});
