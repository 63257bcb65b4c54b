import type { Histogram } from '../../shared/histogram.ts';
import type { RunReport } from './run-report.ts';

/** One file of a results folder, rendered from what the run produced. */

/** Everything a results file may be rendered from. */
export interface ResultsInput {
  readonly report: RunReport;
  readonly latency: Histogram;
  /** Shared-clock epoch ms of the common start. */
  readonly startAtMs: number;
}

export interface ResultFile {
  readonly name: string;
  render(input: ResultsInput): string | Promise<string>;
}
