import type { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7 } from 'uuidv7';
import { liveWorkers } from '../../../coordinator/run/worker-registry.ts';
import type { RedisKeys } from '../../../shared/protocol/redis-keys.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';

/**
 * Real refswarm processes for integration tests: `refswarm worker` processes a test starts, stops
 * and waits for, and one-shot commands whose output it reads.
 */

export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  /** Everything the worker wrote on stderr so far. */
  stderr: string;
}

export function isAlive(worker: WorkerProcess): boolean {
  return worker.child.exitCode === null && worker.child.signalCode === null;
}

/** The workers of one test file; `killAll` in an after.always hook leaves none behind. */
export class WorkerProcesses {
  readonly all: WorkerProcess[] = [];

  constructor(
    private readonly bin: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(concurrency: number, env: NodeJS.ProcessEnv = this.env): WorkerProcess {
    const id = uuidv7();
    const child = spawn(process.execPath, [this.bin, 'worker', '--concurrency', String(concurrency), '--id', id], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const worker: WorkerProcess = { id, child, exited: once(child, 'exit'), stderr: '' };
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (worker.stderr += c));
    this.all.push(worker);
    return worker;
  }

  /** SIGTERM (a clean stop) and wait for the exits. */
  async stop(list: readonly WorkerProcess[]): Promise<void> {
    for (const w of list) if (isAlive(w)) w.child.kill('SIGTERM');
    await Promise.all(list.map((w) => w.exited));
  }

  killAll(): void {
    for (const w of this.all) if (isAlive(w)) w.child.kill('SIGKILL');
  }

  /** Waits until every listed worker is in the registry (up to 30 s). */
  async waitAnnounced(redis: Redis, keys: RedisKeys, ids: readonly string[]): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const [seconds] = await redis.time();
      const live = new Set((await liveWorkers(redis, keys, Number(seconds) * 1000)).map((w) => w.announcement.workerId));
      if (ids.every((id) => live.has(id))) return;
      await sleep(100);
    }
    throw new Error(`workers did not announce themselves: ${this.all.map((w) => w.stderr).join('\n')}`);
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `refswarm ARGS` to its end; `whileRunning` sees the child (and its stderr so far) meanwhile. */
export function runCli(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  whileRunning?: (child: ChildProcess, stderr: () => string) => void,
): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  whileRunning?.(child, () => stderr);
  // 'close', not 'exit': the output streams are read to their end before the result is taken.
  return once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
}

/** The results folder a run printed on stdout. */
export function resultsDirOf(result: CliResult): string {
  const dir = /^results: (.+)$/m.exec(result.stdout)?.[1];
  if (!dir) throw new Error(`no results line in: ${result.stdout}\n${result.stderr}`);
  return dir;
}

export function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport;
}
