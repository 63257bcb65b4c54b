import { HistogramLogReader, HistogramLogWriter } from 'hdr-histogram-js';
import { mergeHistograms, type Histogram } from './histogram.ts';

/**
 * intervals.hlog: the run's merged per-interval latency histograms in the HdrHistogram interval log
 * format (readable by HdrHistogram's HistogramLogProcessor and HdrHistogramVisualizer). Values are
 * microseconds; each line's max is written in milliseconds, as those tools expect.
 */

export interface IntervalHistogram {
  /** Epoch ms of the interval's start and end. */
  readonly startMs: number;
  readonly endMs: number;
  readonly histogram: Histogram;
}

/**
 * Writes the log as it goes: the header at once, then one line per interval handed to `append`, each
 * to `write` as text (a file stream, or a string being built).
 */
export class IntervalLogWriter {
  private readonly writer: HistogramLogWriter;

  constructor(
    write: (text: string) => void,
    private readonly startTimeMs: number,
  ) {
    this.writer = new HistogramLogWriter(write);
    this.writer.outputLogFormatVersion();
    this.writer.outputComment(`[StartTime: ${(startTimeMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startTimeMs).toISOString()}]`);
    this.writer.outputComment(`[BaseTime: ${(startTimeMs / 1000).toFixed(3)} (seconds since epoch)]`);
    this.writer.outputComment('[refswarm latency in microseconds; Interval_Max in milliseconds]');
    this.writer.outputLegend();
  }

  append(interval: IntervalHistogram): void {
    const { startTimeMs } = this;
    this.writer.outputIntervalHistogram(interval.histogram, (interval.startMs - startTimeMs) / 1000, (interval.endMs - startTimeMs) / 1000, 1000);
  }
}

/** The whole log text at once; timestamps are written relative to startTimeMs (the run's common start, epoch ms). */
export function writeIntervalLog(intervals: readonly IntervalHistogram[], startTimeMs: number): string {
  let text = '';
  const log = new IntervalLogWriter((chunk) => (text += chunk), startTimeMs);
  for (const interval of [...intervals].sort((a, b) => a.startMs - b.startMs)) log.append(interval);
  return text;
}

/**
 * phases.hlog: one histogram per phase (shared/phases.ts) over the whole run, each line tagged with
 * its phase name (`Tag=lock,…`), in the same format and units as intervals.hlog.
 */
export function writePhaseLog(phases: ReadonlyMap<string, Histogram>, startTimeMs: number, endTimeMs: number): string {
  let text = '';
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk;
  });
  writer.outputLogFormatVersion();
  writer.outputComment(`[StartTime: ${(startTimeMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startTimeMs).toISOString()}]`);
  writer.outputComment(`[BaseTime: ${(startTimeMs / 1000).toFixed(3)} (seconds since epoch)]`);
  writer.outputComment('[refswarm phase latency in microseconds, one line per phase (Tag); Interval_Max in milliseconds]');
  writer.outputLegend();
  const lengthSeconds = Math.max(0.001, (endTimeMs - startTimeMs) / 1000);
  for (const [name, histogram] of phases) {
    const tagged = mergeHistograms([histogram]);
    tagged.tag = name;
    writer.outputIntervalHistogram(tagged, 0, lengthSeconds, 1000);
  }
  return text;
}

/** Reads a phase log back: phase name → histogram. */
export function readPhaseLog(text: string): Map<string, Histogram> {
  const phases = new Map<string, Histogram>();
  const reader = new HistogramLogReader(text, 32, false);
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) phases.set(h.tag ?? '', h);
  return phases;
}

/** Reads a log back: every interval with absolute epoch-ms timestamps. */
export function readIntervalLog(text: string): IntervalHistogram[] {
  const reader = new HistogramLogReader(text, 32, false);
  const intervals: IntervalHistogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    intervals.push({ startMs: Math.round(h.startTimeStampMsec), endMs: Math.round(h.endTimeStampMsec), histogram: h });
  }
  return intervals;
}
