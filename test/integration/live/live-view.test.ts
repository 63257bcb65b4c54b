import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../support/browser.ts';
import { readReport, resultsDirOf, runCli, type CliResult } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * The live view end to end: `refswarm run --dashboard` serves a page whose figures change during the
 * run over server-sent events (in headless Chromium, without console errors), /metrics passes
 * promtool and is scraped by a real Prometheus, and `refswarm watch` serves a run another process
 * started, from Redis.
 */

const DATASET = { documents: 400, references: 8_000, avgRefsPerDoc: 20, partitions: 2 };
const environment = testEnvironment('live', DATASET);
const { bin: BIN, env: ENV } = environment;
const PROMTOOL = '/usr/bin/promtool';
const PROMETHEUS = '/usr/bin/prometheus';
const children: ChildProcess[] = [];

test.before(async () => {
  await environment.prepare();
});

test.after.always(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await environment.cleanup();
});

const RUN = ['run', '--scenario', 'single', '--duration', '6s', '--think', '5-20ms', '--sessions', '4', '--local-workers', '2', '--wait-workers', '30s'];

/** Starts `refswarm ARGS` and resolves with the URL it printed on a line starting with `prefix`. */
function startServing(args: readonly string[], prefix: RegExp): { url: Promise<string>; done: Promise<CliResult> } {
  let resolveUrl: (url: string) => void;
  let rejectUrl: (error: Error) => void;
  const url = new Promise<string>((resolve, reject) => ((resolveUrl = resolve), (rejectUrl = reject)));
  const done = runCli(BIN, args, ENV, (child, stderr) => {
    children.push(child);
    child.stderr!.on('data', () => {
      const match = new RegExp(`${prefix.source}.*?(http://\\S+/)`, 'm').exec(stderr());
      if (match) resolveUrl(match[1]);
    });
  });
  void done.then((result) => rejectUrl(new Error(`exited before serving: ${result.stderr}`)));
  return { url, done };
}

interface Update {
  readonly phase: string;
  readonly fragments: Record<string, string>;
}

/** Reads /events until `enough` says so; returns every update received. */
async function readEvents(url: string, enough: (updates: readonly Update[]) => boolean, limitMs = 60_000): Promise<Update[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limitMs);
  const updates: Update[] = [];
  try {
    // Before the run has its workers, /events answers 503: ask again.
    let response = await fetch(new URL('events', url), { signal: controller.signal });
    while (response.status === 503) {
      await sleep(250);
      response = await fetch(new URL('events', url), { signal: controller.signal });
    }
    let buffer = '';
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) updates.push(JSON.parse(data.slice(6)) as Update);
      }
      if (enough(updates)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return updates;
}

const okOf = (u: Update): number => Number(/data-ok="(\d+)"/.exec(u.fragments['live-figures'])?.[1] ?? NaN);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const browserTest = chromiumAvailable() ? test.serial : test.serial.skip;
if (!chromiumAvailable()) console.warn(`live-view: ${CHROMIUM_PATH} is absent, skipping the browser test (apt-get install chromium; .ci/run installs it)`);

browserTest('run --dashboard: the page updates during the run without console errors, ends with integrity and the report link', async (t) => {
  const served = startServing([...RUN, '--name', 'dashboard', '--dashboard', '0', '--dashboard-linger', '60s'], /^dashboard: /);
  const url = await served.url;
  t.regex(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'loopback by default');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    // Until the run has its workers the page waits (reloading itself); then the dashboard comes.
    await page.waitForSelector('#live-figures [data-ok]', { timeout: 60_000 });
    const okOnPage = (): Promise<number> => page.$eval('#live-figures [data-ok]', (el) => Number(el.getAttribute('data-ok')));
    const seen = new Set<number>();
    for (let i = 0; i < 120 && seen.size < 3; i++) {
      seen.add(await okOnPage());
      await sleep(250);
    }
    t.true(seen.size >= 3, `the ok count changed on the page during the run: ${[...seen].join(', ')}`);
    await page.waitForSelector('body[data-phase="finished"]', { timeout: 90_000 });
    t.truthy(await page.$('#report-link'), 'the end links the report');
    t.regex(await page.$eval('#live-end', (el) => el.textContent ?? ''), /[\d,]+ violations in [\d,]+ documents checked/);
    t.true((await page.$$('#live-throughput figure.chart, #live-latency figure.chart')).length === 2);
    t.deepEqual(problems, [], 'no console errors or warnings');
    const report = await fetch(new URL('report', url));
    t.is(report.status, 200);
    t.regex(await report.text(), /<title>refswarm run dashboard<\/title>/);
  } finally {
    await browser.close();
    served.done.then(() => undefined);
    for (const child of children) child.kill('SIGINT');
  }
  const result = await served.done;
  t.is(result.code, 0, result.stderr);
});

test.serial('run --dashboard: SSE updates carry rising counts; /metrics passes promtool and a real Prometheus scrapes it', async (t) => {
  const served = startServing([...RUN, '--name', 'metrics', '--dashboard', '0', '--dashboard-linger', '60s'], /^dashboard: /);
  const url = await served.url;
  const havePrometheus = existsSync(PROMTOOL) && existsSync(PROMETHEUS);
  if (!havePrometheus) console.warn(`live-view: ${PROMTOOL} or ${PROMETHEUS} is absent, skipping the Prometheus checks (apt-get install prometheus; .ci/run installs it)`);
  const promDir = mkdtempSync(join(tmpdir(), 'refswarm-prometheus-'));
  let prometheus: ChildProcess | undefined;
  try {
    let promUrl = '';
    if (havePrometheus) {
      const promPort = await freePort();
      promUrl = `http://127.0.0.1:${promPort}`;
      const target = new URL(url).host;
      writeFileSync(
        join(promDir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: refswarm\n    static_configs:\n      - targets: ['${target}']\n`,
      );
      prometheus = spawn(PROMETHEUS, [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], {
        stdio: 'ignore',
      });
      children.push(prometheus);
    }

    const updates = await readEvents(url, (u) => new Set(u.map(okOf)).size >= 3 || u.at(-1)?.phase === 'finished');
    const counts = updates.map(okOf);
    t.true(new Set(counts).size >= 3, `ok counts over the updates: ${counts.join(', ')}`);
    t.true(counts.every((c, i) => i === 0 || c >= counts[i - 1]), 'counts never go down');

    const metrics = await (await fetch(new URL('metrics', url))).text();
    t.regex(metrics, /^refswarm_operations_total\{run_id="[0-9a-f-]+",scenario="single",strategy="current",shape="bare",status="ok"\} \d+$/m);
    t.regex(metrics, /^refswarm_latency_seconds_bucket\{.*le="\+Inf"\} \d+$/m);
    t.regex(metrics, /^refswarm_latency_quantiles_seconds\{.*quantile="0.99"\} /m);
    t.regex(metrics, /^refswarm_sessions\{.*state="active"\} \d+$/m);
    if (havePrometheus) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
      t.is(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
      let found: unknown[] = [];
      for (let i = 0; i < 120 && found.length === 0; i++) {
        await sleep(500);
        const query = encodeURIComponent('refswarm_operations_total{status="ok",scenario="single"}');
        const answer = await fetch(`${promUrl}/api/v1/query?query=${query}`).catch(() => undefined);
        if (answer?.ok) found = ((await answer.json()) as { data: { result: unknown[] } }).data.result;
      }
      t.true(found.length > 0, 'Prometheus scraped refswarm_operations_total');
    }
    // The run goes to its end; only then does Ctrl-C cut the linger short.
    await readEvents(url, (u) => u.at(-1)?.phase === 'finished', 90_000);
    const finalMetrics = await (await fetch(new URL('metrics', url))).text();
    if (havePrometheus) t.is(spawnSync(PROMTOOL, ['check', 'metrics'], { input: finalMetrics, encoding: 'utf8' }).status, 0, 'the final metrics pass too');
  } finally {
    prometheus?.kill('SIGTERM');
    if (prometheus) await new Promise((resolve) => prometheus!.once('exit', resolve));
    rmSync(promDir, { recursive: true, force: true });
    for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
  }
  const result = await served.done;
  t.is(result.code, 0, result.stderr);
});

test.serial('refswarm watch serves a run started by another process, from Redis, to its end', async (t) => {
  // Long enough that the watcher (a process starting under load) joins while the run goes on.
  const run = runCli(BIN, [...RUN, '--duration', '12s', '--name', 'watched'], ENV, (child) => children.push(child));
  // The run writes its meta once it has workers; watch picks the newest run, so wait for this one's.
  const redisKeys = environment.keys;
  const { Redis } = await import('ioredis');
  const redis = new Redis(environment.redisUrl);
  try {
    for (let i = 0; i < 300; i++) {
      const texts = await Promise.all((await redis.keys(redisKeys.runMeta('*'))).map((k) => redis.get(k)));
      if (texts.some((text) => text?.includes('"name":"watched"'))) break;
      await sleep(100);
    }
  } finally {
    await redis.quit();
  }
  const served = startServing(['watch', '--dashboard', '0', '--dashboard-linger', '0s'], /^watching run /);
  const url = await served.url;
  const updates = await readEvents(url, (u) => u.at(-1)?.phase === 'finished', 90_000);
  const counts = updates.map(okOf);
  t.true(updates.some((u) => u.phase === 'running'), `updates while the run went on: ${updates.map((u) => u.phase).join(', ')}`);
  t.true(counts.every((c, i) => i === 0 || c >= counts[i - 1]), `ok counts never go down: ${counts.join(', ')}`);
  t.is(updates.at(-1)?.phase, 'finished');
  t.regex(updates.at(-1)!.fragments['live-end'], /completed/);
  const [ran, watched] = await Promise.all([run, served.done]);
  t.is(ran.code, 0, ran.stderr);
  t.is(watched.code, 0, watched.stderr);
  t.is(okOf(updates.at(-1)!), readReport(resultsDirOf(ran)).ops.ok, 'the watcher counted what the run counted');
});

test.serial('run --dashboard on a port in use fails at once, naming the port, before the run begins', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    const result = await runCli(BIN, [...RUN, '--name', 'port-taken', '--dashboard', String(port)], ENV, (child) => children.push(child));
    t.is(result.code, 2, result.stderr);
    t.regex(result.stderr, new RegExp(`--dashboard could not listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\): choose another port`));
    t.notRegex(result.stderr, /starting 2 local workers/, 'no worker was started');
    t.is(result.stdout, '');
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});
