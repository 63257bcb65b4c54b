import { Type } from '@sinclair/typebox';
import { Count, Finite, type Contract } from '../../shared/protocol/contract-schema.ts';

/**
 * compare.json (docs/architecture.md#comparing-runs): the verdicts of `refswarm compare`, for
 * scripts. Runs are grouped by configuration; every group after the baseline group is compared
 * with it, metric by metric. Declared once here; `compare --json` prints the same document.
 */

export const COMPARE_JSON_VERSION = 1;

export const VERDICTS = ['better', 'worse', 'no-difference'] as const;

export const MetricVerdictSchema = Type.Object({
  /** "ops/s", "p50", "p99", "errors" (percent of operations), "lock-wait <event>" (percent of session-samples). */
  metric: Type.String(),
  /** The baseline group's value and this group's: milliseconds for latencies, percent for shares. */
  baseline: Finite(),
  value: Finite(),
  /** value − baseline, in the metric's unit. */
  difference: Finite(),
  /** 95% confidence interval of the difference. */
  ci95: Type.Tuple([Finite(), Finite()]),
  verdict: Type.Union(VERDICTS.map((v) => Type.Literal(v))),
});
export type MetricVerdict = Contract<typeof MetricVerdictSchema>;

export const RunGroupSummarySchema = Type.Object({
  name: Type.String(),
  /** The results directories of the group's runs, in the order given. */
  runs: Type.Array(Type.String()),
  runIds: Type.Array(Type.String()),
});

export const GroupComparisonSchema = Type.Object({
  group: Type.String(),
  baselineGroup: Type.String(),
  /** between-runs: Welch on run values (both groups ≥ 2 runs); block-bootstrap: over per-second intervals. */
  method: Type.Union([Type.Literal('between-runs'), Type.Literal('block-bootstrap')]),
  metrics: Type.Array(MetricVerdictSchema),
});
export type GroupComparison = Contract<typeof GroupComparisonSchema>;

export const CompareJsonSchema = Type.Object({
  version: Type.Literal(COMPARE_JSON_VERSION),
  /** Seed of the bootstrap: the same files and seed give the same intervals and verdicts. */
  seed: Count(),
  groups: Type.Array(RunGroupSummarySchema),
  comparisons: Type.Array(GroupComparisonSchema),
  /** With --baseline and relative --threshold expressions: each gate's outcome. */
  thresholds: Type.Optional(Type.Array(Type.Object({ expression: Type.String(), passed: Type.Boolean(), actual: Type.String() }))),
});
export type CompareJson = Contract<typeof CompareJsonSchema>;
