import test from 'ava';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { renderCompareText } from '../../../coordinator/compare/compare-text.ts';
import { environmentWarnings } from '../../../coordinator/compare/environment-diff.ts';
import type { EnvironmentSection } from '../../../coordinator/results/run-report-sections.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import { fixtureReport } from './compare-fixture.ts';

const HOST = { host: 'a', cpus: 2, cpuModel: 'AMD EPYC', memoryBytes: 24 * 2 ** 30, nodeVersion: 'v20.20.2', refswarmVersion: '0.1.0', gitCommit: '6afab6eea3dabe3fc2e07295eb6f11497b3fd0d2' };
const ENVIRONMENT: EnvironmentSection = {
  server: { version: '15.10', versionNum: 150010, settings: { shared_buffers: '128MB', max_connections: '400' } },
  coordinator: HOST,
  workers: [{ id: 'w1', ...HOST }, { id: 'w2', ...HOST }],
  datasetChecksum: 'a'.repeat(64),
};

const withEnvironment = (environment: EnvironmentSection | undefined): RunReport => ({ ...fixtureReport(), ...(environment ? { environment } : {}) });

test('runs on the same environment give no warning, whatever their hosts and worker ids are called', (t) => {
  const renamed: EnvironmentSection = { ...ENVIRONMENT, coordinator: { ...HOST, host: 'b' }, workers: [{ id: 'x', ...HOST, host: 'c' }, { id: 'y', ...HOST, host: 'd' }] };
  t.deepEqual(environmentWarnings([withEnvironment(ENVIRONMENT), withEnvironment(renamed)]), []);
});

test('every difference is one line naming each run’s value', (t) => {
  const other: EnvironmentSection = {
    server: { version: '16.4', versionNum: 160004, settings: { shared_buffers: '1GB', max_connections: '400', work_mem: '64MB' } },
    coordinator: { ...HOST, nodeVersion: 'v22.1.0' },
    workers: [{ id: 'w1', ...HOST, cpus: 8 }],
    datasetChecksum: 'b'.repeat(64),
  };
  t.deepEqual(environmentWarnings([withEnvironment(ENVIRONMENT), withEnvironment(other), withEnvironment(ENVIRONMENT)]), [
    'server version: [1] 15.10, [2] 16.4, [3] 15.10',
    'server setting shared_buffers: [1] 128MB, [2] 1GB, [3] 128MB',
    'server setting work_mem: [1] (none), [2] 64MB, [3] (none)',
    'coordinator Node: [1] v20.20.2, [2] v22.1.0, [3] v20.20.2',
    'workers CPUs: [1] 2, [2] 8, [3] 2',
    `dataset checksum: [1] ${'a'.repeat(64)}, [2] ${'b'.repeat(64)}, [3] ${'a'.repeat(64)}`,
  ]);
});

test('a run.json without an environment (older refswarm) is named, not compared', (t) => {
  t.deepEqual(environmentWarnings([withEnvironment(ENVIRONMENT), withEnvironment(undefined)]), [
    'environment not recorded in [2] (run.json of an older refswarm): it cannot be compared',
  ]);
  t.deepEqual(environmentWarnings([withEnvironment(undefined), withEnvironment(undefined)]), []);
});

test('compare prints the warnings line by line in its text and its HTML', (t) => {
  const other = { ...ENVIRONMENT, server: { ...ENVIRONMENT.server!, settings: { ...ENVIRONMENT.server!.settings, shared_buffers: '1GB' } } };
  const reports = [withEnvironment(ENVIRONMENT), withEnvironment(other)];
  const comparison = compareRuns(reports);
  t.true(renderCompareText(comparison).includes('\nwarning: environments differ: server setting shared_buffers: [1] 128MB, [2] 1GB\n'));
  t.regex(renderCompareHtml(comparison, reports), /<li>server setting shared_buffers: \[1\] 128MB, \[2\] 1GB<\/li>/);
});
