/**
 * npm run bench:layouts [-- --seconds 10 --documents 20000 --references 1000000]
 *
 * The table DMS engineers asked for (issue 10): DMS's reference rewrite as it was (`current` on the
 * referential-id layout) against DMS-867 as it runs today (`upsert` on the alias-id layout), in the
 * dms transaction shape, for the hot and single scenarios, 16 and 64 sessions, and rewrites that
 * resubmit the same set (--change 0), replace 5 references (--change 5) or send a fresh set
 * (--change all). The two layouts run interleaved, cell by cell, so drift affects both alike; every
 * run restores what it touched, so each starts from the dataset.
 * Needs the local PostgreSQL (max_connections above 140) and Redis; uses databases and a Redis
 * namespace of its own and removes them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import type { RunReport } from '../coordinator/results/run-report.ts';
import { DEFAULT_REDIS_URL, withDatabase } from '../shared/connection.ts';
import { withPg } from '../shared/pg-connect.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    documents: { type: 'string', default: '20000' },
    references: { type: 'string', default: '1000000' },
    'avg-refs-per-doc': { type: 'string', default: '50' },
  },
});
const BIN = fileURLToPath(new URL('../bin/refswarm', import.meta.url));
const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dms_perf_test';
const suffix = uuidv7().replaceAll('-', '').slice(-8);
const resultsRoot = mkdtempSync(join(tmpdir(), 'refswarm-bench-layouts-'));
const namespace = `rs_bench_layouts_${suffix}`;

interface Layout {
  readonly schema: 'referential-id' | 'alias-id';
  readonly strategy: 'current' | 'upsert';
  readonly database: string;
}
const LAYOUTS: readonly Layout[] = [
  { schema: 'referential-id', strategy: 'current', database: `dms_perf_bench_refid_${suffix}` },
  { schema: 'alias-id', strategy: 'upsert', database: `dms_perf_bench_aliasid_${suffix}` },
];
const SCENARIOS = ['hot', 'single'] as const;
const SESSIONS = [16, 64] as const;
const CHANGES = ['0', '5', 'all'] as const;

function refswarm(layout: Layout, args: readonly string[]): string {
  const env = { ...process.env, DATABASE_URL: withDatabase(BASE_URL, layout.database), REFSWARM_NAMESPACE: namespace, RESULTS_DIR: resultsRoot };
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`refswarm ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n').at(-1)}`);
  return result.stdout;
}

function resultsDirectory(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith('results: '));
  if (!line) throw new Error(`no results line in:\n${stdout}`);
  return line.slice('results: '.length).trim();
}

function topWaits(report: RunReport, count: number): string {
  const shares = report.lockWaits?.shares ?? {};
  return Object.entries(shares)
    .filter(([event]) => event !== 'Idle' && event !== 'CPU' && event !== 'IdleInTransaction')
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([event, share]) => `${event} ${(share * 100).toFixed(1)}%`)
    .join(', ');
}

const perOp = (report: RunReport, key: string): string => {
  const value = report.pg?.perOp[key];
  return typeof value === 'number' ? value.toFixed(0) : '-';
};

const rows: string[] = [];
try {
  for (const layout of LAYOUTS) {
    refswarm(layout, ['setup', '--force', '--schema', layout.schema, '--partitions', '16']);
    refswarm(layout, ['load', '--documents', values.documents!, '--references', values.references!, '--avg-refs-per-doc', values['avg-refs-per-doc']!]);
  }
  for (const scenario of SCENARIOS) {
    for (const sessions of SESSIONS) {
      for (const change of CHANGES) {
        for (const layout of LAYOUTS) {
          const stdout = refswarm(layout, [
            'run',
            '--scenario', scenario,
            '--strategy', layout.strategy,
            '--shape', 'dms',
            '--sessions', String(sessions),
            '--change', change,
            '--duration', `${values.seconds}s`,
            '--warmup', '2s',
            '--local-workers', '2',
            '--restore-after',
            '--name', `${layout.strategy}-${scenario}-${sessions}-${change}`,
          ]);
          const report = JSON.parse(readFileSync(join(resultsDirectory(stdout), 'run.json'), 'utf8')) as RunReport;
          const failed = report.ops.failed / Math.max(1, report.ops.ok + report.ops.failed);
          const row = [
            `${layout.strategy} (${layout.schema})`,
            scenario,
            String(sessions),
            change,
            report.throughput.opsPerSec.toFixed(1),
            report.latencyMs.p99.toFixed(1),
            perOp(report, 'walBytes'),
            perOp(report, 'deadTuples'),
            `${(failed * 100).toFixed(2)}%`,
            topWaits(report, 3),
          ];
          rows.push(`| ${row.join(' | ')} |`);
          process.stderr.write(`${rows.at(-1)}\n`);
        }
      }
    }
  }
} finally {
  await withPg(withDatabase(BASE_URL, 'postgres'), async (admin) => {
    for (const layout of LAYOUTS) await admin.query(`DROP DATABASE IF EXISTS ${layout.database} WITH (FORCE)`);
  });
  const redis = new Redis(process.env.REDIS_URL || DEFAULT_REDIS_URL);
  const left = await redis.keys(`{${namespace}}*`);
  if (left.length > 0) await redis.del(...left);
  await redis.quit();
  rmSync(resultsRoot, { recursive: true, force: true });
}

process.stdout.write(
  [
    `dataset: ${values.documents} documents, ${values.references} references, 16 partitions; dms shape, ${values.seconds} s per run after 2 s warm-up, 2 local workers`,
    '',
    '| strategy (layout) | scenario | sessions | --change | ops/s | p99 ms | WAL bytes/op | dead tuples/op | failed | top lock waits |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
