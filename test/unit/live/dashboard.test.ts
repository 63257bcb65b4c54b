import test from 'ava';
import { UsageError } from '../../../shared/errors.ts';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { DEFAULT_DASHBOARD_PORT } from '../../../coordinator/config/dashboard-flags.ts';
import { LiveRun } from '../../../coordinator/live/live-run.ts';
import { dashboardUpdate, renderDashboard } from '../../../coordinator/live/dashboard-html.ts';

const ENV = { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_x', RESULTS_DIR: '/tmp/r' };

test('--dashboard: alone the default port on loopback, or a port; host and linger with it', (t) => {
  t.is(parseRunArgs([], ENV).dashboard, undefined);
  t.deepEqual(parseRunArgs(['--dashboard'], ENV).dashboard, { host: '127.0.0.1', port: DEFAULT_DASHBOARD_PORT, lingerMs: 10_000 });
  t.deepEqual(parseRunArgs(['--dashboard', '--sessions', '2'], ENV).dashboard?.port, DEFAULT_DASHBOARD_PORT);
  t.deepEqual(parseRunArgs(['--dashboard', '0', '--dashboard-host', '0.0.0.0', '--dashboard-linger', '2m'], ENV).dashboard, { host: '0.0.0.0', port: 0, lingerMs: 120_000 });
  t.is(parseRunArgs(['--dashboard-host', '::1', '--dashboard', '8080'], ENV).dashboard?.host, '::1');
});

const BAD: readonly (readonly [readonly string[], RegExp])[] = [
  [['--dashboard', '70000'], /invalid value "70000" for --dashboard: expected an integer from 0 to 65535/],
  [['--dashboard', 'web'], /invalid value "web" for --dashboard/],
  [['--dashboard', '--dashboard-host', 'bad host!'], /invalid value "bad host!" for --dashboard-host: expected an IP address or host name/],
  [['--dashboard-host', '0.0.0.0'], /--dashboard-host needs --dashboard/],
  [['--dashboard-linger', '5s'], /--dashboard-linger needs --dashboard/],
];

for (const [argv, message] of BAD) {
  test(`refused: ${argv.join(' ')}`, (t) => {
    t.throws(() => parseRunArgs(argv, ENV), { instanceOf: UsageError, message });
  });
}

test('a dashboard problem is listed with the other run flags\' problems', (t) => {
  t.throws(() => parseRunArgs(['--dashboard', 'x', '--sessions', '0'], ENV), { message: /--dashboard.*; .*--sessions|--sessions.*; .*--dashboard/ });
});

test("the page has report.html's charts, the frame's style and one script; an update is one line of JSON", (t) => {
  const live = new LiveRun({ runId: 'r', name: 'n<1>', scenario: 'single', strategy: 'current', shape: 'bare', sessions: 1, intervalMs: 1000, assignment: ['w'] });
  const html = renderDashboard(live.snapshot(0));
  for (const id of ['throughput', 'latency-over-time', 'lock-waits']) t.true(html.includes(`data-chart="${id}"`), id);
  t.true(html.includes('n&lt;1&gt;'));
  t.is(html.match(/<script>/g)?.length, 1);
  const update = dashboardUpdate(live.snapshot(0));
  t.false(update.includes('\n'));
  t.is((JSON.parse(update) as { phase: string }).phase, 'starting');
});
