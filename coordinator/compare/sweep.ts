import { UsageError } from '../../shared/errors.ts';
import { parseRangedValue } from '../../shared/cli/options.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';
import { SCENARIOS, SHAPES, STRATEGIES, type ScenarioName, type ShapeName, type StrategyName } from '../../shared/run-config.ts';
import type { RunReport } from '../results/run-report.ts';
import type { Series } from '../html/svg-charts.ts';

/**
 * A sweep's pure half: the matrix of runs (sessions × strategy × scenario × shape) from comma
 * lists, the series the sweep report draws (throughput and p99 against sessions, one line per
 * strategy/scenario/shape), and where throughput stops scaling (the contention knee).
 */

export interface SweepAxes {
  readonly sessions: readonly number[];
  readonly strategies: readonly StrategyName[];
  readonly scenarios: readonly ScenarioName[];
  readonly shapes: readonly ShapeName[];
}

export interface SweepCell {
  /** 0-based position in the order the runs execute. */
  readonly index: number;
  readonly sessions: number;
  readonly strategy: StrategyName;
  readonly scenario: ScenarioName;
  readonly shape: ShapeName;
  /** The line this cell belongs to in the sweep charts: everything but sessions. */
  readonly series: string;
}

export const MAX_SWEEP_CELLS = 200;

/**
 * The order runs execute with `--repeat R`: the whole matrix R times over (A B A B …, never A A B B),
 * so that drift in the server's state during the sweep falls on every cell alike and does not bias
 * their comparison. `repeat` counts from 1.
 */
export function interleaveRepeats(cells: readonly SweepCell[], repeats: number): { cell: SweepCell; repeat: number }[] {
  return Array.from({ length: repeats }, (_, r) => cells.map((cell) => ({ cell, repeat: r + 1 }))).flat();
}

/** "1,4,16,64" → [1, 4, 16, 64]: each a valid --sessions, no repeats. */
export function parseSessionsList(raw: string): number[] {
  const values = splitList('sessions', raw).map((piece) => parseRangedValue('sessions', piece, OPTION_RANGES.sessions));
  return distinct('sessions', raw, values);
}

export function parseChoiceList<T extends string>(flag: string, raw: string, choices: readonly T[]): T[] {
  const values = splitList(flag, raw).map((piece) => {
    if (!(choices as readonly string[]).includes(piece)) {
      throw new UsageError(`invalid value "${raw}" for --${flag}: "${piece}" is not one of ${choices.join(', ')}`);
    }
    return piece as T;
  });
  return distinct(flag, raw, values);
}

export function parseSweepAxes(raw: {
  readonly sessions?: string;
  readonly strategy?: string;
  readonly scenario?: string;
  readonly shape?: string;
}): SweepAxes {
  return {
    sessions: raw.sessions === undefined ? [10] : parseSessionsList(raw.sessions),
    strategies: raw.strategy === undefined ? ['current'] : parseChoiceList('strategy', raw.strategy, STRATEGIES),
    scenarios: raw.scenario === undefined ? ['single'] : parseChoiceList('scenario', raw.scenario, SCENARIOS),
    shapes: raw.shape === undefined ? ['bare'] : parseChoiceList('shape', raw.shape, SHAPES),
  };
}

/**
 * Every combination, sessions ascending in the outer loop and the strategies interleaved inside it,
 * so that strategies compared at one session count ran close together in time (drift in the
 * server's state — bloat, caches, autovacuum — spreads over all of them rather than one).
 */
export function expandSweep(axes: SweepAxes): SweepCell[] {
  const cells: SweepCell[] = [];
  const sessions = [...axes.sessions].sort((a, b) => a - b);
  const varied = (values: readonly string[]): boolean => values.length > 1;
  for (const n of sessions) {
    for (const scenario of axes.scenarios) {
      for (const shape of axes.shapes) {
        for (const strategy of axes.strategies) {
          const parts: string[] = [strategy];
          if (varied(axes.scenarios)) parts.push(scenario);
          if (varied(axes.shapes)) parts.push(shape);
          cells.push({ index: cells.length, sessions: n, strategy, scenario, shape, series: parts.join(' ') });
        }
      }
    }
  }
  if (cells.length > MAX_SWEEP_CELLS) {
    throw new UsageError(`the sweep has ${cells.length} runs, more than ${MAX_SWEEP_CELLS}: give fewer values to --sessions, --strategy, --scenario or --shape`);
  }
  return cells;
}

/** The run name of a cell: the user's --name (or "sweep") plus what varies. */
export function cellRunName(base: string, cell: SweepCell): string {
  return `${base}-${cell.scenario}-${cell.strategy}-${cell.shape}-${cell.sessions}`;
}

export interface SweepSeries {
  readonly throughput: readonly Series[];
  readonly p99: readonly Series[];
}

/** Lines for the sweep charts: one per series, points at each session count that produced a report. */
export function sweepSeries(cells: readonly SweepCell[], reports: ReadonlyMap<number, RunReport>): SweepSeries {
  const names = [...new Set(cells.map((c) => c.series))];
  const build = (pick: (r: RunReport) => number | null): Series[] =>
    names.map((name) => ({
      name,
      points: cells
        .filter((c) => c.series === name && reports.has(c.index))
        .flatMap((c) => {
          const y = pick(reports.get(c.index)!);
          return y === null ? [] : [{ x: c.sessions, y }];
        }),
    }));
  return {
    throughput: build((r) => r.throughput.opsPerSec),
    p99: build((r) => (r.latencyMs.count > 0 ? r.latencyMs.p99 : null)),
  };
}

/** Below this gain from one session count to the next, throughput counts as no longer scaling. */
export const KNEE_MIN_GAIN = 0.1;

/**
 * The contention knee of a throughput series: the first session count after which adding sessions
 * raises throughput by less than KNEE_MIN_GAIN (or lowers it); undefined while it keeps scaling.
 */
export function contentionKnee(series: Series): number | undefined {
  const points = [...series.points].sort((a, b) => a.x - b.x);
  for (let i = 0; i + 1 < points.length; i++) {
    if (points[i + 1].y < points[i].y * (1 + KNEE_MIN_GAIN)) return points[i].x;
  }
  return undefined;
}

function splitList(flag: string, raw: string): string[] {
  const pieces = raw.split(',').map((p) => p.trim());
  if (pieces.some((p) => p === '')) throw new UsageError(`invalid value "${raw}" for --${flag}: expected a comma-separated list such as ${flag === 'sessions' ? '1,4,16' : 'current,merge'}`);
  return pieces;
}

function distinct<T>(flag: string, raw: string, values: T[]): T[] {
  if (new Set(values).size !== values.length) throw new UsageError(`invalid value "${raw}" for --${flag}: a value is repeated`);
  return values;
}
