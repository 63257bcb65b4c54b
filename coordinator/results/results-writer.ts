import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { makeDirectory } from './make-directory.ts';
import { join } from 'node:path';
import { percentileDistribution } from '../../shared/histogram.ts';
import { INTERVAL_LOG_FILE, PHASE_LOG_FILE, REPORT_HTML_FILE } from './report-files.ts';
import type { ResultFile, ResultsInput } from './result-file.ts';
import { renderSummary } from './summary.ts';

/**
 * results/<YYYYMMDD_HHMMSS>_<name>/: written into a hidden temporary folder and renamed into place
 * at the end, so a reader never sees a half-written run.
 */

export const CORE_RESULT_FILES: readonly ResultFile[] = [
  { name: 'run.json', render: ({ report }) => JSON.stringify(report, null, 2) + '\n' },
  { name: 'latency.hgrm', render: ({ latency }) => percentileDistribution(latency) },
  { name: 'summary.txt', render: ({ report }) => renderSummary(report) },
];

/** Files beyond the core three; extend with one line each. */
export function extraResultFiles(): ResultFile[] {
  return [INTERVAL_LOG_FILE, PHASE_LOG_FILE, REPORT_HTML_FILE];
}

export interface RunResultPaths {
  readonly directory: string;
  readonly files: readonly string[];
}

export async function writeResults(
  root: string,
  input: ResultsInput,
  extra: readonly ResultFile[] = extraResultFiles(),
): Promise<RunResultPaths> {
  await makeDirectory(root);
  const base = `${timestampOf(new Date(input.startAtMs))}_${input.report.name}`;
  const temporary = join(root, `.${base}.${input.report.runId}.partial`);
  const files: string[] = [];
  await mkdir(temporary);
  try {
    for (const file of [...CORE_RESULT_FILES, ...extra]) {
      const text = await file.render(input);
      if (text === undefined) continue;
      await writeFile(join(temporary, file.name), text);
      files.push(file.name);
    }
    const directory = await freeName(root, base);
    await rename(temporary, directory);
    return { directory, files };
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Local time, as a user reading `ls results/` expects. */
export function timestampOf(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}_${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

async function freeName(root: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(root, n === 1 ? base : `${base}_${n}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}
