import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { makeDirectory } from './make-directory.ts';
import { join } from 'node:path';
import { percentileDistribution } from '../../shared/histogram.ts';
import { PHASE_LOG_FILE, REPORT_HTML_FILE } from './report-files.ts';
import type { ResultFile, ResultsInput } from './result-file.ts';
import { renderSummary } from './summary.ts';

/**
 * results/<YYYYMMDD_HHMMSS>_<name>/: written into a hidden temporary folder and renamed into place
 * at the end, so a reader never sees a half-written run. A run opens the folder when its sessions
 * start (openResults) and streams intervals.hlog into it as the run goes (interval-log-file.ts);
 * the other files are rendered at the end (completeResults). A run that fails discards it; a
 * coordinator killed mid-run leaves it hidden (readers skip dot-folders) until `report --run-id`.
 */

export const CORE_RESULT_FILES: readonly ResultFile[] = [
  { name: 'run.json', render: ({ report }) => JSON.stringify(report, null, 2) + '\n' },
  { name: 'latency.hgrm', render: ({ latency }) => percentileDistribution(latency) },
  { name: 'summary.txt', render: ({ report }) => renderSummary(report) },
];

/** Files beyond the core three; extend with one line each. */
export function extraResultFiles(): ResultFile[] {
  return [PHASE_LOG_FILE, REPORT_HTML_FILE];
}

export interface RunResultPaths {
  readonly directory: string;
  readonly files: readonly string[];
}

/** A run's results folder while it is being written. */
export interface ResultsDraft {
  readonly root: string;
  /** `<YYYYMMDD_HHMMSS>_<name>`: the folder's name once complete (or with _2, _3… when taken). */
  readonly base: string;
  /** The hidden folder the files are written into. */
  readonly temporary: string;
  /** Files written into it as the run went (intervals.hlog), listed first. */
  readonly streamed: readonly string[];
}

export async function openResults(root: string, name: string, runId: string, startAtMs: number, streamed: readonly string[] = []): Promise<ResultsDraft> {
  await makeDirectory(root);
  const base = `${timestampOf(new Date(startAtMs))}_${name}`;
  const temporary = join(root, `.${base}.${runId}.partial`);
  // What a coordinator killed mid-run left of this run's folder: `report --run-id` starts it again.
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary);
  return { root, base, temporary, streamed };
}

/** Renders the remaining files into the draft and renames it into place; on failure nothing is left. */
export async function completeResults(draft: ResultsDraft, input: ResultsInput, extra: readonly ResultFile[] = extraResultFiles()): Promise<RunResultPaths> {
  const files: string[] = [...draft.streamed];
  try {
    for (const file of [...CORE_RESULT_FILES, ...extra]) {
      const text = await file.render(input);
      if (text === undefined) continue;
      await writeFile(join(draft.temporary, file.name), text);
      files.push(file.name);
    }
    const directory = await freeName(draft.root, draft.base);
    await rename(draft.temporary, directory);
    return { directory, files };
  } catch (error) {
    await discardResults(draft);
    throw error;
  }
}

export async function discardResults(draft: ResultsDraft): Promise<void> {
  await rm(draft.temporary, { recursive: true, force: true });
}

/** The whole folder at once, from what is in memory. */
export async function writeResults(root: string, input: ResultsInput, extra: readonly ResultFile[] = extraResultFiles()): Promise<RunResultPaths> {
  return completeResults(await openResults(root, input.report.name, input.report.runId, input.startAtMs), input, extra);
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
