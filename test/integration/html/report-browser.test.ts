import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../support/browser.ts';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import { realisticReport } from '../../unit/results/report-fixture.ts';

/**
 * report.html in a real browser (headless Debian chromium): every chart is drawn with data, the page
 * raises no console errors and asks for nothing from the network.
 */

const browserTest = chromiumAvailable() ? test : test.skip;
if (!chromiumAvailable()) console.warn(`report-browser: ${CHROMIUM_PATH} is absent, skipping (apt-get install chromium; .ci/run installs it)`);

interface ChartState {
  readonly id: string;
  readonly points: number;
  readonly width: number;
  readonly height: number;
  readonly paths: number;
  readonly longestPath: number;
}

browserTest('report.html loads offline with every chart drawn from data and no console errors', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'refswarm-report-browser-'));
  const browser = await launchChromium();
  try {
    const { report, spectrum } = realisticReport();
    const file = join(directory, 'report.html');
    await writeFile(file, renderReportHtml(report, spectrum));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const charts: ChartState[] = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const paths = [...figure.querySelectorAll('polyline.series, path.layer')] as unknown as { getTotalLength(): number }[];
        return {
          id: figure.getAttribute('data-chart') ?? '',
          points: Number(figure.getAttribute('data-points')),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          paths: paths.length,
          longestPath: Math.max(0, ...paths.map((p) => p.getTotalLength())),
        };
      }),
    );
    t.deepEqual(charts.map((c) => c.id).sort(), ['latency-over-time', 'lock-waits', 'spectrum', 'throughput']);
    for (const chart of charts) {
      t.true(chart.points > 10, `${chart.id}: data points`);
      t.true(chart.width > 300 && chart.height > 100, `${chart.id}: drawn at ${chart.width}x${chart.height}`);
      t.true(chart.paths > 0 && chart.longestPath > 200, `${chart.id}: lines drawn (longest ${chart.longestPath})`);
    }
    const lockLayers = await page.$$eval('#chart-lock-waits path.layer', (paths) => paths.map((p) => p.getAttribute('data-series')));
    t.true(lockLayers.includes('Lock:transactionid') && lockLayers.includes('CPU'), `layers: ${lockLayers.join(', ')}`);
    const tables = await page.$$eval('table', (all) => all.length);
    t.true(tables > 10, 'summary, lock-wait and pg tables');
    t.deepEqual(problems, [], 'no console errors or warnings');
    t.deepEqual(
      requests.filter((url) => !url.startsWith('file:')),
      [],
      'no network requests',
    );
  } finally {
    await browser.close();
    await rm(directory, { recursive: true, force: true });
  }
});
