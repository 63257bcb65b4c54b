import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from 'uuidv7';
import { RunFailedError } from '../../shared/errors.ts';

/**
 * `--local-workers N`: N real `refswarm worker` processes (the same code path as remote workers),
 * started for one run and stopped after it — also on Ctrl-C or failure. A process that ignores
 * SIGTERM past the bound is killed; the coordinator's exit kills any that remain: no orphans.
 */

const BIN = fileURLToPath(new URL('../../bin/refswarm', import.meta.url));
const STDERR_TAIL_LINES = 20;

export interface LocalWorkers {
  readonly ids: readonly string[];
  /** Throws RunFailedError when a worker process has exited before being asked to. */
  assertRunning(): void;
  /** SIGTERM, wait up to boundMs, then SIGKILL what is left. */
  stop(boundMs?: number): Promise<void>;
}

interface Child {
  readonly id: string;
  readonly process: ChildProcess;
  readonly stderrTail: string[];
  exited: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

const everyChild = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when the coordinator itself exits: nothing may outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of everyChild) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

export function startLocalWorkers(count: number, concurrency: number, env: NodeJS.ProcessEnv): LocalWorkers {
  installExitHook();
  const children: Child[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuidv7();
    const proc = spawn(process.execPath, [BIN, 'worker', '--concurrency', String(concurrency), '--id', id], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const child: Child = { id, process: proc, stderrTail: [], exited: false, exitCode: null, signal: null };
    everyChild.add(proc);
    let partial = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      child.stderrTail.push(...lines.filter((l) => l.length > 0));
      child.stderrTail.splice(0, Math.max(0, child.stderrTail.length - STDERR_TAIL_LINES));
    });
    proc.on('exit', (code, signal) => {
      child.exited = true;
      child.exitCode = code;
      child.signal = signal;
      everyChild.delete(proc);
    });
    proc.on('error', (error) => {
      child.exited = true;
      child.stderrTail.push(error.message);
    });
    children.push(child);
  }
  let stopping = false;

  return {
    ids: children.map((c) => c.id),
    assertRunning() {
      if (stopping) return;
      const gone = children.find((c) => c.exited);
      if (!gone) return;
      const how = gone.signal ? `signal ${gone.signal}` : `exit code ${gone.exitCode}`;
      const said = gone.stderrTail.at(-1);
      throw new RunFailedError(`local worker ${gone.id} exited (${how})${said ? `: ${said}` : ''}`);
    },
    async stop(boundMs = 10_000) {
      stopping = true;
      const running = children.filter((c) => !c.exited);
      for (const c of running) c.process.kill('SIGTERM');
      const exits = running.map((c) => (c.exited ? Promise.resolve() : once(c.process, 'exit').then(() => undefined)));
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), boundMs);
      });
      const outcome = await Promise.race([Promise.all(exits).then(() => 'exited' as const), bound]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const c of running) if (!c.exited) c.process.kill('SIGKILL');
        await Promise.all(exits);
      }
    },
  };
}
