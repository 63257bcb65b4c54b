import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * --verify-writes end to end (`refswarm run` with a local worker): in the bare shape, sessions that
 * rewrite the same two documents with the current strategy (DELETE then INSERT, autocommit) leave
 * unions of two committed sets, which the sessions read back right after their writes — while the
 * final state, rewritten again and again, may hold none. The dms shape locks the parent Document row
 * first: no session ever reads back a state no single operation wrote.
 */

const DATASET = { documents: 200, references: 2000, avgRefsPerDoc: 10, partitions: 4 };
const environment = testEnvironment('verifywrites', DATASET);
const RUN = [
  'run', '--scenario', 'hot', '--hot-docs', '2', '--sessions', '16', '--iterations', '40', '--think', '0',
  '--refs-min', '5', '--refs-max', '30', '--verify-writes', '--local-workers', '1', '--wait-workers', '60s', '--seed', '11',
];

test.before(() => environment.prepare());
test.after.always(() => environment.cleanup());

test.serial('hot, bare: the read-backs see unions of two committed sets, named after the sessions and operations that wrote them', async (t) => {
  const result = await runCli(environment.bin, [...RUN, '--shape', 'bare', '--name', 'hot-bare'], environment.env);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const observed = report.integrity?.observed;
  t.truthy(observed, 'integrity.observed in run.json');
  if (!observed || !report.integrity) return;
  t.log(`final-state violations ${report.integrity.violations}; observed`, { ...observed, examples: observed.examples.length, named: observed.examples.filter((e) => e.mixed.length > 0).length });
  t.is(observed.writesChecked, report.ops.ok, 'every committed write was read back (one document per operation)');
  t.true(observed.anomalies > 0, `${observed.anomalies} anomalies observed`);
  t.true(observed.anomalies > report.integrity.violations, 'more than the final state still shows');
  t.is(observed.per1000, Math.round((observed.anomalies / observed.writesChecked) * 1000 * 100) / 100);
  const union = observed.examples.find((e) => e.diagnosis === 'union of two committed sets');
  t.truthy(union, 'an example of a union of two committed sets');
  if (!union) return;
  t.true([1, 2].includes(union.documentId));
  t.is(union.mixed.length, 2);
  t.true(union.mixed.every((m) => m.set === 'committed' && m.writtenBy.length > 0 && m.writtenBy.every((w) => w.sessionId < 16 && w.operation >= 1 && w.operation <= 40)));
  t.is(union.rows, union.mixed[0].rows + union.mixed[1].rows);
  t.true(union.seenBy.sessionId < 16 && union.seenBy.operation >= 1);
  t.true((observed.readBacks ?? 0) > 0 && (observed.readBackMicrosMean ?? 0) > 0);
  t.regex(readFileSync(join(resultsDirOf(result), 'report.html'), 'utf8'), /Observed right after each write[\s\S]*union of two committed sets/);
  t.regex(result.stdout, /\nobserved anomalies: [1-9]\d* in \d+ writes read back \(/);
});

test.serial('hot, dms: the read-backs see only committed sets', async (t) => {
  const result = await runCli(environment.bin, [...RUN, '--shape', 'dms', '--name', 'hot-dms'], environment.env);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  const observed = report.integrity?.observed;
  t.truthy(observed);
  t.is(report.integrity?.violations, 0);
  t.true((observed?.writesChecked ?? 0) > 0);
  t.is(observed?.anomalies, 0, JSON.stringify(observed?.examples));
  t.deepEqual(observed?.examples, []);
});
