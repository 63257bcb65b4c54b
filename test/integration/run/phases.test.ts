import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { readPhaseLog } from '../../../shared/hlog.ts';
import { withDatabase } from '../../../shared/connection.ts';
import { withPg } from '../../../shared/pg-connect.ts';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * Per-phase latency of whole runs (`refswarm run` with local workers): on two hot documents the dms
 * shape's sessions queue on the FOR NO KEY UPDATE lock, so the lock phase's p99 is above the strategy
 * phase's; every phase counts the ok operations that went through it; mixed keeps reads apart from writes.
 * Where the server preloads pg_wait_sampling, the hot run's wait profile comes from it, per statement.
 */

const DATASET = { documents: 300, references: 6000, avgRefsPerDoc: 20, partitions: 4 };
const environment = testEnvironment('phases', DATASET);
const { bin: BIN, env: ENV } = environment;
const RUN = ['run', '--sessions', '8', '--duration', '3s', '--think', '0', '--local-workers', '2', '--wait-workers', '60s'];

const cli = (args: readonly string[]) => runCli(BIN, args, ENV);

/** Why the server cannot give the in-server wait profile, or undefined when it can. */
const waitSamplingAbsence = await withPg(withDatabase(environment.baseUrl, 'postgres'), async (client) => {
  const { rows } = await client.query<{ preloaded: boolean; available: boolean }>(
    `SELECT 'pg_wait_sampling' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_wait_sampling') AS available`,
  );
  if (!rows[0]!.available) return 'the server has no pg_wait_sampling (apt-get install postgresql-15-pg-wait-sampling; .ci/run installs it)';
  if (!rows[0]!.preloaded) return 'the server does not preload pg_wait_sampling (.ci/run configures it)';
  return undefined;
});
if (waitSamplingAbsence) console.warn(`phases: ${waitSamplingAbsence}, skipping the pg_wait_sampling test`);
const waitSamplingTest = waitSamplingAbsence === undefined ? test.serial : test.serial.skip;

let hotReport: RunReport | undefined;

test.before(() => environment.prepare());

test.after.always(() => environment.cleanup());

test.serial('hot + dms: the lock phase p99 is above the strategy phase p99, and each phase counts the ok operations', async (t) => {
  const result = await cli([...RUN, '--shape', 'dms', '--scenario', 'hot', '--hot-docs', '2', '--name', 'phases-hot']);
  t.is(result.code, 0, result.stderr);
  const dir = resultsDirOf(result);
  const report = readReport(dir);
  hotReport = report;
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

waitSamplingTest('with pg_wait_sampling preloaded, the hot run\'s wait profile is in-server and shows what the lock statement waits on', (t) => {
  const lockWaits = hotReport?.lockWaits;
  t.truthy(lockWaits, 'the hot run above wrote lockWaits');
  t.is(lockWaits!.source, 'pg_wait_sampling', lockWaits!.sourceNote);
  t.true(lockWaits!.sessionSamples > 0);
  t.truthy(lockWaits!.clientSampler, 'the client sampler\'s counts stay beside it');
  const lock = lockWaits!.statements?.find((s) => /FOR NO KEY UPDATE/i.test(s.query ?? ''));
  t.log(lockWaits!.statements?.slice(0, 4).map((s) => `${s.samples} ${JSON.stringify(s.byEvent)} ${s.query?.slice(0, 60)}`));
  t.truthy(lock, 'the lock statement is among the statements, with its text from pg_stat_statements');
  t.true(Object.keys(lock!.byEvent).some((event) => event.startsWith('Lock:')), 'and it waits on heavyweight locks');
  t.is(lock!.phase, 'lock');
  const lockPhase = lockWaits!.byPhase?.lock ?? {};
  t.true((lockPhase['Lock:transactionid'] ?? 0) + (lockPhase['Lock:tuple'] ?? 0) > 0, 'split by phase: the lock phase waits on row locks');
});
