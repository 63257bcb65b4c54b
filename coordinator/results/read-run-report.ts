import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { RUN_REPORT_VERSION, type RunReport } from './run-report.ts';

/**
 * Reads the run.json of a results directory (or a run.json path) for compare and sweep, checking
 * that it holds what a comparison reads: a results folder from another version, or not a results
 * folder at all, gives one clear error naming the path.
 */

export interface LoadedRun {
  /** The path as given (directory or file). */
  readonly label: string;
  readonly report: RunReport;
}

export async function readRunReport(path: string): Promise<LoadedRun> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'run.json');
  } catch {
    throw new UsageError(`cannot read "${path}": no such results directory or run.json`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`"${path}" holds no run.json: give a results directory written by refswarm run`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`"${file}" is not valid JSON (${(error as Error).message})`);
  }
  return { label: path, report: checkRunReport(data, file) };
}

export async function readRunReports(paths: readonly string[]): Promise<LoadedRun[]> {
  return Promise.all(paths.map(readRunReport));
}

/** The shape compare relies on; everything optional in the contract stays optional. */
export function checkRunReport(data: unknown, where: string): RunReport {
  const problem = (what: string): UsageError => new UsageError(`"${where}" is not a refswarm run.json: ${what}`);
  if (typeof data !== 'object' || data === null) throw problem('not an object');
  const r = data as Record<string, unknown>;
  if (r.version !== RUN_REPORT_VERSION) throw problem(`version ${JSON.stringify(r.version)} is not ${RUN_REPORT_VERSION}`);
  const objects = ['config', 'dataset', 'sessions', 'ops', 'throughput', 'latencyMs'];
  for (const key of objects) {
    if (typeof r[key] !== 'object' || r[key] === null) throw problem(`"${key}" is missing`);
  }
  const config = r.config as Record<string, unknown>;
  if (typeof config.workload !== 'object' || config.workload === null) throw problem('"config.workload" is missing');
  if (typeof r.name !== 'string' || typeof r.runId !== 'string') throw problem('"name" or "runId" is missing');
  return data as RunReport;
}
