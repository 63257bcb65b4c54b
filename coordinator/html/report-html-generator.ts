import type { GeneratorProcess, GeneratorSection } from '../results/run-report-sections.ts';
import { escapeHtml, formatMs, formatNumber, formatShare } from './format.ts';
import { MEASURE_COLOURS, seriesColour } from './palette.ts';
import { lineChart, type Series } from './svg-charts.ts';
import { table } from './tables.ts';

/**
 * report.html's generator health (run.json `generator`), shown beside latency over time: whether the
 * load generator bound the run and why, each worker's event-loop delay p99 and CPU use per interval
 * (the coordinator's dashed), and a table of their figures. Pure.
 */
export function generatorHealth(generator: GeneratorSection | undefined): string {
  if (!generator) return '<p class="note">no generator health in this run.json (an older refswarm, or a rebuilt run whose workers sent none)</p>';
  const verdict = generator.bound
    ? `<p class="warn">generator-bound: ${generator.reasons.map(escapeHtml).join('; ')}; latencies include the generator's own waiting</p>`
    : '<p class="note">the generator kept up: no worker was saturated often enough to bind the run</p>';
  const processes = [...generator.workers.map((w, i) => ({ figures: w, color: seriesColour(i), dashed: false })), ...coordinatorLine(generator.coordinator)];
  const series = (pick: (i: GeneratorProcess['intervals'][number]) => number): Series[] =>
    processes.map(({ figures, color, dashed }) => ({
      name: figures.id === 'coordinator' ? 'coordinator' : `worker ${shortId(figures.id)}`,
      color,
      dashed,
      points: figures.intervals.map((i) => ({ x: i.t, y: pick(i) })),
    }));
  const loop = lineChart('generator-event-loop', 'Generator event-loop delay p99 (per interval)', series((i) => i.eventLoopDelayMs.p99), { label: 'time (s)' }, { label: 'delay (ms)', min: 0 });
  const cpu = lineChart('generator-cpu', 'Generator CPU (share of one core, per interval)', series((i) => 100 * i.cpu), { label: 'time (s)' }, { label: 'CPU (%)', min: 0 });
  const rows = processes.map(({ figures: p }) => [
    p.id,
    p.host,
    `${formatNumber(p.saturatedIntervals)} of ${formatNumber(p.judgedIntervals)}`,
    `${formatShare(p.cpu.mean)} / ${formatShare(p.cpu.max)}`,
    `${formatMs(p.eventLoopDelayMs.p99)} / ${formatMs(p.eventLoopDelayMs.max)}`,
  ]);
  return `<h3>Generator health</h3>${verdict}${loop}${cpu}${table(['process', 'host', 'saturated intervals', 'CPU mean / max', 'event-loop p99 / max'], rows)}<p class="note">rule: ${escapeHtml(generator.rule)}</p>`;
}

function coordinatorLine(coordinator: GeneratorProcess | undefined): { figures: GeneratorProcess; color: string; dashed: boolean }[] {
  return coordinator ? [{ figures: coordinator, color: MEASURE_COLOURS.latencyMax, dashed: true }] : [];
}

function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
