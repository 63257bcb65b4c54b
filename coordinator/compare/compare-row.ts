/**
 * One row of a comparison (coordinator/compare/compare.ts): a measure, one cell per run, numeric cells
 * of the second and later runs marked with their difference against the first. Apart from compare.ts
 * so that the modules adding groups of rows (phases, contention) need not import the comparison.
 */

/** Which way is better for a measure, so renderers can colour a difference; undefined: neither. */
export type Better = 'higher' | 'lower';

export interface CompareCell {
  readonly text: string;
  /** The numeric value, when the measure is numeric and the run has it. */
  readonly value: number | null;
  /** Difference against the first run's cell, e.g. "+35%", "-4.2%"; absent for the first run and when equal. */
  readonly diff?: string;
  /** True when the difference goes the better way, false when worse, absent when neither or no difference. */
  readonly improved?: boolean;
}

export interface CompareRow {
  readonly group: string;
  readonly label: string;
  /** Numbers are right-aligned by renderers, text left-aligned. */
  readonly numeric: boolean;
  readonly better?: Better;
  readonly cells: readonly CompareCell[];
}

export function numericRow(
  group: string,
  label: string,
  values: readonly (number | null)[],
  format: (v: number) => string,
  better?: Better,
): CompareRow {
  const base = values[0];
  const cells = values.map((value, i): CompareCell => {
    if (value === null || !Number.isFinite(value)) return { text: '-', value: null };
    const cell = { text: format(value), value };
    if (i === 0 || base === null) return cell;
    const diff = relativeDifference(base, value, format);
    if (diff === undefined) return cell;
    const improved = better === undefined ? undefined : (value > base) === (better === 'higher');
    return improved === undefined ? { ...cell, diff } : { ...cell, diff, improved };
  });
  return better === undefined ? { group, label, numeric: true, cells } : { group, label, numeric: true, better, cells };
}

/**
 * "+35%", "-4.2%"; undefined when equal. From a base of 0 no ratio exists: the absolute
 * difference in the measure's own format ("+5", "+12.5%" for shares).
 */
export function relativeDifference(base: number, value: number, format: (v: number) => string = String): string | undefined {
  if (value === base) return undefined;
  if (base === 0) return value > 0 ? `+${format(value)}` : `-${format(-value)}`;
  const percent = (100 * (value - base)) / Math.abs(base);
  const rounded = Math.abs(percent) < 10 ? Math.round(percent * 10) / 10 : Math.round(percent);
  if (rounded === 0) return percent > 0 ? '+0%' : '-0%';
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}
