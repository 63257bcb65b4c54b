import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitCommitOf } from '../../../shared/host-info.ts';
import { sampleHealthPerInterval } from '../../../shared/interval-health.ts';
import { cpuShare, startProcessHealthMeter } from '../../../shared/process-health.ts';
import type { SharedClock } from '../../../shared/redis-clock.ts';

test('an event loop held for a whole window reads as one delay as long as the window, not as none', (t) => {
  const meter = startProcessHealthMeter();
  const until = performance.now() + 120;
  while (performance.now() < until);
  const sample = meter.take();
  meter.stop();
  t.true(sample.wallMs >= 120);
  t.true(sample.eventLoopDelayMs.p99 >= 100, JSON.stringify(sample));
  t.true(cpuShare(sample) > 0);
});

test('cpuShare is CPU time over wall time, 0 for an empty window', (t) => {
  t.is(cpuShare({ wallMs: 1000, cpuMs: 250 }), 0.25);
  t.is(cpuShare({ wallMs: 0, cpuMs: 0 }), 0);
});

test('gitCommitOf reads HEAD through a worktree link and packed refs, without git; undefined without .git', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'refswarm-git-'));
  try {
    const commit = '0123456789abcdef0123456789abcdef01234567';
    const common = join(root, 'main.git');
    mkdirSync(join(common, 'worktrees', 'wt'), { recursive: true });
    writeFileSync(join(common, 'packed-refs'), `# pack-refs with: peeled\n${commit} refs/heads/topic\n`);
    writeFileSync(join(common, 'worktrees', 'wt', 'HEAD'), 'ref: refs/heads/topic\n');
    writeFileSync(join(common, 'worktrees', 'wt', 'commondir'), '../..\n');
    const checkout = join(root, 'checkout');
    mkdirSync(checkout);
    writeFileSync(join(checkout, '.git'), `gitdir: ${join(common, 'worktrees', 'wt')}\n`);
    t.is(gitCommitOf(checkout), commit);
    t.is(gitCommitOf(root), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('regression: a session loop that holds the event loop from the common start on is measured, not missed by a meter that starts late', async (t) => {
  const clock = { now: () => performance.timeOrigin + performance.now() } as SharedClock;
  const startAtMs = clock.now() + 60;
  const samples: { index: number; p99: number }[] = [];
  const sampler = sampleHealthPerInterval(clock, startAtMs, 200, (index, sample) => samples.push({ index, p99: sample.eventLoopDelayMs.p99 }));
  // As a session wakes for the start (a timer due just before it) and then never yields.
  await new Promise<void>((resolve) =>
    setTimeout(() => {
      const until = performance.now() + 500;
      while (performance.now() < until);
      resolve();
    }, startAtMs - 1 - clock.now()),
  );
  sampler.stop();
  t.true(samples.length > 0);
  t.true(Math.max(...samples.map((s) => s.p99)) >= 400, JSON.stringify(samples));
});
