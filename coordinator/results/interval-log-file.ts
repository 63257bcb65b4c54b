import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { IntervalLogWriter, type IntervalHistogram } from '../../shared/hlog.ts';
import type { IntervalSink } from '../run/run-aggregate.ts';

/**
 * intervals.hlog written as the run goes: each merged interval becomes one line of the file (inside
 * the run's unfinished results folder, results-writer.ts) and is then forgotten, so the coordinator's
 * memory does not grow with the run's length. One line a second needs no backpressure.
 */
export class IntervalLogFile implements IntervalSink {
  private readonly out: WriteStream;
  private readonly log: IntervalLogWriter;
  private closing: Promise<void> | undefined;

  constructor(path: string, startAtMs: number) {
    this.out = createWriteStream(path);
    // Reported by close(); until then a failed write must not crash the run.
    this.out.on('error', () => undefined);
    this.log = new IntervalLogWriter((text) => this.out.write(text), startAtMs);
  }

  append(interval: IntervalHistogram): void {
    this.log.append(interval);
  }

  /** Ends the file; rejects when any write failed. Closing again returns the same outcome. */
  close(): Promise<void> {
    if (!this.closing) {
      this.out.end();
      this.closing = finished(this.out);
    }
    return this.closing;
  }
}
