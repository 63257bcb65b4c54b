import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateRun } from '../../../coordinator/run/run-aggregate.ts';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import type { ResultFile } from '../../../coordinator/results/result-file.ts';
import { timestampOf, writeResults } from '../../../coordinator/results/results-writer.ts';
import { assignSessions } from '../../../coordinator/run/session-assignment.ts';
import { progressText } from '../../../coordinator/run/live-progress.ts';
import { PHASE_LOG_FILE } from '../../../coordinator/results/report-files.ts';
import { createHistogram, recordMicros } from '../../../shared/histogram.ts';
import { readPhaseLog } from '../../../shared/hlog.ts';

const { config } = parseRunArgs(['--sessions', '1', '--name', 'unit'], { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_x' });
const START = new Date(2024, 6, 1, 9, 5, 7).getTime();
const { report, latency } = aggregateRun({
  runId: 'r1', config, dataset: { documents: 10, references: 10, avgRefsPerDoc: 1, partitions: 1 },
  assignment: assignSessions(1, [{ id: 'w', capacity: 1 }]), hosts: new Map(), startAtMs: START, endAtMs: START + 1000,
  intervalMs: 1000, events: [], lost: new Map(),
});
const input = { report, latency, startAtMs: START };

test('results land in <YYYYMMDD_HHMMSS>_<name>, a second run of the same second gets its own folder', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'refswarm-results-'));
  try {
    const first = await writeResults(root, input, []);
    const second = await writeResults(root, input, []);
    t.is(first.directory, join(root, '20240701_090507_unit'));
    t.is(second.directory, join(root, '20240701_090507_unit_2'));
    t.deepEqual(first.files, ['run.json', 'latency.hgrm', 'summary.txt']);
    t.is(JSON.parse(readFileSync(join(first.directory, 'run.json'), 'utf8')).runId, 'r1');
    t.deepEqual(readdirSync(root).sort(), ['20240701_090507_unit', '20240701_090507_unit_2']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file that fails to render leaves nothing behind', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'refswarm-results-'));
  const broken: ResultFile = { name: 'report.html', render: () => { throw new Error('render failed'); } };
  try {
    await t.throwsAsync(writeResults(root, input, [broken]), { message: 'render failed' });
    t.deepEqual(readdirSync(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('timestamps are local time, zero-padded', (t) => {
  t.is(timestampOf(new Date(2025, 0, 2, 3, 4, 5)), '20250102_030405');
});

test('the progress line reads like pgbench', (t) => {
  t.is(
    progressText({ elapsedSeconds: 10, opsPerSec: 1234.54, p99Ms: 8.14, failed: 0, activeSessions: 12, fragments: ['3 waiting on locks'] }),
    'progress: 10.0 s, 1234.5 ops/s, p99 8.1 ms, 0 failed, 12 active sessions, 3 waiting on locks',
  );
  t.is(progressText({ elapsedSeconds: 0.5, opsPerSec: 0, p99Ms: undefined, failed: 2, activeSessions: 0, fragments: [] }), 'progress: 0.5 s, 0.0 ops/s, p99 -, 2 failed, 0 active sessions');
});

test('phases.hlog is written when the run recorded phases, and not otherwise', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'refswarm-results-'));
  try {
    const without = await writeResults(root, input, [PHASE_LOG_FILE]);
    t.false(without.files.includes('phases.hlog'));
    const lock = createHistogram();
    recordMicros(lock, 1234);
    const withPhases = await writeResults(root, { ...input, phases: new Map([['lock', lock]]) }, [PHASE_LOG_FILE]);
    t.true(withPhases.files.includes('phases.hlog'));
    const back = readPhaseLog(readFileSync(join(withPhases.directory, 'phases.hlog'), 'utf8'));
    t.is(back.get('lock')?.totalCount, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
