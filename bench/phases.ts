/**
 * npm run bench:phases [-- --operations 500000 --per-interval 2000 --rounds 5]
 *
 * What per-phase histograms cost a session (issue 12): the worker's recording of N ok operations of
 * the dms shape, without phases (the latency histogram alone) and with them (a PhaseClock started and
 * lapped four times per operation, four more histograms recorded, and encoded at every interval), in
 * µs per operation. No database: only the measurement path, which runs between two awaits of the
 * operation loop. The two variants alternate, round by round, so drift affects both alike; the
 * figure per variant is the median of its rounds.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { PHASE } from '../shared/phases.ts';
import type { OperationOutcome } from '../shared/workload/contracts.ts';
import { PhaseClock } from '../worker/phase-clock.ts';
import { MergedInterval } from '../worker/merged-interval.ts';
import { SessionRecorder } from '../worker/session-recorder.ts';

const { values } = parseArgs({
  options: {
    operations: { type: 'string', default: '500000' },
    'per-interval': { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
  },
});
const operations = Number(values.operations);
const perInterval = Number(values['per-interval']);
const rounds = Number(values.rounds);

const OK: OperationOutcome = { ok: true, tries: 1, failedCodes: [], committed: [], serviceMicros: 0 };

/** µs per operation of recording `operations` ok operations, taking an interval every `perInterval`. */
function recordAll(withPhases: boolean): number {
  const recorder = new SessionRecorder(false);
  const clock = new PhaseClock();
  let sink = 0;
  const began = performance.now();
  for (let n = 1; n <= operations; n++) {
    const latencyMicros = 800 + (n % 997) * 7;
    if (withPhases) {
      clock.start();
      clock.lap(PHASE.lock);
      clock.lap(PHASE.update);
      clock.lap(PHASE.strategy);
      clock.lap(PHASE.commit);
      recorder.record(OK, latencyMicros, latencyMicros, 0, clock.micros);
    } else {
      recorder.record(OK, latencyMicros, latencyMicros, 0);
    }
    if (n % perInterval === 0) {
      const interval = new MergedInterval();
      recorder.drainInterval(interval);
      sink += interval.measurements().latency.length;
    }
  }
  const micros = ((performance.now() - began) * 1000) / operations;
  if (sink < 0) console.log(sink);
  return micros;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

recordAll(false);
recordAll(true); // warm both paths up
const without: number[] = [];
const withPhases: number[] = [];
for (let round = 0; round < rounds; round++) {
  without.push(recordAll(false));
  withPhases.push(recordAll(true));
}
const a = median(without);
const b = median(withPhases);
console.log(`operations ${operations}, an interval every ${perInterval}, ${rounds} rounds (median)`);
console.log(`without phases: ${a.toFixed(3)} µs per operation`);
console.log(`with phases (dms: 4 phases): ${b.toFixed(3)} µs per operation`);
console.log(`cost of phases: ${(b - a).toFixed(3)} µs per operation`);
