import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPhaseLog } from '../../../shared/hlog.ts';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * Per-phase latency of whole runs (`refswarm run` with local workers): on two hot documents the dms
 * shape's sessions queue on the FOR NO KEY UPDATE lock, so the lock phase's p99 is above the strategy
 * phase's; every phase counts the ok operations that went through it; mixed keeps reads apart from writes.
 */

const DATASET = { documents: 300, references: 6000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('phases', DATASET);
const { bin: BIN, env: ENV } = environment;
const RUN = ['run', '--sessions', '8', '--duration', '3s', '--think', '0', '--local-workers', '2', '--wait-workers', '60s'];

const cli = (args: readonly string[]) => runCli(BIN, args, ENV);

test.before(() => environment.prepare());

test.after.always(() => environment.cleanup());

test.serial('hot + dms: the lock phase p99 is above the strategy phase p99, and each phase counts the ok operations', async (t) => {
  const result = await cli([...RUN, '--shape', 'dms', '--scenario', 'hot', '--hot-docs', '2', '--name', 'phases-hot']);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  const phases = report.phases ?? {};
  t.deepEqual(Object.keys(phases), ['lock', 'update', 'strategy', 'commit']);
  t.log(`lock p99 ${phases.lock?.p99} ms, strategy p99 ${phases.strategy?.p99} ms, operation p99 ${report.latencyMs.p99} ms`);
  t.true(report.ops.ok > 0);
  for (const [name, phase] of Object.entries(phases)) t.is(phase.count, report.ops.ok, `${name} counts every ok operation once`);
  t.is(report.latencyMs.count, report.ops.ok, 'the main histogram still holds the whole operations');
  t.true(phases.lock!.p99 > phases.strategy!.p99, `lock p99 ${phases.lock!.p99} ms > strategy p99 ${phases.strategy!.p99} ms`);
  t.true(phases.lock!.mean + phases.update!.mean + phases.strategy!.mean + phases.commit!.mean <= report.latencyMs.mean, 'phases sum to at most the operation');

  const logged = readPhaseLog(readFileSync(join(dir, 'phases.hlog'), 'utf8'));
  t.deepEqual([...logged.keys()], Object.keys(phases));
  t.is(logged.get('lock')!.totalCount, phases.lock!.count, 'phases.hlog holds the same histograms');
  t.regex(result.stdout, /^phase lock latency: average .* ms \(\d+\)$/m);
});

test.serial('mixed: reads and writes are apart, and together count the ok operations', async (t) => {
  const result = await cli([...RUN, '--scenario', 'mixed', '--read-ratio', '0.5', '--name', 'phases-mixed']);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const phases = report.phases ?? {};
  t.deepEqual(Object.keys(phases), ['call', 'read']);
  t.is(phases.call!.count + phases.read!.count, report.ops.ok);
});
