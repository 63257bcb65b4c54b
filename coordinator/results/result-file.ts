import type { Histogram } from '../../shared/histogram.ts';
import type { RunReport } from './run-report.ts';

/** One file of a results folder, rendered from what the run produced. */

/** Everything a results file may be rendered from. */
export interface ResultsInput {
  readonly report: RunReport;
  readonly latency: Histogram;
  /** Per phase name, the run's phase histogram (absent or empty: the run recorded no phase). */
  readonly phases?: ReadonlyMap<string, Histogram>;
  /** Shared-clock epoch ms of the common start. */
  readonly startAtMs: number;
}

export interface ResultFile {
  readonly name: string;
  /** The file's text; undefined when the run has nothing for it (the file is then not written). */
  render(input: ResultsInput): string | undefined | Promise<string | undefined>;
}
