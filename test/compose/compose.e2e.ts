import test from 'ava';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real docker-compose.yml and Dockerfile, unchanged, on a local Docker engine (npm run test:compose,
 * after test/compose/build-images.sh). Only variables the compose file reads shorten the run and
 * shrink the dataset. The tests run in order on one project: its containers stay up between runs,
 * as they do for a user who runs `up … coordinator` again.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = 'refswarm-compose-test';
const SESSIONS = 64;
const WORKERS = 4;
const RUN_BOUND_MS = 5 * 60_000;

const results = mkdtempSync(join(tmpdir(), 'refswarm-compose-'));
const baseEnv = {
  ...process.env,
  RESULTS_DIR: results,
  REFSWARM_DOCUMENTS: '2000',
  REFSWARM_REFERENCES: '100000',
  REFSWARM_AVG_REFS_PER_DOC: '50',
  REFSWARM_THRESHOLD: '',
};

/** `docker compose` where the plugin exists, else docker-compose 1.x; COMPOSE overrides. */
const composeCommand: string[] = process.env.COMPOSE?.split(' ') ?? (succeeds('docker', ['compose', 'version']) ? ['docker', 'compose'] : ['docker-compose']);

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** One compose command on this project, bounded in time; onLine sees each line of output as it comes. */
function compose(args: string[], env: Record<string, string | undefined> = {}, onLine?: (line: string) => void): Promise<Finished> {
  const [command, ...first] = composeCommand;
  const child = spawn(command, [...first, '--ansi', 'never', '-p', PROJECT, '-f', join(ROOT, 'docker-compose.yml'), ...args], {
    cwd: ROOT,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pending = '';
  const take = (chunk: Buffer): void => {
    output += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (onLine) for (const line of lines) onLine(line);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const bound = setTimeout(() => child.kill('SIGINT'), RUN_BOUND_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(bound);
      resolve({ code, output });
    });
  });
}

/** The documented command: attach to the coordinator alone, return its exit code. */
function run(env: Record<string, string>, onLine?: (line: string) => void): Promise<Finished> {
  return compose(['up', '--scale', `worker=${WORKERS}`, '--abort-on-container-exit', '--exit-code-from', 'coordinator', 'coordinator'], env, onLine);
}

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

const projectFilter = `label=com.docker.compose.project=${PROJECT}`;
const containersOf = (service: string): string[] =>
  lines(docker(['ps', '-a', '-q', '--filter', projectFilter, '--filter', `label=com.docker.compose.service=${service}`]));

/** What run.json holds that these tests read (the results contract, version 1). */
interface RunJson {
  readonly sessions: { readonly requested: number; readonly completed: number; readonly lost: number };
  readonly workers: readonly { readonly id: string; readonly host: string; readonly sessions: number }[];
  readonly sessionResults: readonly { readonly worker: string; readonly status: string }[];
  readonly thresholds: readonly unknown[];
}

/** The results folder the last run wrote on the host, read from the coordinator's `results:` line. */
function resultsOf(output: string): { dir: string; report: RunJson } {
  const name = /results: \/app\/results\/(\S+)/.exec(output)?.[1];
  if (!name) throw new Error(`no "results:" line in the coordinator's output:\n${output.slice(-3000)}`);
  const dir = join(results, name);
  return { dir, report: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson };
}

const tail = (text: string): string => text.split('\n').slice(-40).join('\n');

test.before(async () => {
  await compose(['down', '-v', '--remove-orphans']);
  const built = await compose(['build']);
  if (built.code !== 0) throw new Error(`compose build failed:\n${tail(built.output)}`);
});

test.after.always(async () => {
  await compose(['down', '-v', '--remove-orphans']);
  rmSync(results, { recursive: true, force: true });
});

test.serial('four worker containers each run their share of the sessions; results land on the host; exit 0', async (t) => {
  const { code, output } = await run({ REFSWARM_DURATION: '8s' });
  t.is(code, 0, tail(output));
  const { dir, report } = resultsOf(output);
  for (const file of ['run.json', 'summary.txt', 'report.html', 'latency.hgrm']) t.true(existsSync(join(dir, file)), file);
  t.deepEqual(readdirSync(results).length, 1);

  const workerHosts = containersOf('worker').map((id) => docker(['inspect', '-f', '{{.Config.Hostname}}', id]));
  t.is(workerHosts.length, WORKERS);
  t.deepEqual(report.workers.map((w) => w.host).sort(), [...workerHosts].sort());
  t.is(new Set(report.workers.map((w) => w.host)).size, WORKERS);
  for (const worker of report.workers) {
    t.is(worker.sessions, SESSIONS / WORKERS, worker.host);
    t.is(report.sessionResults.filter((s) => s.worker === worker.id && s.status === 'completed').length, SESSIONS / WORKERS, worker.host);
  }
  t.like(report.sessions, { requested: SESSIONS, completed: SESSIONS, lost: 0 });
});

test.serial('a breached REFSWARM_THRESHOLD exits 3', async (t) => {
  const { code, output } = await run({ REFSWARM_DURATION: '3s', REFSWARM_THRESHOLD: 'p99<0.001ms' });
  t.is(code, 3, tail(output));
  t.regex(output, /threshold p99<0\.001ms: BREACHED/);
  t.is(resultsOf(output).report.thresholds.length, 1);
});

test.serial('a worker container killed mid-run: its sessions are lost, the results are written, exit 1', async (t) => {
  let killed: string | undefined;
  const victim = containersOf('worker')[0];
  const { code, output } = await run({ REFSWARM_DURATION: '10s' }, (line) => {
    if (killed === undefined && line.includes('progress:')) {
      killed = victim;
      docker(['kill', victim]);
    }
  });
  t.truthy(killed, 'the run printed no progress line to kill a worker on');
  t.is(code, 1, tail(output));
  t.regex(output, /16 of 64 sessions lost/);
  const { report } = resultsOf(output);
  const host = docker(['inspect', '-f', '{{.Config.Hostname}}', victim]);
  const lostWorker = report.workers.find((w) => w.host === host);
  t.truthy(lostWorker);
  t.like(report.sessions, { requested: SESSIONS, completed: SESSIONS - SESSIONS / WORKERS, lost: SESSIONS / WORKERS });
  t.true(report.sessionResults.filter((s) => s.worker === lostWorker?.id).every((s) => s.status === 'lost'));
});

test.serial('down -v leaves no container, network or volume of the project', async (t) => {
  const containers = lines(docker(['ps', '-a', '-q', '--filter', projectFilter]));
  const volumes = lines(docker(['inspect', '-f', '{{range .Mounts}}{{if .Name}}{{println .Name}}{{end}}{{end}}', ...containers]));
  t.true(volumes.length >= 2, `the PostgreSQL and Redis data volumes exist before down: ${volumes.join(', ')}`);
  const { code, output } = await compose(['down', '-v']);
  t.is(code, 0, tail(output));
  t.deepEqual(lines(docker(['ps', '-a', '-q', '--filter', projectFilter])), []);
  t.deepEqual(lines(docker(['network', 'ls', '-q', '--filter', projectFilter])), []);
  t.deepEqual(lines(docker(['volume', 'ls', '-q', '--filter', projectFilter])), []);
  const left = new Set(lines(docker(['volume', 'ls', '-q'])));
  t.deepEqual(volumes.filter((v) => left.has(v)), []);
});
