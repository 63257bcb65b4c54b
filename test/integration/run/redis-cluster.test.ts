import test from 'ava';
import { Redis } from 'ioredis';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanKeys } from '../../../shared/protocol/queue-expiry.ts';
import { readReport, resultsDirOf, runCli } from '../support/processes.ts';
import { testEnvironment } from '../support/test-environment.ts';

/**
 * refswarm against a real Redis Cluster of three masters started for this test: a whole run (local
 * workers, BullMQ queues, the event stream, heartbeats, the run lock) goes through a
 * `redis-cluster://` URL naming a node that does not own refswarm's slot, and every key it leaves
 * sits in that one slot, on its owner (docs/architecture.md#redis-keys).
 */

const DATASET = { documents: 200, references: 2_000, avgRefsPerDoc: 10, partitions: 2 };
const environment = testEnvironment('cluster', DATASET);
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;
const clusterTest = hasRedisServer ? test.serial : test.serial.skip;

const servers: ChildProcess[] = [];
let folder: string | undefined;
let nodes: Redis[] = [];

/** A port that is free with its cluster bus port (port + 10000). */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function startCluster(): Promise<number[]> {
  folder = mkdtempSync(join(tmpdir(), 'refswarm-cluster-test-'));
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freeClusterPort();
    ports.push(port);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
    servers.push(spawn('redis-server', [...args, '--dir', folder, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  }
  nodes = ports.map((port) => new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 2 }));
  // Refused connections while a server starts are expected: waitFor retries them.
  for (const node of nodes) node.on('error', () => undefined);
  for (const node of nodes) await waitFor(async () => (await node.connect().then(() => true, () => false)) || node.status === 'ready');
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  for (const node of nodes) await waitFor(async () => ((await node.cluster('INFO')) as string).includes('cluster_state:ok'));
  return ports;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the Redis Cluster did not come up within 10 s');
}

test.before(async () => {
  if (hasRedisServer) await environment.prepare();
});

test.after.always(async () => {
  for (const node of nodes) node.disconnect();
  for (const server of servers) server.kill('SIGKILL');
  if (folder) rmSync(folder, { recursive: true, force: true });
  await environment.cleanup();
});

clusterTest('a run goes through a Redis Cluster, its keys all in one slot on one master', async (t) => {
  const ports = await startCluster();
  const slot = (await nodes[0].cluster('KEYSLOT', environment.keys.workers)) as number;
  const ranges = await nodes[0].cluster('SLOTS');
  const ownerPort = ranges.find(([start, end]) => slot >= start && slot <= end)![2][1];
  const seedPort = ports.find((port) => port !== ownerPort)!;

  const env = { ...environment.env, REDIS_URL: `redis-cluster://127.0.0.1:${seedPort}` };
  const run = ['run', '--scenario', 'single', '--sessions', '4', '--iterations', '10', '--seed', '3', '--local-workers', '2', '--name', 'cluster'];
  const result = await runCli(environment.bin, run, env);
  t.is(result.code, 0, result.stderr);
  const report = readReport(resultsDirOf(result));
  t.is(report.sessions.completed, 4);
  t.is(report.ops.ok, 40);

  const pattern = `{${environment.namespace}}*`;
  const found = await Promise.all(nodes.map((node) => scanKeys(node, pattern)));
  const ownerIndex = ports.indexOf(ownerPort);
  t.true(found[ownerIndex].some((key) => key.endsWith(':events')), 'the run left its event stream on the slot owner');
  t.deepEqual(
    found.map((keys, i) => (i === ownerIndex ? 'owner' : keys.length)),
    ports.map((_, i) => (i === ownerIndex ? 'owner' : 0)),
    'no key on the other masters',
  );
  const slots = new Set(await Promise.all(found[ownerIndex].map((key) => nodes[ownerIndex].cluster('KEYSLOT', key) as Promise<number>)));
  t.deepEqual([...slots], [slot]);
});

clusterTest('a redis-cluster:// URL naming a plain server is refused with one line', async (t) => {
  const env = { ...environment.env, REDIS_URL: environment.redisUrl.replace(/^redis:/, 'redis-cluster:') };
  const result = await runCli(environment.bin, ['run', '--scenario', 'single', '--sessions', '1', '--iterations', '1', '--local-workers', '1'], env);
  t.is(result.code, 2, result.stderr);
  t.regex(result.stderr.trim(), /^refswarm run: .*is not a Redis Cluster node .*use a redis:\/\/ URL$/);
});
