import type { WorkerHealth } from '../../shared/protocol/messages.ts';
import { cpuShare, type ProcessHealthSample } from '../../shared/process-health.ts';
import { bindsRun, GENERATOR_BOUND_RULE, intervalsSpanned, isJudged, isSaturated } from '../results/generator-bound.ts';
import type { GeneratorInterval, GeneratorProcess, GeneratorSection } from '../results/run-report-sections.ts';

/**
 * The run.json `generator` section: every worker's `health` events and the coordinator's own samples,
 * per interval, judged by the rule in coordinator/results/generator-bound.ts.
 */

export interface GeneratorWindow {
  /** Shared-clock ms of the common start, and of the end of warm-up. */
  readonly startAtMs: number;
  readonly recordFromMs: number;
  readonly intervalMs: number;
}

type Sample = Pick<ProcessHealthSample, 'wallMs' | 'cpuMs' | 'eventLoopDelayMs'>;

export class GeneratorHealth {
  /** Worker id → interval index → sample (a repeated index, from a late timer, is added up). */
  private readonly workers = new Map<string, Map<number, Sample>>();
  private readonly coordinator = new Map<number, Sample>();

  addWorker(health: WorkerHealth): void {
    let samples = this.workers.get(health.workerId);
    if (!samples) this.workers.set(health.workerId, (samples = new Map()));
    addSample(samples, health.index, health);
  }

  addCoordinator(index: number, sample: ProcessHealthSample): void {
    addSample(this.coordinator, index, sample);
  }

  get empty(): boolean {
    return this.workers.size === 0 && this.coordinator.size === 0;
  }

  /** undefined when nothing was measured (workers of a version before health events, and no coordinator samples). */
  section(window: GeneratorWindow, hosts: ReadonlyMap<string, string>, coordinatorHost: string): GeneratorSection | undefined {
    if (this.empty) return undefined;
    const workers = [...this.workers].sort(([a], [b]) => a.localeCompare(b)).map(([id, samples]) => processFigures(id, hosts.get(id) ?? '', samples, window));
    const reasons = workers
      .filter((w) => bindsRun(w.saturatedIntervals, w.judgedIntervals))
      .map(
        (w) =>
          `worker ${w.id} saturated in ${w.saturatedIntervals} of ${w.judgedIntervals} intervals ` +
          `(event-loop delay p99 up to ${w.eventLoopDelayMs.p99} ms, CPU up to ${Math.round(w.cpu.max * 100)}% of one core)`,
      );
    return {
      bound: reasons.length > 0,
      rule: GENERATOR_BOUND_RULE,
      reasons,
      workers,
      ...(this.coordinator.size > 0 ? { coordinator: processFigures('coordinator', coordinatorHost, this.coordinator, window) } : {}),
    };
  }
}

function addSample(samples: Map<number, Sample>, index: number, sample: Sample): void {
  const previous = samples.get(index);
  samples.set(
    index,
    previous === undefined
      ? { wallMs: sample.wallMs, cpuMs: sample.cpuMs, eventLoopDelayMs: { ...sample.eventLoopDelayMs } }
      : {
          wallMs: previous.wallMs + sample.wallMs,
          cpuMs: previous.cpuMs + sample.cpuMs,
          eventLoopDelayMs: {
            p50: Math.max(previous.eventLoopDelayMs.p50, sample.eventLoopDelayMs.p50),
            p99: Math.max(previous.eventLoopDelayMs.p99, sample.eventLoopDelayMs.p99),
            max: Math.max(previous.eventLoopDelayMs.max, sample.eventLoopDelayMs.max),
          },
        },
  );
}

function processFigures(id: string, host: string, samples: ReadonlyMap<number, Sample>, window: GeneratorWindow): GeneratorProcess {
  const intervals: GeneratorInterval[] = [];
  let judged = 0;
  let saturatedCount = 0;
  let cpuSum = 0;
  let cpuMax = 0;
  let p99Max = 0;
  let delayMax = 0;
  for (const index of [...samples.keys()].sort((a, b) => a - b)) {
    const sample = samples.get(index)!;
    const cpu = round3(cpuShare(sample));
    const figures = { cpu, eventLoopDelayMs: sample.eventLoopDelayMs };
    const endMs = window.startAtMs + (index + 1) * window.intervalMs;
    const counted = isJudged(sample.wallMs, endMs, window);
    const saturated = counted && isSaturated(figures);
    if (counted) {
      const weight = intervalsSpanned(sample.wallMs, window.intervalMs);
      judged += weight;
      if (saturated) saturatedCount += weight;
      cpuSum += cpu * weight;
      cpuMax = Math.max(cpuMax, cpu);
      p99Max = Math.max(p99Max, sample.eventLoopDelayMs.p99);
      delayMax = Math.max(delayMax, sample.eventLoopDelayMs.max);
    }
    intervals.push({ t: (index * window.intervalMs) / 1000, wallMs: sample.wallMs, ...figures, saturated });
  }
  return {
    id,
    host,
    judgedIntervals: judged,
    saturatedIntervals: saturatedCount,
    cpu: { mean: judged > 0 ? round3(cpuSum / judged) : 0, max: cpuMax },
    eventLoopDelayMs: { p99: p99Max, max: delayMax },
    intervals,
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
