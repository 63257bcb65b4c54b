import { countsAtOrBelow } from '../../shared/histogram.ts';
import type { LiveSnapshot } from './live-run.ts';

/**
 * /metrics in the Prometheus text exposition format (version 0.0.4), from one live snapshot. Every
 * sample carries the run's labels (run_id, scenario, strategy, shape), so that runs scraped one after
 * another stay apart. Latency is a histogram whose buckets are counted from the run's merged HDR
 * histogram at fixed bounds (stable across scrapes, as rate() and histogram_quantile() need), and a
 * summary whose quantiles are the HDR histogram's own. Pure.
 */

/** Bucket upper bounds in seconds: 1-2-5 steps from 100 µs to 60 s. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60,
];

const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999] as const;

/** pg_stat_database deltas per second since the previous poll (coordinator/live/database-watch.ts). */
export type PgRates = Readonly<Record<string, number>>;

export function prometheusText(s: LiveSnapshot, pgRates: PgRates = {}): string {
  const run = labels({ run_id: s.info.runId, scenario: s.info.scenario, strategy: s.info.strategy, shape: s.info.shape });
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, samples: readonly (readonly [string, string, number])[]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [suffix, extra, value] of samples) out.push(`${name}${suffix}{${run}${extra}} ${number(value)}`);
  };

  metric('refswarm_run_info', 'gauge', 'The run being served (1), with its name.', [['', `,${labels({ name: s.info.name, phase: s.phase })}`, 1]]);
  metric('refswarm_run_elapsed_seconds', 'gauge', 'Seconds since the common start of the sessions.', [['', '', s.elapsedSeconds]]);
  metric('refswarm_operations_total', 'counter', 'Recorded operations by status.', [
    ['', ',status="ok"', s.ops.ok],
    ['', ',status="failed"', s.ops.failed],
    ['', ',status="rejected"', s.ops.rejected],
  ]);
  metric('refswarm_operation_retries_total', 'counter', 'Tries repeated after a deadlock or serialization failure.', [['', '', s.ops.retried]]);
  metric(
    'refswarm_operation_errors_total',
    'counter',
    'Failed tries by SQLSTATE.',
    Object.entries(s.byError).map(([code, n]) => ['', `,${labels({ sqlstate: code })}`, n] as const),
  );

  const h = s.latency;
  const counts = countsAtOrBelow(h, LATENCY_BUCKETS_SECONDS.map((b) => Math.round(b * 1_000_000)));
  const sumSeconds = h.totalCount === 0 ? 0 : (h.mean * h.totalCount) / 1_000_000;
  metric('refswarm_latency_seconds', 'histogram', 'Latency of ok operations (from the intended start), from the merged HDR histogram.', [
    ...LATENCY_BUCKETS_SECONDS.map((b, i) => ['_bucket', `,le="${number(b)}"`, counts[i]] as const),
    ['_bucket', ',le="+Inf"', h.totalCount],
    ['_sum', '', sumSeconds],
    ['_count', '', h.totalCount],
  ]);
  metric('refswarm_latency_quantiles_seconds', 'summary', 'Latency quantiles of ok operations over the run so far, from the merged HDR histogram.', [
    ...QUANTILES.map((q) => ['', `,quantile="${q}"`, h.totalCount === 0 ? Number.NaN : h.getValueAtPercentile(q * 100) / 1_000_000] as const),
    ['_sum', '', sumSeconds],
    ['_count', '', h.totalCount],
  ]);

  const states = ['active', 'done', 'lost'] as const;
  metric('refswarm_sessions', 'gauge', 'Sessions by worker and state (active: started, not ended).', [
    ...s.workers.flatMap((w) => [
      ...states.map((state) => ['', `,${labels({ worker: w.id, state })}`, w[state]] as const),
      ['', `,${labels({ worker: w.id, state: 'waiting' })}`, w.sessions - w.active - w.done - w.lost] as const,
    ]),
  ]);
  metric(
    'refswarm_lock_wait_session_share',
    'gauge',
    "Share of the run's sampled sessions by state or wait event, over the run so far.",
    Object.entries(s.lockWaitShares).map(([event, share]) => ['', `,${labels({ event })}`, share] as const),
  );
  metric('refswarm_blocked_sessions', 'gauge', 'Sessions waiting on a heavyweight lock in the latest sample.', s.blocking ? [['', '', s.blocking.blocked]] : []);
  metric(
    'refswarm_pg_stat_database_per_second',
    'gauge',
    "pg_stat_database counters of the run's database, change per second over the last poll.",
    Object.entries(pgRates).map(([counter, rate]) => ['', `,${labels({ counter })}`, rate] as const),
  );
  return `${out.join('\n')}\n`;
}

function labels(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
