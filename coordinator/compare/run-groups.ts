import type { Histogram } from '../../shared/histogram.ts';
import type { RunReport } from '../results/run-report.ts';

/**
 * Runs grouped into repeats of one thing, judged together: the same name (without the -rN that
 * `run --repeat` adds) and the same configuration. "The same configuration" is the run's config
 * and dataset without what names or places a run, or only observes it: name, seed, results root,
 * thresholds, connection URLs and database name, how long to wait for workers, restore-after and
 * allow-concurrent-runs (the seed is left out: repeats with other seeds are the same workload drawn
 * again). The name counts so that one configuration run before and after a change of the server
 * (`--name before`, `--name after`) stays two groups to compare.
 */

export interface RunSample {
  /** The results directory as given. */
  readonly label: string;
  readonly report: RunReport;
  /** The per-second histograms of intervals.hlog; empty when the folder has none. */
  readonly intervalHistograms: readonly Histogram[];
}

export interface RunGroup {
  readonly name: string;
  readonly runs: readonly RunSample[];
}

const NOT_CONFIGURATION = [
  'name',
  'seed',
  'resultsRoot',
  'thresholds',
  'databaseName',
  'databaseUrlMasked',
  'redisUrlMasked',
  'waitWorkersMs',
  'restoreAfter',
  'allowConcurrentRuns',
] as const;

/** What makes two runs repeats of one group: their name without -rN, and their configuration. */
export function groupKey(report: RunReport): string {
  return `${repeatBaseName(report.name)}\n${configurationKey(report)}`;
}

/** A canonical text of what makes two runs the same configuration. */
export function configurationKey(report: RunReport): string {
  const config: Record<string, unknown> = { ...report.config };
  for (const key of NOT_CONFIGURATION) delete config[key];
  return canonicalJson({ config, dataset: report.dataset });
}

/** Groups in order of first appearance, runs in the order given; a group is named after its runs' name (-rN dropped). */
export function groupRuns(runs: readonly RunSample[]): RunGroup[] {
  const groups = new Map<string, RunSample[]>();
  for (const run of runs) {
    const key = groupKey(run.report);
    const members = groups.get(key) ?? [];
    members.push(run);
    groups.set(key, members);
  }
  const named = [...groups.values()].map((members) => ({ name: repeatBaseName(members[0].report.name), runs: members }));
  // Two configurations whose runs bear one name stay apart: the later ones get "#2", "#3".
  const seen = new Map<string, number>();
  return named.map((group) => {
    const count = (seen.get(group.name) ?? 0) + 1;
    seen.set(group.name, count);
    return count === 1 ? group : { ...group, name: `${group.name}#${count}` };
  });
}

/** "demo-r3" → "demo": the name `run --repeat` gave the first run. */
export function repeatBaseName(name: string): string {
  return name.replace(/-r\d+$/, '');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      // An optional switch absent (older run.json) and off are one configuration: false is left out too.
      .filter(([, v]) => v !== undefined && v !== false)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
