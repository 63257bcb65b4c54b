import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPg } from '../../../shared/pg-connect.ts';
import type { StrategyName } from '../../../shared/run-config.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * `refswarm sweep` end to end: a 2 × 2 matrix (sessions 1,2 × strategies current,differential)
 * with local workers and --restore-after, into one sweep folder with its own comparison; then
 * `refswarm compare` over the sweep's runs and `refswarm restore --all-touched-from` the folder.
 */

const DATASET = { documents: 300, references: 6000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('sweep', DATASET, { resultsSubdir: 'results' });
const { bin: BIN, databaseUrl, root, env: ENV } = environment;

function refswarm(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { env: ENV, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The whole Reference table as a multiset of rows without identity ids. */
function referenceDigest(): Promise<string> {
  return withPg(databaseUrl, async (c) => {
    const { rows } = await c.query<{ d: string }>(
      `SELECT count(*) || ':' || md5(string_agg(concat_ws(' ', ParentDocumentId, ReferentialId, ReferencedDocumentId), ',' ORDER BY
         ParentDocumentId, ReferentialId, ReferencedDocumentId)) AS d FROM dms.Reference`,
    );
    return rows[0].d;
  });
}

test.before(() => environment.prepare());

test.after.always(() => environment.cleanup());

test.serial('a 2 × 2 sweep runs back to back into one folder with its comparison, and restores after each run', async (t) => {
  const before = await referenceDigest();
  const folder = join(root, 'sweep-a');
  const result = await refswarm([
    'sweep',
    '--sessions', '1,2',
    '--strategy', 'current,differential',
    '--scenario', 'disjoint',
    '--iterations', '8',
    '--think', '0',
    '--local-workers', '1',
    '--restore-after',
    '--threshold', 'integrity==0',
    '--name', 'matrix',
    '--output', folder,
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^sessions +current +differential$/m);
  t.regex(result.stdout, new RegExp(`sweep: ${folder}`));

  const index = JSON.parse(readFileSync(join(folder, 'sweep.json'), 'utf8')) as {
    cells: { sessions: number; strategy: StrategyName; directory?: string; error?: string }[];
  };
  t.deepEqual(index.cells.map((c) => [c.sessions, c.strategy]), [[1, 'current'], [1, 'differential'], [2, 'current'], [2, 'differential']]);
  t.true(index.cells.every((c) => c.error === undefined && c.directory !== undefined), JSON.stringify(index.cells));
  for (const cell of index.cells) {
    const report = JSON.parse(readFileSync(join(folder, cell.directory!, 'run.json'), 'utf8')) as RunReport;
    t.is(report.config.workload.strategy, cell.strategy);
    t.is(report.sessions.completed, cell.sessions);
    t.is(report.ops.ok + report.ops.failed, 8 * cell.sessions);
    t.deepEqual(report.thresholds?.map((th) => th.passed), [true]);
  }
  const html = readFileSync(join(folder, 'compare.html'), 'utf8');
  t.is(html.match(/<polyline/g)?.length, 4, 'throughput and p99 lines, one per strategy');
  t.notRegex(html, /https?:\/\/|<script/);
  t.regex(readFileSync(join(folder, 'compare.txt'), 'utf8'), /differences in parentheses are against \[1\]/);
  t.is(await referenceDigest(), before, '--restore-after put every touched document back');

  const compared = await refswarm(['compare', ...index.cells.map((c) => join(folder, c.directory!)), '--output', join(root, 'c.html')]);
  t.is(compared.code, 0, compared.stderr);
  t.regex(compared.stdout, /\[4\] matrix-disjoint-differential-bare-2/);
  t.true(existsSync(join(root, 'c.html')));

  // Restoring again from the folder finds the same documents already in place and changes nothing.
  const restored = await refswarm(['restore', '--all-touched-from', folder]);
  t.is(restored.code, 0, restored.stderr);
  t.regex(restored.stdout, /from 4 runs under/);
  t.is(await referenceDigest(), before);
});

test.serial('a sweep whose runs breach a threshold exits 3 after running them all', async (t) => {
  const folder = join(root, 'sweep-b');
  const result = await refswarm([
    'sweep', '--sessions', '1', '--strategy', 'current,merge', '--scenario', 'noop', '--iterations', '3', '--think', '0',
    '--local-workers', '1', '--threshold', 'ops/s>100000000', '--output', folder,
  ]);
  t.is(result.code, 3, result.stderr);
  t.regex(result.stderr, /thresholds breached in 2 of 2 runs/);
  t.true(existsSync(join(folder, 'compare.html')));
});

test.serial('a sweep whose later cell does not fit the dataset is refused before it runs any cell', async (t) => {
  const folder = join(root, 'sweep-c');
  // 4 partitions: single fits, cross-partition with 8 documents from distinct partitions does not.
  const result = await refswarm([
    'sweep', '--sessions', '1', '--scenario', 'single,cross-partition', '--batch-size', '8', '--iterations', '3', '--think', '0',
    '--local-workers', '1', '--output', folder,
  ]);
  t.is(result.code, 2, result.stderr);
  t.is(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  t.regex(result.stderr, /batch-size.*\(sweep run .*cross-partition.*, 1 sessions\)/);
  t.notRegex(result.stderr, /sweep: run 1 of 2/, 'no cell ran');
  t.false(existsSync(folder), 'nothing was written');
});
