import test from 'ava';
import { Writable } from 'node:stream';
import { createLiveProgress } from '../../../coordinator/run/live-progress.ts';
import { createHistogram, recordMicros, type Histogram } from '../../../shared/histogram.ts';
import type { OperationCounters } from '../../../shared/protocol/messages.ts';

/** A log (not a TTY): one plain line per render. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

function interval(ok: number, failed: number, latencyMs: number): [OperationCounters, Histogram] {
  const latency = createHistogram();
  for (let i = 0; i < ok; i++) recordMicros(latency, latencyMs * 1000);
  const byError: Record<string, number> = failed > 0 ? { '40P01': failed } : {};
  return [{ ok, failed, retried: 0, byError }, latency];
}

test('regression: failed counts since the previous line, like ops/s (pgbench counts both per progress interval)', (t) => {
  const out = capture();
  // The run starts at 0 and the first line's window opens a quarter second later (arrival margin).
  const progress = createLiveProgress(out.stream, [], () => 0, 1000);
  progress.noteInterval(...interval(100, 3, 5));
  progress.render(1250, 4);
  progress.noteInterval(...interval(50, 0, 8));
  progress.render(2250, 4);
  t.deepEqual(out.lines, [
    'progress: 1.3 s, 100.0 ops/s, p99 5.0 ms, 3 failed, 4 active sessions',
    'progress: 2.3 s, 50.0 ops/s, p99 8.0 ms, 0 failed, 4 active sessions',
  ]);
});
