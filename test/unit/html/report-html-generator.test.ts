import test from 'ava';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import type { EnvironmentSection, GeneratorProcess, GeneratorSection } from '../../../coordinator/results/run-report-sections.ts';
import { realisticReport } from '../results/report-fixture.ts';

const points = (html: string, id: string): string =>
  new RegExp(`<figure class="chart[^"]*" id="chart-${id}"[^>]*data-points="(\\d+)"`).exec(html)?.[1] ?? 'absent';

function process(id: string, saturated: boolean): GeneratorProcess {
  const intervals = Array.from({ length: 5 }, (_, t) => ({ t, wallMs: 1000, cpu: saturated ? 0.97 : 0.2, eventLoopDelayMs: { p50: 0.1, p99: saturated ? 120 : 1.5, max: 200 }, saturated }));
  return { id, host: 'h', judgedIntervals: 5, saturatedIntervals: saturated ? 5 : 0, cpu: { mean: 0.5, max: 0.97 }, eventLoopDelayMs: { p99: 120, max: 200 }, intervals };
}

const BOUND: GeneratorSection = {
  bound: true,
  rule: 'a worker saturated … in more than 10% of its judged intervals',
  reasons: ['worker w-busy saturated in 5 of 5 intervals (…)'],
  workers: [process('w-busy', true), process('w-calm', false)],
  coordinator: process('coordinator', false),
};

const ENVIRONMENT: EnvironmentSection = {
  server: { version: '15.10', versionNum: 150010, settings: { shared_buffers: '128MB' } },
  coordinator: { host: 'vm', cpus: 2, memoryBytes: 2 ** 34, nodeVersion: 'v20.20.2', refswarmVersion: '0.1.0' },
  workers: [{ id: 'w-busy', host: 'vm', cpus: 2 }],
  datasetChecksum: 'c'.repeat(64),
};

test('report.html shows generator health beside latency over time: event loop and CPU per worker and the coordinator, and why it was bound', (t) => {
  const { report, spectrum } = realisticReport();
  const html = renderReportHtml({ ...report, generator: BOUND, environment: ENVIRONMENT }, spectrum);
  t.is(points(html, 'generator-event-loop'), '15');
  t.is(points(html, 'generator-cpu'), '15');
  t.true(html.indexOf('chart-latency-over-time') < html.indexOf('chart-generator-event-loop'));
  t.regex(html, /class="warn">generator-bound: worker w-busy saturated in 5 of 5 intervals/);
  t.regex(html, /<section id="environment">/);
  t.regex(html, /shared_buffers/);
  t.regex(html, /15\.10/);
});

test('a run.json without generator or environment (older) renders with notes instead', (t) => {
  const { report, spectrum } = realisticReport();
  const html = renderReportHtml(report, spectrum);
  t.is(points(html, 'generator-event-loop'), 'absent');
  t.regex(html, /no generator health in this run\.json/);
  t.regex(html, /no environment recorded/);
});
