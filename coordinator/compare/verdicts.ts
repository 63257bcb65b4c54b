import { mergeHistograms, type Histogram } from '../../shared/histogram.ts';
import type { IntervalSummary, RunReport } from '../results/run-report.ts';
import { lockWaitShares, topLockWaitEvents } from './compare.ts';
import { COMPARE_JSON_VERSION, type CompareJson, type GroupComparison, type MetricVerdict } from './compare-json.ts';
import type { RunGroup, RunSample } from './run-groups.ts';
import { evaluateRelativeThreshold, type RelativeThreshold, type ThresholdResult } from '../results/thresholds.ts';
import {
  blockItems,
  bootstrapDifferences,
  itemSeries,
  mean,
  verdictOf,
  welchDifference,
  type Block,
  type BootstrapSeries,
  type DifferenceEstimate,
  type Direction,
} from './statistics.ts';

/**
 * Every run group after the baseline compared with the baseline group, metric by metric (ops/s,
 * p50, p99, errors, the top lock-wait shares): difference, 95% interval, verdict. Between runs when
 * both groups hold ≥ 2 runs, else a block bootstrap over the groups' per-second intervals
 * (statistics.ts). Pure and seeded: the same runs and seed give the same document.
 */

export interface VerdictOptions {
  readonly seed: number;
  /** Index of the baseline group (0: the first). */
  readonly baselineGroup?: number;
  readonly topLockWaits: number;
  readonly replicates?: number;
}

/** Lock-wait categories that are not waiting: left out of the verdicts (as of the README's layouts table). */
const NOT_WAITING = new Set(['CPU', 'Idle', 'IdleInTransaction', 'IdleInTransactionAborted']);

export function judgeGroups(groups: readonly RunGroup[], options: VerdictOptions): CompareJson {
  const baselineIndex = options.baselineGroup ?? 0;
  const baseline = groups[baselineIndex];
  const reports = groups.flatMap((g) => g.runs.map((r) => r.report));
  const events = topLockWaitEvents(reports, options.topLockWaits).filter((e) => !NOT_WAITING.has(e));
  const comparisons: GroupComparison[] = [];
  groups.forEach((group, i) => {
    if (i === baselineIndex) return;
    comparisons.push(compareGroup(baseline, group, events, options, i));
  });
  return {
    version: COMPARE_JSON_VERSION,
    seed: options.seed,
    groups: groups.map((g) => ({ name: g.name, runs: g.runs.map((r) => r.label), runIds: g.runs.map((r) => r.report.runId) })),
    comparisons,
  };
}

interface MetricSpec {
  readonly metric: string;
  readonly better: Direction;
  /** The run's own figure (between runs). */
  readonly runValue: (report: RunReport) => number | undefined;
}

function metricSpecs(events: readonly string[]): MetricSpec[] {
  return [
    { metric: 'ops/s', better: 'higher', runValue: (r) => r.throughput.opsPerSec },
    { metric: 'p50', better: 'lower', runValue: (r) => (r.latencyMs.count > 0 ? r.latencyMs.p50 : undefined) },
    { metric: 'p99', better: 'lower', runValue: (r) => (r.latencyMs.count > 0 ? r.latencyMs.p99 : undefined) },
    { metric: 'errors', better: 'lower', runValue: errorPercent },
    ...events.map(
      (event): MetricSpec => ({
        metric: `lock-wait ${event}`,
        better: 'lower',
        runValue: (r) => (r.lockWaits ? 100 * (lockWaitShares(r)[event] ?? 0) : undefined),
      }),
    ),
  ];
}

function compareGroup(baseline: RunGroup, group: RunGroup, events: readonly string[], options: VerdictOptions, index: number): GroupComparison {
  const specs = metricSpecs(events);
  const betweenRuns = baseline.runs.length >= 2 && group.runs.length >= 2;
  const estimates = betweenRuns ? betweenRunEstimates(baseline, group, specs) : bootstrapEstimates(baseline, group, events, options, index);
  const metrics: MetricVerdict[] = [];
  for (const spec of specs) {
    const estimate = estimates.get(spec.metric);
    if (estimate === undefined || ![estimate.baseline, estimate.value, ...estimate.ci95].every(Number.isFinite)) continue;
    metrics.push({
      metric: spec.metric,
      baseline: estimate.baseline,
      value: estimate.value,
      difference: estimate.difference,
      ci95: [estimate.ci95[0], estimate.ci95[1]],
      verdict: verdictOf(estimate.ci95, spec.better),
    });
  }
  return { group: group.name, baselineGroup: baseline.name, method: betweenRuns ? 'between-runs' : 'block-bootstrap', metrics };
}

function betweenRunEstimates(baseline: RunGroup, group: RunGroup, specs: readonly MetricSpec[]): Map<string, DifferenceEstimate> {
  const estimates = new Map<string, DifferenceEstimate>();
  for (const spec of specs) {
    const a = definedValues(baseline.runs, spec.runValue);
    const b = definedValues(group.runs, spec.runValue);
    if (a.length >= 2 && b.length >= 2) estimates.set(spec.metric, welchDifference(a, b));
  }
  return estimates;
}

function definedValues(runs: readonly RunSample[], pick: (r: RunReport) => number | undefined): number[] {
  return runs.map((r) => pick(r.report)).filter((v): v is number => v !== undefined && Number.isFinite(v));
}

/**
 * The group's runs' intervals end to end as one series per kind (a block may straddle two runs of
 * a group: a small approximation, documented). Latency from the per-interval histograms.
 */
function bootstrapEstimates(
  baseline: RunGroup,
  group: RunGroup,
  events: readonly string[],
  options: VerdictOptions,
  index: number,
): Map<string, DifferenceEstimate> {
  const estimates = new Map<string, DifferenceEstimate>();
  const seed = (what: string): string => `${options.seed}:${index}:${what}`;
  const counts = (g: RunGroup): BootstrapSeries => itemSeries(groupIntervals(g), countStatistics(events));
  const a = counts(baseline);
  const b = counts(group);
  if (a.length > 0 && b.length > 0) {
    const names = ['ops/s', 'errors', ...events.map((e) => `lock-wait ${e}`)];
    bootstrapDifferences(a, b, seed('intervals'), options.replicates).forEach((estimate, i) => estimates.set(names[i], estimate));
  }
  const la = latencySeries(baseline.runs.flatMap((r) => r.intervalHistograms));
  const lb = latencySeries(group.runs.flatMap((r) => r.intervalHistograms));
  if (la.length > 0 && lb.length > 0) {
    const [p50, p99] = bootstrapDifferences(la, lb, seed('latency'), options.replicates);
    estimates.set('p50', p50);
    estimates.set('p99', p99);
  }
  return estimates;
}

/**
 * The runs' whole seconds: each run's last interval is left out, being cut short by the end of the
 * run (its ops/s is taken over a fraction of a second, down to 1 ms, and would swing the mean).
 */
function groupIntervals(group: RunGroup): IntervalSummary[] {
  return group.runs.flatMap((r) => r.report.intervals.slice(0, -1));
}

/** ops/s (mean of the seconds), errors (% of the operations), each lock-wait share (mean of the sampled seconds, %). */
function countStatistics(events: readonly string[]): (sample: readonly IntervalSummary[]) => number[] {
  return (sample) => {
    let ok = 0;
    let failed = 0;
    for (const i of sample) {
      ok += i.ok;
      failed += i.failed;
    }
    const sampled = sample.filter((i) => i.lockWaits !== undefined);
    return [
      mean(sample.map((i) => i.opsPerSec)),
      ok + failed === 0 ? 0 : (100 * failed) / (ok + failed),
      ...events.map((e) => (sampled.length === 0 ? NaN : 100 * mean(sampled.map((i) => i.lockWaits?.[e] ?? 0)))),
    ];
  };
}

/** p50 and p99 (ms) of the merged histograms of a sample; each block's merge is computed once. */
function latencySeries(histograms: readonly Histogram[]): BootstrapSeries {
  const blocks = new Map<string, Histogram>();
  const blockHistogram = (block: Block): Histogram => {
    const key = `${block.start}:${block.length}`;
    let merged = blocks.get(key);
    if (!merged) {
      merged = mergeHistograms(blockItems(histograms, [block]));
      blocks.set(key, merged);
    }
    return merged;
  };
  return {
    length: histograms.length,
    statistics: (sample) => {
      const merged = sample.length === 1 ? blockHistogram(sample[0]) : mergeHistograms(sample.map(blockHistogram));
      if (merged.totalCount === 0) return [NaN, NaN];
      return [merged.getValueAtPercentile(50) / 1000, merged.getValueAtPercentile(99) / 1000];
    },
  };
}

function errorPercent(r: RunReport): number {
  const all = r.ops.ok + r.ops.failed + (r.ops.rejected ?? 0);
  return all === 0 ? 0 : (100 * r.ops.failed) / all;
}

/** Each relative threshold judged on every compared group (one result per group and threshold). */
export function judgeRelativeThresholds(verdicts: CompareJson, thresholds: readonly RelativeThreshold[]): ThresholdResult[] {
  return verdicts.comparisons.flatMap((comparison) =>
    thresholds.map((threshold) => {
      const result = evaluateRelativeThreshold(threshold, comparison.metrics.find((m) => m.metric === threshold.metric));
      return verdicts.comparisons.length === 1 ? result : { ...result, actual: `${comparison.group}: ${result.actual}` };
    }),
  );
}
