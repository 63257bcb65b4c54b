import { createHistogram, recordMicros, summarizeMs } from '../../../shared/histogram.ts';
import { DEFAULT_SCENARIO_OPTIONS, type RunConfig } from '../../../shared/run-config.ts';
import { RUN_REPORT_VERSION, type IntervalSummary, type RunReport } from '../../../coordinator/results/run-report.ts';
import { lockProfile, type LockSample, type SessionSample } from '../../../coordinator/observe/lock-profile.ts';
import { perOperation, pgDelta } from '../../../coordinator/observe/pg-delta.ts';
import { spectrumFromHistogram, type SpectrumPoint } from '../../../coordinator/html/percentile-spectrum.ts';
import type { PgSnapshot } from '../../../coordinator/observe/pg-snapshot.ts';
import { fixtureConfig } from '../compare/compare-fixture.ts';

/**
 * A realistic run for report tests: a 30 s hot run of 16 dms-shape sessions, its latency spectrum,
 * a lock-wait profile built from synthetic samples, and pg snapshots. Deterministic.
 */

const START = Date.UTC(2026, 10, 24, 4, 0, 0);
const SESSIONS = 16;
const SECONDS = 30;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function snapshot(scale: number): PgSnapshot {
  const table = (ins: number, upd: number, del: number, dead: number) => ({
    partitions: 16,
    n_live_tup: 100_000 + ins - del,
    n_dead_tup: dead,
    n_tup_ins: ins,
    n_tup_upd: upd,
    n_tup_del: del,
    n_tup_hot_upd: upd / 3,
    seq_scan: 3,
    seq_tup_read: 10,
    idx_scan: 1000 * scale,
    idx_tup_fetch: 900 * scale,
    vacuum_count: 0,
    autovacuum_count: 0,
    analyze_count: 1,
    autoanalyze_count: 0,
  });
  return {
    takenAt: new Date(START + scale * 1000).toISOString(),
    serverVersionNum: 150020,
    tables: {
      document: table(2000, 1200 * scale, 0, 1200 * scale),
      alias: table(2000, 0, 0, 0),
      reference: table(100_000 + 60_000 * scale, 0, 60_000 * scale, 60_000 * scale),
    },
    tableIo: { reference: { heap_blks_hit: 90_000 * scale, heap_blks_read: 300 * scale, idx_blks_hit: 150_000 * scale, idx_blks_read: 90 * scale } },
    database: { xact_commit: 1500 * scale, xact_rollback: 12 * scale, deadlocks: 2 * scale, blks_hit: 300_000 * scale, blks_read: 500 * scale, temp_bytes: 0 },
    functions: { insertreferences: { calls: 1200 * scale, total_time_ms: 9000 * scale, self_time_ms: 8800 * scale } },
    statementTotals: { calls: 5000 * scale, wal_bytes: 48_000_000 * scale, wal_records: 400_000 * scale, wal_fpi: 900 * scale },
    statements: [
      { queryid: '1', query: 'SELECT * FROM dms.InsertReferences($1, $2, $3, $4)', counters: { calls: 1200 * scale, total_exec_time_ms: 9100 * scale, rows: 0, wal_bytes: 47_000_000 * scale, shared_blks_hit: 200_000 * scale, shared_blks_read: 300 * scale } },
      { queryid: '2', query: 'UPDATE dms.document SET lastmodifiedat = now() WHERE <script>alert(1)</script>', counters: { calls: 1200 * scale, total_exec_time_ms: 300 * scale, rows: 1200 * scale, wal_bytes: 900_000 * scale } },
    ],
    wal: { wal_records: 420_000 * scale, wal_fpi: 1000 * scale, wal_bytes: 50_000_000 * scale, wal_buffers_full: 10 * scale },
    walLsn: `0/${(0x1000000 + 50_000_000 * scale).toString(16).toUpperCase()}`,
    referenceTuples: Object.fromEntries(
      Array.from({ length: 16 }, (_, p) => [`reference_${String(p).padStart(2, '0')}`, { approx_tuple_count: 6250, dead_tuple_count: 3750 * scale, dead_tuple_len: 3750 * 90 * scale, approx_free_space: 8192 * scale, scanned_percent: 10 }]),
    ),
    sizes: {
      document: { partitions: 16, tableBytes: 2_000_000, indexBytes: 500_000, totalBytes: 2_500_000, parentTotalRelationSize: 0 },
      reference: { partitions: 16, tableBytes: 12_000_000 + 2_000_000 * scale, indexBytes: 9_000_000 + 3_000_000 * scale, totalBytes: 21_000_000 + 5_000_000 * scale, parentTotalRelationSize: 0 },
    },
    missing: { pg_stat_io: 'pg_stat_io needs PostgreSQL 16 or later (server version 150020)' },
  };
}

export function lockSamples(): LockSample[] {
  const next = random(7);
  const samples: LockSample[] = [];
  for (let t = 0; t < SECONDS * 1000; t += 100) {
    const heat = t > 10_000 && t < 20_000 ? 0.8 : 0.35;
    const sessions: SessionSample[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      const r = next();
      const pid = 1000 + s;
      if (r < heat) {
        const tuple = r < heat / 3;
        sessions.push({ pid, state: 'active', waitEventType: 'Lock', waitEvent: tuple ? 'tuple' : 'transactionid', blockingPids: [s === 0 ? 1001 : 1000 + ((s + 1) % 4)], lockType: tuple ? 'tuple' : 'transactionid', lockMode: tuple ? 'ExclusiveLock' : 'ShareLock', relation: 'dms.document_03' });
      } else if (r < heat + 0.1) {
        sessions.push({ pid, state: 'active', waitEventType: 'LWLock', waitEvent: r < heat + 0.05 ? 'LockManager' : 'WALInsert', blockingPids: [] });
      } else if (r < heat + 0.25) {
        sessions.push({ pid, state: 'active', waitEventType: null, waitEvent: null, blockingPids: [] });
      } else if (r < heat + 0.3) {
        sessions.push({ pid, state: 'active', waitEventType: 'IO', waitEvent: 'WALSync', blockingPids: [] });
      } else {
        sessions.push({ pid, state: 'idle', waitEventType: 'Client', waitEvent: 'ClientRead', blockingPids: [] });
      }
    }
    samples.push({ atMs: START + t, sessions });
  }
  return samples;
}

export function fixtureSpectrumAndIntervals(): { spectrum: SpectrumPoint[]; intervals: IntervalSummary[]; total: ReturnType<typeof createHistogram> } {
  const next = random(42);
  const total = createHistogram();
  const intervals: IntervalSummary[] = [];
  for (let second = 0; second < SECONDS; second++) {
    const h = createHistogram();
    const hot = second >= 10 && second < 20;
    const ops = hot ? 120 + Math.floor(next() * 20) : 300 + Math.floor(next() * 40);
    for (let i = 0; i < ops; i++) {
      const base = hot ? 30_000 : 8_000;
      recordMicros(h, base * (0.3 + next()) * (next() < 0.01 ? 20 : 1));
    }
    total.add(h);
    const s = summarizeMs(h);
    intervals.push({ t: second, ok: ops - (hot ? 3 : 0), failed: hot ? 3 : 0, opsPerSec: ops, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max });
  }
  return { spectrum: spectrumFromHistogram(total), intervals, total };
}

export function realisticReport(): { report: RunReport; spectrum: SpectrumPoint[] } {
  const { spectrum, intervals, total } = fixtureSpectrumAndIntervals();
  const profile = lockProfile(lockSamples(), { startAtMs: START, endAtMs: START + SECONDS * 1000, intervalMs: 1000 });
  const withLocks = intervals.map((i) => ({ ...i, lockWaits: profile.intervals.get(i.t) }));
  const before = snapshot(1);
  const after = snapshot(2);
  const delta = pgDelta(before, after);
  const ok = intervals.reduce((n, i) => n + i.ok, 0);
  const failed = intervals.reduce((n, i) => n + i.failed, 0);
  const base = fixtureConfig('current', SESSIONS, 'hot-dms-fixture');
  const config: RunConfig = {
    ...base,
    workload: {
      ...base.workload,
      scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'hot' },
      shape: 'dms',
      loop: { mode: 'closed', thinkMinMs: 0, thinkMaxMs: 0 },
      limits: { durationMs: SECONDS * 1000, warmupMs: 0 },
    },
    thresholds: ['p99<50ms'],
  };
  const report: RunReport = {
    version: RUN_REPORT_VERSION,
    runId: '01900000-0000-7000-8000-0000000000e5',
    name: config.name,
    config,
    dataset: { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 },
    startedAt: new Date(START).toISOString(),
    endedAt: new Date(START + SECONDS * 1000).toISOString(),
    durationMs: SECONDS * 1000,
    sessions: { requested: SESSIONS, completed: SESSIONS, lost: 0, maxConcurrent: SESSIONS, maxLateStartMs: 1.5 },
    workers: [
      { id: 'w1', host: 'host-a', sessions: 8 },
      { id: 'w2', host: 'host-b', sessions: 8 },
    ],
    ops: { ok, failed, retried: 0, byError: { '40P01': failed } },
    throughput: { opsPerSec: (ok + failed) / SECONDS },
    latencyMs: summarizeMs(total),
    sessionResults: Array.from({ length: SESSIONS }, (_, s) => ({ sessionId: s, worker: s < 8 ? 'w1' : 'w2', status: 'completed' as const, ops: 400, digest: `d${s}`, lateMs: 1 })),
    intervals: withLocks,
    pg: { before, after, delta: { ...delta }, perOp: perOperation(delta, ok + failed), missing: after.missing },
    lockWaits: profile.section,
    integrity: { documentsChecked: 10, violations: 0, examples: [] },
    thresholds: [{ expression: 'p99<50ms', passed: false, actual: '61.2 ms' }],
  };
  return { report, spectrum };
}
