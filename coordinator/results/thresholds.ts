import { ThresholdBreachedError, UsageError } from '../../shared/errors.ts';
import type { RunReport } from './run-report.ts';

/**
 * `--threshold` expressions (`p99<50ms`, `errors<1%`, `dropped==0`, `integrity==0`, `ops/s>100`): parsed once
 * into typed checks, evaluated against a finished run's report. A threshold whose metric the run
 * did not measure (integrity of a run without the check) counts as breached: a CI gate must not
 * pass by accident.
 */

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** What a metric's value is measured in, which decides the units an expression may use. */
type MetricKind = 'latency' | 'share' | 'count' | 'rate';

interface MetricSpec {
  readonly kind: MetricKind;
  /** The metric's value in a report, in ms (latency), a count, or ops/s; undefined when not measured. */
  readonly value: (report: RunReport) => number | undefined;
  /** For share metrics: the denominator a percentage is taken of. */
  readonly total?: (report: RunReport) => number;
  readonly unmeasured?: string;
}

const allOps = (r: RunReport): number => r.ops.ok + r.ops.failed + (r.ops.rejected ?? 0);
const latency = (pick: (r: RunReport) => number): MetricSpec => ({ kind: 'latency', value: pick });

const METRICS: Readonly<Record<string, MetricSpec>> = {
  min: latency((r) => r.latencyMs.min),
  mean: latency((r) => r.latencyMs.mean),
  avg: latency((r) => r.latencyMs.mean),
  p50: latency((r) => r.latencyMs.p50),
  p90: latency((r) => r.latencyMs.p90),
  p95: latency((r) => r.latencyMs.p95),
  p99: latency((r) => r.latencyMs.p99),
  p999: latency((r) => r.latencyMs.p999),
  'p99.9': latency((r) => r.latencyMs.p999),
  max: latency((r) => r.latencyMs.max),
  errors: { kind: 'share', value: (r) => r.ops.failed, total: allOps },
  failed: { kind: 'share', value: (r) => r.ops.failed, total: allOps },
  retried: { kind: 'share', value: (r) => r.ops.retried, total: allOps },
  retries: { kind: 'share', value: (r) => r.ops.retried, total: allOps },
  // Of every scheduled operation: those that ran and those dropped at the end of --duration.
  dropped: { kind: 'share', value: (r) => r.ops.dropped ?? 0, total: (r) => allOps(r) + (r.ops.dropped ?? 0) },
  lost: { kind: 'count', value: (r) => r.sessions.lost },
  ops: { kind: 'count', value: allOps },
  integrity: {
    kind: 'count',
    value: (r) => r.integrity?.violations,
    unmeasured: 'not checked (no integrity check in this run)',
  },
  'ops/s': { kind: 'rate', value: (r) => r.throughput.opsPerSec },
  tps: { kind: 'rate', value: (r) => r.throughput.opsPerSec },
  // 1 when the load generator bound the run (coordinator/results/generator-bound.ts), else 0.
  'generator-bound': { kind: 'count', value: (r) => (r.generator ? Number(r.generator.bound) : undefined), unmeasured: 'not measured (no generator health in this run)' },
};

export const THRESHOLD_METRICS: readonly string[] = Object.keys(METRICS);

export interface Threshold {
  readonly expression: string;
  readonly metric: string;
  readonly operator: ThresholdOperator;
  /** In the metric's unit: ms for latency, ops/s for rates, a count, or a percentage when `percent`. */
  readonly limit: number;
  readonly percent: boolean;
}

export interface ThresholdResult {
  readonly expression: string;
  readonly passed: boolean;
  /** The measured value as text, e.g. "12.3ms", "0.42%", "950.1 ops/s", or why it is missing. */
  readonly actual: string;
}

const EXPRESSION = /^([a-z][a-z0-9./-]*)\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|%)?$/i;
const LATENCY_UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000 };

export function parseThreshold(expression: string): Threshold {
  const text = expression.trim();
  const match = EXPRESSION.exec(text);
  if (!match) {
    throw badThreshold(expression, 'expected METRIC OP VALUE such as p99<50ms, errors<1%, integrity==0 or ops/s>100');
  }
  const metric = match[1].toLowerCase();
  const operator = match[2] as ThresholdOperator;
  const number = Number(match[3]);
  const unit = match[4]?.toLowerCase();
  const spec = METRICS[metric];
  if (!spec) throw badThreshold(expression, `unknown metric "${match[1]}" (metrics: ${THRESHOLD_METRICS.join(', ')})`);
  switch (spec.kind) {
    case 'latency':
      if (unit === '%') throw badThreshold(expression, `${metric} is a latency: give a duration such as 50ms`);
      return { expression: text, metric, operator, limit: number * LATENCY_UNIT_MS[unit ?? 'ms'], percent: false };
    case 'share':
      if (unit !== undefined && unit !== '%') throw badThreshold(expression, `${metric} takes a percentage (1%) or a count (5)`);
      if (unit === '%' && number > 100) throw badThreshold(expression, `${metric} is a share of operations: give a percentage from 0 to 100%`);
      return { expression: text, metric, operator, limit: number, percent: unit === '%' };
    case 'count':
    case 'rate':
      if (unit !== undefined) throw badThreshold(expression, `${metric} takes a plain number, without "${match[4]}"`);
      return { expression: text, metric, operator, limit: number, percent: false };
  }
}

/** Parses every expression, reporting all bad ones in one error. */
export function parseThresholds(expressions: readonly string[]): Threshold[] {
  const parsed: Threshold[] = [];
  const problems: string[] = [];
  for (const expression of expressions) {
    try {
      parsed.push(parseThreshold(expression));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return parsed;
}

function badThreshold(expression: string, why: string): UsageError {
  return new UsageError(`invalid value "${expression}" for --threshold: ${why}`);
}

export function evaluateThreshold(threshold: Threshold, report: RunReport): ThresholdResult {
  const spec = METRICS[threshold.metric];
  const raw = spec.value(report);
  if (raw === undefined || !Number.isFinite(raw)) {
    return { expression: threshold.expression, passed: false, actual: spec.unmeasured ?? 'not measured' };
  }
  let value = raw;
  let actual: string;
  if (threshold.percent) {
    const total = spec.total?.(report) ?? 0;
    value = total === 0 ? 0 : (100 * raw) / total;
    actual = `${round(value, 3)}%`;
  } else if (spec.kind === 'latency') {
    actual = `${round(value, 3)}ms`;
  } else if (spec.kind === 'rate') {
    actual = `${round(value, 1)} ops/s`;
  } else {
    actual = String(value);
  }
  return { expression: threshold.expression, passed: compare(value, threshold.operator, threshold.limit), actual };
}

export function evaluateThresholds(thresholds: readonly Threshold[], report: RunReport): ThresholdResult[] {
  return thresholds.map((t) => evaluateThreshold(t, report));
}

function compare(value: number, operator: ThresholdOperator, limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Throws ThresholdBreachedError (exit 3) naming every breached threshold, when there is one. */
export function assertThresholds(results: readonly ThresholdResult[]): void {
  const breached = results.filter((r) => !r.passed);
  if (breached.length === 0) return;
  const list = breached.map((r) => `${r.expression} (actual ${r.actual})`).join(', ');
  throw new ThresholdBreachedError(`${breached.length} of ${results.length} thresholds breached: ${list}`);
}

/** The report with its `thresholds` section evaluated from the run's --threshold expressions (unchanged when none). */
export function withThresholds(report: RunReport, expressions: readonly string[]): RunReport {
  if (expressions.length === 0) return report;
  return { ...report, thresholds: evaluateThresholds(parseThresholds(expressions), report) };
}

/** The expressions as given, once every one parses (for RunConfig.thresholds, checked at the edge). */
export function checkedThresholdExpressions(expressions: readonly string[]): string[] {
  parseThresholds(expressions);
  return [...expressions];
}
