import test from 'ava';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { familyShare } from '../../../coordinator/observe/lock-profile.ts';
import { mergeHistograms } from '../../../shared/histogram.ts';
import { readIntervalLog } from '../../../shared/hlog.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * The observability of whole runs (`refswarm run` with local workers): a hot run of the dms shape
 * waits on heavyweight row locks in a large share of session-samples, a disjoint run almost never;
 * the run's files hold the profile per interval, an interval log that decodes to the merged totals,
 * and a report that `refswarm report DIR` re-renders.
 */

const DATASET = { documents: 500, references: 10_000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('obsrun', DATASET);
const { bin: BIN, env: ENV } = environment;
const RUN = ['run', '--shape', 'dms', '--sessions', '16', '--duration', '4s', '--think', '0', '--local-workers', '2', '--wait-workers', '60s'];

const cli = (args: readonly string[]) => runCli(BIN, args, ENV);


const readReport = (dir: string): RunReport => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport;
const rowLockShare = (r: RunReport): number =>
  ((r.lockWaits?.byEvent['Lock:transactionid'] ?? 0) + (r.lockWaits?.byEvent['Lock:tuple'] ?? 0)) / (r.lockWaits?.sessionSamples || 1);

test.before(() => environment.prepare());

test.after.always(() => environment.cleanup());

test.serial('a hot dms run waits on row locks in a large share of session-samples, and its files line up', async (t) => {
  const result = await cli([...RUN, '--scenario', 'hot', '--name', 'hot']);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  const share = rowLockShare(report);
  t.log(`hot: Lock:transactionid + Lock:tuple = ${(share * 100).toFixed(1)}% of ${report.lockWaits?.sessionSamples} session-samples`, report.lockWaits?.byEvent);
  t.true(share > 0.2, `row-lock share ${share}`);
  t.true((report.lockWaits?.samples ?? 0) >= 20, 'sampled every 100 ms over the run');
  t.true((report.lockWaits?.blocked as { sessionSamples?: number }).sessionSamples! > 0);
  t.true(report.intervals.filter((i) => i.lockWaits).length >= 3, 'lock-wait profile per interval');
  t.true((report.pg?.perOp.deadTuples ?? 0) > 0, 'dead tuples per operation');
  t.true((report.pg?.perOp.walBytes ?? 0) > 0, 'WAL bytes per operation');
  t.regex(result.stdout, /lock-wait profile: /);

  const intervals = readIntervalLog(readFileSync(join(dir, 'intervals.hlog'), 'utf8'));
  t.is(intervals.length, report.intervals.length);
  t.is(mergeHistograms(intervals.map((i) => i.histogram)).totalCount, report.latencyMs.count, 'the interval log adds up to the merged histogram');
  t.regex(readFileSync(join(dir, 'report.html'), 'utf8'), /data-chart="lock-waits" data-points="[1-9]/);

  const summaryBefore = readFileSync(join(dir, 'summary.txt'), 'utf8');
  const htmlBefore = readFileSync(join(dir, 'report.html'), 'utf8');
  rmSync(join(dir, 'report.html'));
  const rerendered = await cli(['report', dir]);
  t.is(rerendered.code, 0, rerendered.stderr);
  t.is(readFileSync(join(dir, 'summary.txt'), 'utf8'), summaryBefore, 'report DIR re-renders the same summary');
  t.is(readFileSync(join(dir, 'report.html'), 'utf8'), htmlBefore, 'and the same report.html');
});

test.serial('a disjoint dms run almost never waits on row locks', async (t) => {
  const result = await cli([...RUN, '--scenario', 'disjoint', '--name', 'disjoint']);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const share = rowLockShare(report);
  t.log(`disjoint: row locks ${(share * 100).toFixed(2)}%`, report.lockWaits?.byEvent);
  t.true((report.lockWaits?.sessionSamples ?? 0) > 100);
  t.true(share < 0.02, `row-lock share ${share}`);
  t.true(familyShare(report.lockWaits?.byEvent ?? {}, 'Lock', report.lockWaits?.sessionSamples ?? 1) < 0.05);
});
