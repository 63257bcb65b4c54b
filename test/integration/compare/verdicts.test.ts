import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testEnvironment } from '../support/test-environment.ts';
import type { CompareJson } from '../../../coordinator/compare/compare-json.ts';

/**
 * Verdicts on real runs: `run --repeat 2` of one configuration under two names (identical runs), a
 * third run differing only in think time; `compare --json` judges the identical pair no different
 * and the think time different; `--baseline` gates exit 3 only on a significant breach.
 */

const DATASET = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 2 };
const environment = testEnvironment('verdicts', DATASET, { resultsSubdir: 'results' });
const { bin: BIN, root, env: ENV } = environment;
const RESULTS = join(root, 'results');

function refswarm(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { env: ENV, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const RUN = ['run', '--scenario', 'noop', '--sessions', '8', '--duration', '10s', '--local-workers', '1'];

function runDirectory(name: string): string {
  const found = readdirSync(RESULTS).filter((d) => d.endsWith(`_${name}`));
  if (found.length !== 1) throw new Error(`expected one results folder named ${name}, found ${found.join(', ')}`);
  return join(RESULTS, found[0]);
}

function opsVerdict(verdicts: CompareJson, group: string): string | undefined {
  return verdicts.comparisons.find((c) => c.group === group)?.metrics.find((m) => m.metric === 'ops/s')?.verdict;
}

test.before(() => environment.prepare());
test.after.always(() => environment.cleanup());

test.serial('two identical runs are judged no different; a run differing only in think time is judged different', async (t) => {
  const repeated = await refswarm([...RUN, '--think', '5-10ms', '--name', 'same', '--repeat', '2']);
  t.is(repeated.code, 0, repeated.stderr);
  t.regex(repeated.stdout, /^repeats ops\/s: mean [\d.]+, min [\d.]+, max [\d.]+ \(2 repeats\)$/m);
  const slower = await refswarm([...RUN, '--think', '50-60ms', '--name', 'slower']);
  t.is(slower.code, 0, slower.stderr);

  const first = runDirectory('same-r1');
  const second = runDirectory('same-r2');
  const output = join(root, 'pair', 'compare.html');
  // Two runs of one name are repeats of one group: compare them as two groups through --baseline.
  const pair = await refswarm(['compare', '--json', '--baseline', first, second, '--output', output]);
  t.is(pair.code, 0, pair.stderr);
  const identical = JSON.parse(pair.stdout) as CompareJson;
  t.is(identical.comparisons.length, 1);
  t.is(identical.comparisons[0].method, 'block-bootstrap');
  for (const metric of identical.comparisons[0].metrics.filter((m) => m.metric === 'ops/s' || m.metric === 'errors')) {
    t.is(metric.verdict, 'no-difference', JSON.stringify(metric));
  }
  t.deepEqual(JSON.parse(readFileSync(join(root, 'pair', 'compare.json'), 'utf8')), identical, 'compare.json beside compare.html holds the same');
  t.true(existsSync(output));

  const different = await refswarm(['compare', '--json', first, runDirectory('slower'), '--output', join(root, 'think', 'compare.html')]);
  t.is(different.code, 0, different.stderr);
  const verdicts = JSON.parse(different.stdout) as CompareJson;
  t.is(opsVerdict(verdicts, 'slower'), 'worse', JSON.stringify(verdicts.comparisons));

  const again = await refswarm(['compare', '--json', first, runDirectory('slower'), '--output', join(root, 'think2', 'compare.html')]);
  t.deepEqual(JSON.parse(again.stdout), verdicts, 'seeded: the same files give the same verdicts');
});

test.serial('--baseline gates: a significant breach exits 3, an allowance wide enough passes', async (t) => {
  const base = runDirectory('same-r1');
  const slower = runDirectory('slower');
  const breached = await refswarm(['compare', base, slower, '--baseline', base, '--threshold', 'ops/s>baseline*0.95', '--output', join(root, 'gate', 'compare.html')]);
  t.is(breached.code, 3, breached.stdout + breached.stderr);
  t.regex(breached.stderr, /ops\/s>baseline\*0\.95/);
  const passed = await refswarm(['compare', slower, '--baseline', base, '--threshold', 'ops/s>baseline*0.05', '--output', join(root, 'gate2', 'compare.html')]);
  t.is(passed.code, 0, passed.stdout + passed.stderr);
  t.regex(passed.stdout, /threshold ops\/s>baseline\*0\.05: passed/);
});
