import test from 'ava';
import { bindsRun, isSaturated, LAGGING_EVENT_LOOP_P99_MS, SATURATED_CPU_SHARE } from '../../../coordinator/results/generator-bound.ts';
import { GeneratorHealth } from '../../../coordinator/run/generator-health.ts';
import type { WorkerHealth } from '../../../shared/protocol/messages.ts';

const WINDOW = { startAtMs: 1_000_000, recordFromMs: 1_000_000, intervalMs: 1000 };
const calm = { p50: 0.1, p99: 1, max: 2 };

function health(workerId: string, index: number, cpuMs: number, eventLoopDelayMs = calm, wallMs = 1000): WorkerHealth {
  return { protocol: 1, runId: 'r', workerId, type: 'health', index, wallMs, cpuMs, eventLoopDelayMs, sessions: 4 };
}

test('an interval is saturated at the event-loop or the CPU limit, not below', (t) => {
  t.false(isSaturated({ cpu: SATURATED_CPU_SHARE - 0.01, eventLoopDelayMs: { ...calm, p99: LAGGING_EVENT_LOOP_P99_MS - 0.1 } }));
  t.true(isSaturated({ cpu: SATURATED_CPU_SHARE, eventLoopDelayMs: calm }));
  t.true(isSaturated({ cpu: 0.1, eventLoopDelayMs: { ...calm, p99: LAGGING_EVENT_LOOP_P99_MS } }));
});

test('one hiccup does not bind a run; two do in a short run, not in a long one', (t) => {
  t.false(bindsRun(1, 4));
  t.true(bindsRun(2, 4));
  t.false(bindsRun(2, 60));
  t.true(bindsRun(7, 60));
});

test('a worker saturated in most intervals binds the run, the calm one beside it does not; the coordinator is shown, not judged', (t) => {
  const generator = new GeneratorHealth();
  for (let i = 0; i < 5; i++) {
    generator.addWorker(health('calm', i, 200));
    generator.addWorker(health('busy', i, i < 3 ? 980 : 300));
    generator.addCoordinator(i, { wallMs: 1000, cpuMs: 990, eventLoopDelayMs: calm });
  }
  generator.addWorker(health('busy', 5, 9, calm, 9)); // the last, partial interval: not judged
  const section = generator.section(WINDOW, new Map([['busy', 'h1'], ['calm', 'h2']]), 'c')!;
  t.true(section.bound);
  t.deepEqual(section.reasons, ['worker busy saturated in 3 of 5 intervals (event-loop delay p99 up to 1 ms, CPU up to 98% of one core)']);
  const [busy, calmWorker] = section.workers;
  t.is(busy.id, 'busy');
  t.is(busy.host, 'h1');
  t.is(busy.intervals.length, 6);
  t.deepEqual(busy.intervals.map((i) => i.saturated), [true, true, true, false, false, false]);
  t.deepEqual(busy.cpu, { mean: 0.708, max: 0.98 });
  t.is(calmWorker.saturatedIntervals, 0);
  t.is(section.coordinator!.saturatedIntervals, 5);
});

test('a measurement held up across intervals counts for every interval it spans; warm-up intervals are not judged', (t) => {
  const generator = new GeneratorHealth();
  generator.addWorker(health('w', 0, 500, { p50: 2990, p99: 2990, max: 2990 }, 3000));
  generator.addWorker(health('w', 3, 300));
  t.like(generator.section(WINDOW, new Map(), '')!.workers[0], { judgedIntervals: 4, saturatedIntervals: 3 });
  const warm = generator.section({ ...WINDOW, recordFromMs: WINDOW.startAtMs + 3000 }, new Map(), '')!;
  t.like(warm.workers[0], { judgedIntervals: 1, saturatedIntervals: 0 });
  t.false(warm.bound);
});

test('nothing measured: no section', (t) => {
  t.is(new GeneratorHealth().section(WINDOW, new Map(), ''), undefined);
});
