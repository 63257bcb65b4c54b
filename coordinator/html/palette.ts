/**
 * Every colour the pages use. A wait-event family keeps one hue on every page (report.html,
 * compare.html, the sweep), so that heavyweight locks read red and CPU green wherever they appear.
 */

/** The category for what a chart leaves out of its top ones. */
export const OTHER = 'other';

const OTHER_COLOUR = '#d5d8dc';

/** The family's own colour first, then shades of it for its further events in one chart. */
const FAMILY_SHADES: Readonly<Record<string, readonly string[]>> = {
  CPU: ['#3a9d5d'],
  Lock: ['#c0392b', '#e74c3c', '#8e1b10', '#f1948a'],
  LWLock: ['#e67e22', '#f5b041', '#a04000', '#f8c471'],
  IO: ['#2e86c1', '#5dade2', '#1b4f72', '#a9cce3'],
  IPC: ['#17a589', '#76d7c4'],
  Timeout: ['#b7950b', '#f4d03f'],
  BufferPin: ['#6e2c00'],
  Activity: ['#5d6d7e'],
  Extension: ['#c2185b', '#f06292'],
  Client: ['#7f8c8d', '#a6acaf'],
  Idle: ['#bdc3c7'],
  IdleInTransaction: ['#8e44ad'],
  IdleInTransactionAborted: ['#4a235a'],
};

/** For families not listed above, one colour each, in order of appearance. */
const UNKNOWN_FAMILY_COLOURS = ['#34495e', '#935116', '#1e8449', '#6c3483', '#0e6655'];

/** "Lock:transactionid" → "Lock"; "CPU" → "CPU". */
export function waitEventFamily(category: string): string {
  return category.split(':')[0];
}

/**
 * Colours for one chart's wait-event categories, given largest first: the top event of each family
 * gets the family's colour and the family's next events its other shades, so that two events of one
 * family stay apart within the chart while the family reads the same on every page. A category not
 * ranked is one the chart counts under "other", and gets other's colour.
 */
export function waitEventColours(ranked: readonly string[]): (category: string) => string {
  const colours = new Map<string, string>();
  const seenInFamily = new Map<string, number>();
  const unknownFamilies: string[] = [];
  for (const category of ranked) {
    if (category === OTHER) continue;
    const family = waitEventFamily(category);
    const shades = FAMILY_SHADES[family];
    if (shades === undefined) {
      if (!unknownFamilies.includes(family)) unknownFamilies.push(family);
      colours.set(category, UNKNOWN_FAMILY_COLOURS[unknownFamilies.indexOf(family) % UNKNOWN_FAMILY_COLOURS.length]);
      continue;
    }
    const n = seenInFamily.get(family) ?? 0;
    seenInFamily.set(family, n + 1);
    colours.set(category, shades[n % shades.length]);
  }
  return (category) => colours.get(category) ?? OTHER_COLOUR;
}

/** Runs side by side and sweep series: the i-th run or series of a page. */
const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length];
}

/** The report's measures over time and by percentile. */
export const MEASURE_COLOURS = {
  latency: '#2e86c1',
  latencyP50: '#5dade2',
  latencyP99: '#c0392b',
  latencyMax: '#aab7b8',
  opsPerSec: '#3a9d5d',
  failedPerSec: '#c0392b',
} as const;

/** The phases of an operation (shared/phases.ts): the lock reads as the heavyweight-lock family does. */
export const PHASE_COLOURS: Readonly<Record<string, string>> = {
  lock: '#c0392b',
  update: '#e67e22',
  strategy: '#2e86c1',
  commit: '#3a9d5d',
  call: '#2e86c1',
  read: '#7f8c8d',
};
