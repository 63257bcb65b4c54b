import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../../shared/errors.ts';
import { dashboardUpdate, renderDashboard, renderWaiting } from './dashboard-html.ts';
import type { DatabaseWatch } from './database-watch.ts';
import type { LiveRun } from './live-run.ts';
import { prometheusText, type PgRates } from './prometheus-text.ts';

/**
 * The live view's HTTP server (node:http, no framework): `/` the dashboard, `/events` its updates
 * as server-sent events once a second, `/metrics` the Prometheus text, `/report` report.html once
 * the run wrote it. It listens from before the run finds its workers (a port in use fails the
 * run at once), showing a page that waits for the run until there is one. Every tick polls the database watch (lock sample, pg rates), then pushes one
 * update to every open dashboard.
 */

export interface LiveServerOptions {
  readonly host: string;
  readonly port: number;
  /** The run to show; undefined while the coordinator still waits for workers (the page then says so). */
  readonly run: () => LiveRun | undefined;
  /** The shared clock's now (the clock the run's start is on). */
  readonly now: () => number;
  readonly database?: () => DatabaseWatch | undefined;
  readonly tickMs?: number;
}

export interface LiveServer {
  readonly url: string;
  /** Pushes a last update (the run finished) and stops ticking; the server stays up until close(). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const TICK_MS = 1000;

export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const { run, now } = options;
  const streams = new Set<ServerResponse>();
  let rates: PgRates = {};
  let polling = false;

  const push = (): void => {
    const live = run();
    if (!live) return;
    const message = `data: ${dashboardUpdate(live.snapshot(now()))}\n\n`;
    for (const response of streams) response.write(message);
  };
  const tick = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const live = run();
      const database = options.database?.();
      if (live && database) {
        const poll = await database.poll(now());
        if (poll.sample) live.addLockSample(poll.sample);
        rates = poll.rates;
      }
      push();
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void tick(), options.tickMs ?? TICK_MS);

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${error.message}\n`);
    });
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    const live = run();
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(live ? renderDashboard(live.snapshot(now())) : renderWaiting());
    } else if (path === '/events') {
      if (!live) {
        response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('the run has not begun\n');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(`retry: 2000\ndata: ${dashboardUpdate(live.snapshot(now()))}\n\n`);
      streams.add(response);
      request.on('close', () => streams.delete(response));
    } else if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      // Before the run begins there is nothing to expose yet: an empty exposition is valid.
      response.end(live ? prometheusText(live.snapshot(now()), rates) : '');
    } else if (path === '/report') {
      const reportPath = live?.snapshot(now()).end?.reportPath;
      if (reportPath === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no report.html yet: the run has not finished\n');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(await readFile(reportPath));
    } else if (path === '/favicon.ico') {
      // Browsers ask for it; the page has none (a 404 would be a console error).
      response.writeHead(204).end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /, /events, /metrics or /report\n');
    }
  };

  server.listen(options.port, options.host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    clearInterval(timer);
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      `--dashboard could not listen on ${options.host}:${options.port} (${code ?? (error as Error).message}): choose another port (--dashboard PORT, 0 for any free one)`,
    );
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async flush() {
      clearInterval(timer);
      while (polling) await new Promise((r) => setTimeout(r, 20));
      push();
    },
    async close() {
      clearInterval(timer);
      for (const response of streams) response.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.database?.()?.close();
    },
  };
}
