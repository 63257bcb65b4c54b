import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sameShape, type DatasetShape } from '../../shared/dataset.ts';
import { UsageError } from '../../shared/errors.ts';
import { readRunReport } from '../results/read-run-report.ts';

/**
 * Which documents `refswarm restore` puts back: those a run touched (its run.json lists them), those
 * every run under a folder touched (a sweep, or results/), or an explicit list. A run's dataset
 * shape travels with it, so the command can check the database still holds that dataset.
 */

export interface RestoreTargets {
  readonly documentIds: readonly number[];
  /** The dataset the runs used; undefined for an explicit list (the database's manifest decides). */
  readonly dataset?: DatasetShape;
  /** What the documents came from, for the command's output. */
  readonly source: string;
}

/** "1,2,3", "1-100,250" → ids; each piece named when wrong. */
export function parseDocumentList(raw: string): number[] {
  const ids: number[] = [];
  for (const piece of raw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(piece);
    const from = range ? Number(range[1]) : NaN;
    const to = range?.[2] !== undefined ? Number(range[2]) : from;
    if (!range || from < 1 || to < from || to - from > 50_000_000) {
      throw new UsageError(`invalid value "${raw}" for --documents: "${piece}" is not a document id or range such as 1,2,3 or 1-100`);
    }
    for (let id = from; id <= to; id++) ids.push(id);
  }
  if (ids.length === 0) throw new UsageError(`invalid value "${raw}" for --documents: expected document ids such as 1,2,3 or 1-100`);
  return ids;
}

export async function targetsOfRun(directory: string): Promise<RestoreTargets> {
  const { report } = await readRunReport(directory);
  if (report.touchedDocuments === undefined) {
    throw new UsageError(`run.json in "${directory}" lists no touched documents (an older refswarm wrote it): use --documents`);
  }
  return { documentIds: report.touchedDocuments, dataset: report.dataset, source: `run ${report.name} (${directory})` };
}

/** Every run.json below `root` (a sweep folder, or results/), at most `depth` folders down. */
export async function findRunDirectories(root: string, depth = 3): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    throw new UsageError(`cannot read "${root}": no such folder`);
  }
  if (entries.some((e) => e.isFile() && e.name === 'run.json')) return [root];
  if (depth === 0) return [];
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...(await findRunDirectories(join(root, entry.name), depth - 1)));
  }
  return found;
}

export async function targetsOfAllRunsIn(root: string): Promise<RestoreTargets> {
  const directories = await findRunDirectories(root);
  if (directories.length === 0) throw new UsageError(`no run.json found under "${root}": give a results folder`);
  const ids = new Set<number>();
  let dataset: DatasetShape | undefined;
  for (const directory of directories) {
    const run = await targetsOfRun(directory);
    if (dataset && run.dataset && !sameShape(dataset, run.dataset)) {
      throw new UsageError(`runs under "${root}" used different datasets (${directory} differs): restore them one --run at a time`);
    }
    dataset ??= run.dataset;
    for (const id of run.documentIds) ids.add(id);
  }
  return { documentIds: [...ids].sort((a, b) => a - b), dataset, source: `${directories.length} runs under ${root}` };
}
