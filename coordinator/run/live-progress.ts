import { createHistogram, type Histogram } from '../../shared/histogram.ts';
import { createProgressLine, type ProgressLine } from './progress-line.ts';
import type { OperationCounters } from '../../shared/protocol/messages.ts';
import type { RunObserver } from '../observe/run-observers.ts';

/**
 * The run's progress on stderr, pgbench-style: a live line on a TTY, a plain line every few
 * seconds otherwise. Figures come from the interval messages received since the last line.
 */

const ARRIVAL_MARGIN_MS = 250;

export interface ProgressFigures {
  readonly elapsedSeconds: number;
  readonly opsPerSec: number;
  /** p99 of the operations received since the last line, ms; undefined when there were none. */
  readonly p99Ms: number | undefined;
  /** Failed since the last line, like ops/s (not since the run began): pgbench counts both per line. */
  readonly failed: number;
  readonly activeSessions: number;
  readonly fragments: readonly string[];
}

export function progressText(f: ProgressFigures): string {
  const p99 = f.p99Ms === undefined ? 'p99 -' : `p99 ${f.p99Ms.toFixed(1)} ms`;
  const parts = [
    `progress: ${f.elapsedSeconds.toFixed(1)} s`,
    `${f.opsPerSec.toFixed(1)} ops/s`,
    p99,
    `${f.failed} failed`,
    `${f.activeSessions} active sessions`,
    ...f.fragments,
  ];
  return parts.join(', ');
}

export interface LiveProgress {
  /** One session's interval (its latency histogram already decoded). */
  noteInterval(counters: OperationCounters, latency: Histogram): void;
  /** Renders, at most once per `everyMs`, what was noted since the last line. */
  render(nowMs: number, activeSessions: number): void;
  /** A line that is not a figure (waiting for workers, connecting sessions). */
  status(text: string): void;
  done(finalText?: string): void;
}

export function createLiveProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  observers: readonly RunObserver[],
  startAtMs: () => number | undefined,
  everyMs = stream.isTTY === true ? 1000 : 5000,
): LiveProgress {
  // This module decides when a line is due; the progress line itself need not hold any back.
  const line: ProgressLine = createProgressLine(stream, 0);
  let window: Histogram = createHistogram();
  let okSince = 0;
  let failedSince = 0;
  let lastRenderMs: number | undefined;
  let lastStatusKind: string | undefined;

  return {
    noteInterval(counters, latency) {
      okSince += counters.ok;
      failedSince += counters.failed;
      window.add(latency);
    },
    render(nowMs, activeSessions) {
      const start = startAtMs();
      if (start === undefined) return;
      // Sessions send an interval just after it ends: render a little after the boundary, not before.
      lastRenderMs ??= start + ARRIVAL_MARGIN_MS;
      if (nowMs - lastRenderMs < everyMs) return;
      const fragments = observers.flatMap((o) => {
        const fragment = o.progressFragment?.();
        return fragment ? [fragment] : [];
      });
      line.update(
        progressText({
          elapsedSeconds: Math.max(0, (nowMs - start) / 1000),
          opsPerSec: okSince / ((nowMs - lastRenderMs) / 1000),
          p99Ms: window.totalCount > 0 ? window.getValueAtPercentile(99) / 1000 : undefined,
          failed: failedSince,
          activeSessions,
          fragments,
        }),
      );
      lastRenderMs = nowMs;
      okSince = 0;
      failedSince = 0;
      window = createHistogram();
    },
    status(text) {
      if (stream.isTTY === true) {
        line.update(text);
        return;
      }
      // In a log, each kind of status ("waiting for workers", "connecting sessions") once is enough.
      const kind = text.split(':')[0];
      if (kind === lastStatusKind) return;
      lastStatusKind = kind;
      stream.write(`${text}\n`);
    },
    done(finalText) {
      line.done(finalText);
    },
  };
}
