import test from 'ava';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RUN_COMMAND_FLAGS, parseRunArgs } from '../../coordinator/config/run-flags.ts';
import { DATASET_FLAGS } from '../../coordinator/config/dataset-flags.ts';
import { envNameOf } from '../../shared/cli/options.ts';

/**
 * The compose file and Dockerfile checked statically with a real YAML parser; test/compose/ runs
 * them for real (npm run test:compose).
 */

const root = new URL('../../', import.meta.url);
const composeText = readFileSync(new URL('docker-compose.yml', root), 'utf8');
/** Compose substitutes `${NAME:-default}` in the parsed strings; here as it does when NAME is unset. */
function withDefaults(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback?: string) => fallback ?? '');
  if (Array.isArray(value)) return value.map(withDefaults);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(v)]));
  return value;
}
const compose = withDefaults(parse(composeText, { merge: true })) as {
  services: Record<string, Service>;
};
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };

interface Service {
  image?: string;
  build?: string;
  command?: string | string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: unknown;
  expose?: string[];
  profiles?: string[];
  container_name?: string;
}

const services = compose.services;
const SCALE = 4;

test('the topology has PostgreSQL, Redis, setup, worker and coordinator, and Prometheus only in the monitoring profile', (t) => {
  const always = Object.entries(services).filter(([, s]) => s.profiles === undefined).map(([name]) => name);
  t.deepEqual(always.sort(), ['coordinator', 'postgres', 'redis', 'setup', 'worker']);
  t.deepEqual(services.prometheus?.profiles, ['monitoring']);
});

test("the monitoring profile's Prometheus scrapes the coordinator's /metrics, served on the compose network", (t) => {
  const prometheus = services.prometheus;
  t.regex(prometheus.image ?? '', /^prom\/prometheus:/);
  t.deepEqual(prometheus.volumes, ['./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro']);
  t.true(([] as string[]).concat(prometheus.command ?? []).includes('--config.file=/etc/prometheus/prometheus.yml'));
  t.deepEqual(prometheus.ports, ['127.0.0.1:9090:9090'], 'published on loopback only');
  const config = parse(readFileSync(new URL('monitoring/prometheus.yml', root), 'utf8')) as {
    scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const env = services.coordinator.environment ?? {};
  const { dashboard } = parseRunArgs([], { ...env });
  t.deepEqual(config.scrape_configs[0].static_configs[0].targets, [`coordinator:${dashboard?.port}`]);
  t.is(dashboard?.host, '0.0.0.0', 'reachable from the other containers');
  t.deepEqual(services.coordinator.expose, [String(dashboard?.port)]);
  t.is(dashboard?.lingerMs, 0, 'the run ends as it did without the dashboard');
});

test('PostgreSQL 15 preloads pg_stat_statements, allows enough connections, and is health-checked', (t) => {
  const pg = services.postgres;
  t.regex(pg.image ?? '', /^postgres:15/);
  const command = ([] as string[]).concat(pg.command ?? []).join(' ');
  t.true(command.includes('shared_preload_libraries=pg_stat_statements'));
  const connections = Number(/max_connections=(\d+)/.exec(command)?.[1]);
  t.true(connections >= Number(services.coordinator.environment?.REFSWARM_SESSIONS) + 10);
  t.true(pg.healthcheck?.test.join(' ').includes('pg_isready'));
  t.true(services.redis.healthcheck?.test.join(' ').includes('ping'));
  t.regex(services.redis.image ?? '', /^redis:7/);
});

test('every refswarm service shares the connection settings, pointing at the compose services', (t) => {
  for (const name of ['setup', 'worker', 'coordinator']) {
    const env = services[name].environment ?? {};
    t.regex(env.DATABASE_URL ?? '', /^postgres:\/\/[^@]+@postgres:5432\/dms_perf_/, name);
    t.is(env.REDIS_URL, 'redis://redis:6379', name);
    t.is(services[name].build, '.', name);
  }
});

test('start order: workers and coordinator wait for healthy services and the finished setup', (t) => {
  t.is(services.setup.depends_on?.postgres.condition, 'service_healthy');
  for (const name of ['worker', 'coordinator']) {
    t.is(services[name].depends_on?.postgres.condition, 'service_healthy', name);
    t.is(services[name].depends_on?.redis.condition, 'service_healthy', name);
    t.is(services[name].depends_on?.setup.condition, 'service_completed_successfully', name);
  }
  t.is(services.coordinator.depends_on?.worker.condition, 'service_started');
});

test('the worker service is scalable and its capacity covers the run at --scale worker=4', (t) => {
  const worker = services.worker;
  t.is(worker.container_name, undefined);
  t.is(worker.ports, undefined);
  t.deepEqual(worker.command, ['worker']);
  const concurrency = Number(worker.environment?.REFSWARM_CONCURRENCY);
  const sessions = Number(services.coordinator.environment?.REFSWARM_SESSIONS);
  t.true(concurrency * SCALE >= sessions);
  // Needing more than (SCALE - 1) workers makes the coordinator wait for all of them: the load spreads.
  t.true(concurrency * (SCALE - 1) < sessions);
});

test('coordinator options come from the environment and are valid run options', (t) => {
  const coordinator = services.coordinator;
  t.deepEqual(coordinator.command, ['run']);
  const env = coordinator.environment ?? {};
  const known = new Set(Object.keys(RUN_COMMAND_FLAGS).map(envNameOf));
  for (const key of Object.keys(env).filter((k) => k.startsWith('REFSWARM_') && k !== 'REFSWARM_NAMESPACE')) {
    t.true(known.has(key), `${key} is not a run option`);
  }
  const { config } = parseRunArgs([], { ...env });
  t.is(config.sessions, Number(env.REFSWARM_SESSIONS));
  t.is(config.resultsRoot, '/app/results');
  t.true(config.waitWorkersMs >= 60_000);
});

test('setup loads a dataset named by dataset options, and results are bind-mounted to ./results', (t) => {
  const env = services.setup.environment ?? {};
  const known = new Set(Object.keys(DATASET_FLAGS).map(envNameOf));
  for (const key of Object.keys(env).filter((k) => k.startsWith('REFSWARM_') && k !== 'REFSWARM_NAMESPACE')) t.true(known.has(key), key);
  const command = ([] as string[]).concat(services.setup.command ?? []).join(' ');
  t.true(command.includes('refswarm setup') && command.includes('refswarm load'));
  t.deepEqual(services.coordinator.volumes, ['./results:/app/results']);
  t.is(services.coordinator.environment?.RESULTS_DIR, '/app/results');
});

test('the run length, threshold, dataset and host results folder can be set from the host environment', (t) => {
  for (const variable of ['REFSWARM_DURATION', 'REFSWARM_THRESHOLD', 'REFSWARM_DOCUMENTS', 'REFSWARM_REFERENCES', 'REFSWARM_AVG_REFS_PER_DOC']) {
    t.true(composeText.includes(`\${${variable}:-`), variable);
  }
  t.true(composeText.includes('${RESULTS_DIR:-./results}:/app/results'));
  t.is(services.coordinator.environment?.REFSWARM_DURATION, '30s');
  t.is(services.setup.environment?.REFSWARM_DOCUMENTS, '20000');
});

test('the Dockerfile uses the Node major the package needs and the CLI as entrypoint', (t) => {
  const from = /^FROM node:(\d+)/m.exec(dockerfile);
  t.truthy(from);
  const needed = Number(/(\d+)/.exec(pkg.engines.node)?.[1]);
  t.is(Number(from![1]), needed);
  t.true(dockerfile.includes('ENTRYPOINT ["node", "bin/refswarm"]'));
  t.true(dockerfile.includes('npm ci'));
  for (const dir of ['bin', 'coordinator', 'worker', 'shared', 'sql']) t.regex(dockerfile, new RegExp(`COPY ${dir} `));
  const ignore = readFileSync(new URL('.dockerignore', root), 'utf8').split('\n');
  t.true(ignore.includes('node_modules'));
  t.true(ignore.includes('results'));
});
