import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { compileContract, quote } from '../../shared/protocol/contract-schema.ts';
import { RUN_REPORT_VERSION, RunReportSchema, type RunReport } from './run-report.ts';

/**
 * Reads the run.json of a results directory (or a run.json path) for report, compare and sweep,
 * checked against its schema (run-report.ts): a results folder from another version, a run.json with
 * a wrong field, or not a results folder at all, gives one clear error naming the path and the field.
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

const runReport = compileContract(RunReportSchema);

/** run.json checked against its schema: one line naming the first field that is wrong. */
export function checkRunReport(data: unknown, where: string): RunReport {
  const problem = (what: string): UsageError => new UsageError(`"${where}" is not a refswarm run.json: ${what}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw problem(`expected an object, got ${quote(data)}`);
  const version = (data as { version?: unknown }).version;
  if (version !== RUN_REPORT_VERSION) throw problem(`version: expected ${RUN_REPORT_VERSION}, got ${quote(version)} (written by another refswarm version?)`);
  if (runReport.conforms(data)) return data;
  throw problem(runReport.problem(data) ?? 'does not match its schema');
}
