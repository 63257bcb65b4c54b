import { datasetLayout, type RunReport } from '../results/run-report.ts';
import { errorCodeName } from '../../shared/sqlstate.ts';
import { numericRow, type Better, type CompareRow } from './compare-row.ts';
import { phaseRows } from './compare-phases.ts';
import { contentionRows } from './compare-contention.ts';
import { environmentWarnings } from './environment-diff.ts';

export { numericRow, relativeDifference, type Better, type CompareCell, type CompareRow } from './compare-row.ts';

/**
 * Side-by-side comparison of runs (docs/architecture.md#comparing-runs): one row per measure, one
 * cell per run, each numeric cell of the second and later runs marked with its difference against
 * the first ("+35%"). Pure: the text and HTML renderers only lay out what this returns.
 */


export interface ComparedRun {
  /** Where the run came from (its results directory), or its name. */
  readonly label: string;
  readonly name: string;
  readonly runId: string;
}

export interface Comparison {
  readonly runs: readonly ComparedRun[];
  readonly rows: readonly CompareRow[];
  /** Where the runs' environments differ, one line each (environment-diff.ts); absent from older callers. */
  readonly environmentWarnings?: readonly string[];
}

export interface CompareOptions {
  /** Lock-wait categories shown: the union of each run's top N. */
  readonly topLockWaits: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { topLockWaits: 5 };

/** Per-operation PostgreSQL figures shown first, in this order; any others the run has follow. */
const PER_OP_FIRST = ['deadTuples', 'walBytes'];

export function compareRuns(
  reports: readonly RunReport[],
  labels: readonly string[] = reports.map((r) => r.name),
  options: CompareOptions = DEFAULT_COMPARE_OPTIONS,
): Comparison {
  const rows: CompareRow[] = [];
  const text = (group: string, label: string, pick: (r: RunReport) => string): void => {
    rows.push({ group, label, numeric: false, cells: reports.map((r) => ({ text: pick(r), value: null })) });
  };
  const number = (
    group: string,
    label: string,
    pick: (r: RunReport) => number | null | undefined,
    format: (v: number) => string,
    better?: Better,
  ): void => {
    rows.push(numericRow(group, label, reports.map((r) => pick(r) ?? null), format, better));
  };

  text('run', 'strategy', (r) => r.config.workload.strategy);
  text('run', 'scenario', (r) => r.config.workload.scenario.scenario);
  text('run', 'shape', (r) => (r.config.workload.shape === 'dms' ? `dms (${r.config.workload.isolation})` : 'bare'));
  number('run', 'sessions', (r) => r.sessions.requested, plain);
  text('run', 'dataset', (r) => `D=${r.dataset.documents} R=${r.dataset.references} A=${r.dataset.avgRefsPerDoc} P=${r.dataset.partitions}`);
  text('run', 'schema', (r) => datasetLayout(r.dataset));
  number('run', 'duration s', (r) => r.durationMs / 1000, (v) => fixed(v, 1));
  number('run', 'sessions lost', (r) => r.sessions.lost, plain, 'lower');

  number('throughput', 'ops/s', (r) => r.throughput.opsPerSec, (v) => fixed(v, 1), 'higher');
  number('throughput', 'ops ok', (r) => r.ops.ok, plain, 'higher');
  number('throughput', 'failed', (r) => r.ops.failed, plain, 'lower');
  number('throughput', 'failed %', (r) => failedShare(r), (v) => `${fixed(v, 2)}%`, 'lower');
  number('throughput', 'retried', (r) => r.ops.retried, plain, 'lower');

  for (const key of ['p50', 'p95', 'p99', 'max'] as const) {
    number('latency ms', key, (r) => (r.latencyMs.count > 0 ? r.latencyMs[key] : null), ms, 'lower');
  }
  rows.push(...phaseRows(reports, ms));

  for (const code of unionKeys(reports.map((r) => r.ops.byError), (a, b) => a.localeCompare(b))) {
    const name = errorCodeName(code);
    const label = name === code ? code : `${code} ${name}`;
    number('errors by class', label, (r) => r.ops.byError[code] ?? 0, plain, 'lower');
  }

  number('integrity', 'violations', (r) => r.integrity?.violations ?? null, plain, 'lower');
  number('integrity', 'documents checked', (r) => r.integrity?.documentsChecked ?? null, plain);
  if (reports.some((r) => r.integrity?.observed)) {
    number('integrity', 'observed anomalies per 1000 writes', (r) => r.integrity?.observed?.per1000 ?? null, (v) => fixed(v, 2), 'lower');
  }

  const perOpKeys = unionKeys(reports.map((r) => r.pg?.perOp ?? {}), perOpOrder);
  for (const key of perOpKeys) {
    number('per operation', humanize(key), (r) => r.pg?.perOp[key] ?? null, (v) => fixed(v, v >= 100 ? 0 : 2), 'lower');
  }

  for (const event of topLockWaitEvents(reports, options.topLockWaits)) {
    number('lock-wait share', event, (r) => (r.lockWaits ? 100 * (lockWaitShares(r)[event] ?? 0) : null), (v) => `${fixed(v, 1)}%`);
  }

  rows.push(...contentionRows(reports));

  return {
    runs: reports.map((r, i) => ({ label: labels[i] ?? r.name, name: r.name, runId: r.runId })),
    rows,
    environmentWarnings: environmentWarnings(reports),
  };
}



/** A run's lock-wait profile: category → share of its session-samples (run.json holds counts). */
export function lockWaitShares(report: RunReport): Record<string, number> {
  const shares: Record<string, number> = {};
  const section = report.lockWaits;
  if (!section || section.sessionSamples <= 0) return shares;
  for (const [event, count] of Object.entries(section.byEvent)) shares[event] = count / section.sessionSamples;
  return shares;
}

/** The union of every run's top-N lock-wait categories, largest share in any run first. */
export function topLockWaitEvents(reports: readonly RunReport[], top: number): string[] {
  const chosen = new Map<string, number>();
  for (const r of reports) {
    const entries = Object.entries(lockWaitShares(r)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [event, share] of entries.slice(0, top)) chosen.set(event, Math.max(chosen.get(event) ?? 0, share));
  }
  return [...chosen.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([event]) => event);
}

function failedShare(r: RunReport): number {
  const all = r.ops.ok + r.ops.failed + (r.ops.rejected ?? 0);
  return all === 0 ? 0 : (100 * r.ops.failed) / all;
}

function unionKeys(records: readonly Readonly<Record<string, unknown>>[], order: (a: string, b: string) => number): string[] {
  const keys = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) keys.add(key);
  return [...keys].sort(order);
}

function perOpOrder(a: string, b: string): number {
  const ia = PER_OP_FIRST.indexOf(a);
  const ib = PER_OP_FIRST.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a.localeCompare(b);
}

const PER_OP_LABELS: Readonly<Record<string, string>> = { walBytes: 'WAL bytes', walRecords: 'WAL records', walFpi: 'WAL full-page images' };

/** "deadTuples" → "dead tuples". */
function humanize(key: string): string {
  if (PER_OP_LABELS[key]) return PER_OP_LABELS[key];
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

const plain = (v: number): string => String(v);
const ms = (v: number): string => fixed(v, v >= 100 ? 1 : v >= 10 ? 2 : 3);

function fixed(v: number, digits: number): string {
  return Number(v.toFixed(digits)).toString();
}
