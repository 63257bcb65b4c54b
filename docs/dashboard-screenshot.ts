import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from '../test/integration/support/browser.ts';
import { testEnvironment } from '../test/integration/support/test-environment.ts';

/**
 * docs/dashboard.png, the README's picture of the live dashboard: a short hot-scenario run on a
 * scratch database (its own namespace, dropped afterwards) with --dashboard, photographed in headless
 * Chromium near its end. Needs the local PostgreSQL and Redis, like the integration tests.
 *   npm run docs:dashboard
 */

const OUT = fileURLToPath(new URL('dashboard.png', import.meta.url));
const environment = testEnvironment('shot', { documents: 2000, references: 60_000, avgRefsPerDoc: 30, partitions: 4 });
await environment.prepare();
try {
  const args = ['run', '--scenario', 'hot', '--hot-docs', '20', '--duration', '20s', '--think', '5-20ms', '--sessions', '16', '--local-workers', '2'];
  const child = spawn(process.execPath, [environment.bin, ...args, '--name', 'hot-demo', '--dashboard', '0', '--dashboard-linger', '0s'], {
    env: environment.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  while (!/dashboard: (http\S+)/.test(stderr)) {
    if (child.exitCode !== null) throw new Error(stderr);
    await sleep(100);
  }
  const url = /dashboard: (http\S+)/.exec(stderr)![1];
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(url);
    await sleep(17_000);
    await page.screenshot({ path: OUT, fullPage: true, type: 'png' });
  } finally {
    await browser.close();
  }
  await once(child, 'exit');
  process.stdout.write(`wrote ${OUT}\n`);
} finally {
  await environment.cleanup();
}
