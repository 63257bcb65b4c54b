import type { LatencySummaryMs } from '../../shared/histogram.ts';
import { orderedPhases } from '../../shared/phases.ts';
import { datasetLayout, type RunReport } from './run-report.ts';
import { lockSamplingGap } from '../observe/lock-profile.ts';
import type { ObservedWrites } from './run-report-sections.ts';

/**
 * The final report as pgbench-style `key: value` lines (summary.txt and stdout), rendered purely
 * from run.json so that `refswarm report DIR` prints exactly what the run printed.
 */
export function renderSummary(report: RunReport): string {
  const { config, dataset, ops, sessions } = report;
  const { workload } = config;
  const { limits, loop } = workload;
  const lines: [string, string][] = [];
  const add = (key: string, value: string): void => {
    lines.push([key, value]);
  };

  add('run', report.name);
  add('run id', report.runId);
  add('started', report.startedAt);
  add('scenario', describeScenario(report));
  add('strategy', workload.strategy);
  add('shape', workload.shape === 'dms' ? `dms (${workload.isolation})` : 'bare');
  add(
    'loop',
    loop.mode === 'open'
      ? `open, ${loop.ratePerSession} ops/s per session`
      : loop.thinkMaxMs === 0
        ? 'closed, no think time'
        : `closed, think ${loop.thinkMinMs}-${loop.thinkMaxMs} ms`,
  );
  add('max tries', String(workload.maxTries));
  add('seed', String(config.seed));
  add('database', config.databaseName);
  add(
    'dataset',
    `${dataset.documents} documents, ${dataset.references} references, ${dataset.avgRefsPerDoc} per document, ${dataset.partitions} partitions${dataset.distinctPairs ? ', distinct pairs' : ''}`,
  );
  add('schema', datasetLayout(dataset));
  add('number of sessions', String(sessions.requested));
  add('number of workers', String(report.workers.length));
  const processed = ops.ok + ops.failed + (ops.rejected ?? 0);
  if (limits.iterations !== undefined) {
    add('number of operations per session', String(limits.iterations));
    add('number of operations actually processed', `${processed}/${limits.iterations * sessions.requested}`);
  } else {
    // What the run measured, not what was asked: a run behind its schedule used to run on long after it.
    const measured = report.throughput.windowMs;
    const asked = `${seconds(limits.durationMs ?? 0)} s`;
    add('duration', measured === undefined ? asked : `${seconds(measured)} s (--duration ${asked})`);
    add('number of operations actually processed', String(processed));
  }
  if (loop.mode === 'open') {
    const dropped = ops.dropped ?? 0;
    add('number of dropped operations', `${dropped} (${percent(dropped, processed + dropped)} of scheduled, never started)`);
  }
  if (limits.warmupMs > 0) add('warm-up', `${seconds(limits.warmupMs)} s (not recorded)`);
  add('number of failed operations', `${ops.failed} (${percent(ops.failed, processed)})`);
  if (ops.rejected !== undefined || workload.scenario.unknownRatio !== undefined) {
    add('number of rejected operations', `${ops.rejected ?? 0} (${percent(ops.rejected ?? 0, processed)}, unknown referential ids)`);
  }
  add('number of retried tries', String(ops.retried));
  const errors = Object.entries(ops.byError);
  add('errors by SQLSTATE', errors.length === 0 ? 'none' : errors.map(([code, n]) => `${code} ${n}`).join(', '));
  add('sessions completed', String(sessions.completed));
  add('sessions aborted', String(sessions.aborted ?? 0));
  add('sessions failed', String(sessions.failed ?? 0));
  add('sessions lost', String(sessions.lost));
  add('max concurrent sessions', String(sessions.maxConcurrent));
  add('max late start', `${fixed(sessions.maxLateStartMs)} ms`);
  const spread = sessions.startSpreadMs;
  if (spread) add('start spread p50 / p99 / max', `${fixed(spread.p50)} / ${fixed(spread.p99)} / ${fixed(spread.max)} ms`);
  addLatency(add, 'latency', report.latencyMs);
  if (report.serviceTimeMs) addLatency(add, 'service time', report.serviceTimeMs);
  for (const [name, l] of orderedPhases(report.phases ?? {})) {
    add(`phase ${name} latency`, `average ${fixed(l.mean)} ms, p50 ${fixed(l.p50)} ms, p99 ${fixed(l.p99)} ms, max ${fixed(l.max)} ms (${l.count})`);
  }
  if (report.scheduleLagMs) add('max schedule lag', `${fixed(report.scheduleLagMs.max)} ms`);
  add('ops/s', fixed(report.throughput.opsPerSec, 1));

  if (report.pg) {
    for (const [key, value] of Object.entries(report.pg.perOp)) {
      add(`${key} per operation`, value === null ? 'n/a' : fixed(value));
    }
  }
  if (report.lockWaits) {
    const gap = lockSamplingGap(report.lockWaits);
    const shares = Object.entries(report.lockWaits.byEvent)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 5)
      .map(([event, n]) => `${event} ${percent(n, report.lockWaits!.sessionSamples)}`);
    if (report.lockWaits.sessionSamples > 0) add('lock-wait profile', `${shares.join(', ')}${gap ? ` (${gap})` : ''}`);
    else if (gap) add('lock-wait profile', `none (${gap})`);
    if (report.lockWaits.source) add('lock-wait source', report.lockWaits.source === 'pg_wait_sampling' ? 'pg_wait_sampling (in-server, per backend)' : 'client sampler');
    const contended = (report.lockWaits.documents ?? []).slice(0, 5);
    if (contended.length > 0) add('most contended documents', contended.map((d) => `${d.document} (${d.blockedSamples})`).join(', '));
  }
  if (report.deadlocks && report.deadlocks.count > 0) {
    const patterns = report.deadlocks.patterns.length;
    add('deadlocks', `${report.deadlocks.count} in ${patterns} pattern${patterns === 1 ? '' : 's'}`);
  }
  if (report.integrity) {
    const { documentsChecked, violations, unknown } = report.integrity;
    const unknownText = unknown ? `, ${unknown} unknown (lost session)` : '';
    add('integrity', `${documentsChecked} documents checked, ${violations} violations${unknownText}`);
    if (report.integrity.observed) add('observed anomalies', observedText(report.integrity.observed));
  }
  if (report.generator) add('generator', describeGenerator(report.generator));
  if (report.concurrentRuns && report.concurrentRuns.length > 0) {
    add('concurrent runs', `${sharedDatabaseNote(report.concurrentRuns)}`);
  }
  for (const threshold of report.thresholds ?? []) {
    add(`threshold ${threshold.expression}`, `${threshold.passed ? 'passed' : 'BREACHED'} (actual ${threshold.actual})`);
  }
  return lines.map(([key, value]) => `${key}: ${value}`).join('\n') + '\n';
}

/** "ok (event-loop delay p99 up to 1.2 ms, CPU up to 35% of one core)" or "BOUND: worker … saturated in …". */
function describeGenerator(generator: NonNullable<RunReport['generator']>): string {
  if (generator.bound) return `BOUND: ${generator.reasons.join('; ')}`;
  let p99 = 0;
  let cpu = 0;
  for (const w of generator.workers) {
    p99 = Math.max(p99, w.eventLoopDelayMs.p99);
    cpu = Math.max(cpu, w.cpu.max);
  }
  return `ok (workers' event-loop delay p99 up to ${fixed(p99, 1)} ms, CPU up to ${fixed(cpu * 100, 0)}% of one core)`;
}

function describeScenario(report: RunReport): string {
  const s = report.config.workload.scenario;
  const realism = [
    ...(s.change !== undefined ? [`change ${s.change}`] : []),
    ...(s.zipfExponent !== undefined ? [`targets zipf:${s.zipfExponent}`] : []),
    ...(s.unknownRatio !== undefined ? [`unknown ids ${fixed(s.unknownRatio * 100, 1)}%`] : []),
  ];
  return realism.length === 0 ? describeScenarioKind(report) : `${describeScenarioKind(report)}, ${realism.join(', ')}`;
}

function describeScenarioKind(report: RunReport): string {
  const s = report.config.workload.scenario;
  switch (s.scenario) {
    case 'single':
    case 'disjoint':
      return `${s.scenario} (${s.refsMin}-${s.refsMax} references)`;
    case 'hot':
      return `hot (${s.hotDocs} documents, ${s.refsMin}-${s.refsMax} references)`;
    case 'batch':
      return `batch (${s.batchSize} documents, ${s.sorted ? 'sorted' : 'random order'})`;
    case 'cross-partition':
      return `cross-partition (${s.batchSize} documents)`;
    case 'mixed':
      return `mixed (${fixed(s.readRatio * 100, 0)}% reads)`;
    case 'noop':
      return s.noopSleepMs > 0 ? `noop (pg_sleep ${s.noopSleepMs} ms)` : 'noop (SELECT 1)';
    case 'idle':
      return 'idle (no database)';
    case 'fixture':
      return `fixture (${s.fixture ?? '?'}${s.fixtureAlternate ? ', alternating with a second set' : ''})`;
  }
}

function addLatency(add: (key: string, value: string) => void, label: string, l: LatencySummaryMs): void {
  add(`${label} average`, `${fixed(l.mean)} ms`);
  add(`${label} stddev`, `${fixed(l.stdev)} ms`);
  add(`${label} min`, `${fixed(l.min)} ms`);
  add(`${label} p50`, `${fixed(l.p50)} ms`);
  add(`${label} p90`, `${fixed(l.p90)} ms`);
  add(`${label} p95`, `${fixed(l.p95)} ms`);
  add(`${label} p99`, `${fixed(l.p99)} ms`);
  add(`${label} p99.9`, `${fixed(l.p999)} ms`);
  add(`${label} max`, `${fixed(l.max)} ms`);
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

function percent(part: number, whole: number): string {
  return `${whole === 0 ? '0.000' : ((100 * part) / whole).toFixed(3)}%`;
}

/** --verify-writes: "206 in 640 writes read back (321.88 per 1000), read-back mean 12663.58 µs". */
function observedText(observed: ObservedWrites): string {
  const { anomalies, writesChecked, per1000, readBackMicrosMean, cut } = observed;
  const mean = readBackMicrosMean === undefined ? '' : `, read-back mean ${readBackMicrosMean} µs`;
  return `${anomalies} in ${writesChecked} writes read back (${per1000} per 1000)${mean}${cut ? `, ${cut} not sent (undercounted)` : ''}`;
}

/** "integrity and pg deltas are shared with run <id> "<name>" (started …)". */
export function sharedDatabaseNote(runs: NonNullable<RunReport['concurrentRuns']>): string {
  const list = runs.map((r) => `run ${r.runId} "${r.name}" (started ${r.startedAt})`).join(', ');
  return `integrity and pg deltas are shared with ${list}: they include its writes`;
}
