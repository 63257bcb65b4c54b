import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Histogram } from '../../shared/histogram.ts';
import { readIntervalLog } from '../../shared/hlog.ts';

/** A results directory's per-second histograms (intervals.hlog), empty when it has none (older or partial folders). */
export async function readIntervalHistograms(directory: string): Promise<Histogram[]> {
  const text = await readFile(join(directory, 'intervals.hlog'), 'utf8').catch(() => undefined);
  return text === undefined ? [] : readIntervalLog(text).map((i) => i.histogram);
}
