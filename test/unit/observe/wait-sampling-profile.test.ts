import test from 'ava';
import { inServerProfile, profileDelta, waitCategory, withWaitSource, type ProfileRow } from '../../../coordinator/observe/wait-sampling-profile.ts';
import type { LockWaitSection } from '../../../coordinator/results/run-report.ts';

const row = (pid: number, event: string | null, queryid: string, count: number): ProfileRow => ({
  pid,
  event_type: event === null ? null : event.split(':')[0]!,
  event: event === null ? null : event.split(':')[1]!,
  queryid,
  count,
});

test('categories are named as the client sampler names them', (t) => {
  t.is(waitCategory({ event_type: null, event: null }), 'CPU');
  t.is(waitCategory({ event_type: 'Lock', event: 'transactionid' }), 'Lock:transactionid');
});

test('the run\'s profile is the end minus the start, cell by cell; a cell reset meanwhile counts from zero', (t) => {
  const before = [row(10, 'Lock:transactionid', '7', 100), row(10, null, '7', 50), row(11, 'Lock:tuple', '8', 40)];
  const after = [row(10, 'Lock:transactionid', '7', 130), row(10, null, '7', 50), row(11, 'Lock:tuple', '8', 5), row(12, 'Client:ClientRead', '0', 9)];
  const cells = profileDelta(before, after);
  t.deepEqual(
    cells.map((c) => [c.category, c.queryid, c.samples]),
    [['Lock:transactionid', '7', 30], ['Lock:tuple', '8', 5], ['Client:ClientRead', '0', 9]],
  );
});

test('per statement: what its samples waited on, largest first, with its pg_stat_statements text when known', (t) => {
  const cells = [
    { category: 'Lock:transactionid', queryid: '7', samples: 30 },
    { category: 'CPU', queryid: '7', samples: 10 },
    { category: 'CPU', queryid: '8', samples: 5 },
    { category: 'Client:ClientRead', queryid: '0', samples: 15 },
  ];
  const profile = inServerProfile(cells, new Map([['7', 'SELECT ... FOR NO KEY UPDATE']]), 10);
  t.is(profile.sessionSamples, 60);
  t.deepEqual(profile.byEvent, { 'Lock:transactionid': 30, CPU: 15, 'Client:ClientRead': 15 });
  t.is(profile.shares['Lock:transactionid'], 0.5);
  t.deepEqual(profile.statements, [
    { queryid: '7', query: 'SELECT ... FOR NO KEY UPDATE', samples: 40, byEvent: { 'Lock:transactionid': 30, CPU: 10 } },
    { queryid: '8', samples: 5, byEvent: { CPU: 5 } },
  ]);
  t.is(inServerProfile(cells, new Map(), 1).statements.length, 1, 'at most `top` statements');
});

test('the section names its source: pg_wait_sampling in place of the client counts, or the client sampler and why', (t) => {
  const client: LockWaitSection = { samples: 40, sessionSamples: 320, byEvent: { CPU: 320 }, blocked: {} };
  const profile = inServerProfile([{ category: 'Lock:tuple', queryid: '9', samples: 12 }], new Map(), 5);
  const inServer = withWaitSource(client, { profile, periodMs: 10 });
  t.is(inServer.source, 'pg_wait_sampling');
  t.is(inServer.sessionSamples, 12);
  t.deepEqual(inServer.clientSampler, { sessionSamples: 320, byEvent: { CPU: 320 } });
  t.is(inServer.samples, 40, 'the client sampler\'s rounds stay');
  const fallback = withWaitSource(client, { absent: 'pg_wait_sampling is not in shared_preload_libraries' });
  t.is(fallback.source, 'client-sampler');
  t.is(fallback.sessionSamples, 320);
  t.regex(fallback.sourceNote ?? '', /shared_preload_libraries/);
});

test('per phase: the samples of the statements that belong to one, every statement counted, not only the top ones', (t) => {
  const cells = [
    { category: 'Lock:transactionid', queryid: '7', samples: 30 },
    { category: 'Lock:tuple', queryid: '7', samples: 10 },
    { category: 'IO:DataFileRead', queryid: '8', samples: 5 },
    { category: 'Client:ClientRead', queryid: '9', samples: 2 },
  ];
  const texts = new Map([['7', 'lock statement'], ['8', 'strategy call'], ['9', 'unknown']]);
  const phaseOf = (q: string) => (q.startsWith('lock') ? 'lock' : q.startsWith('strategy') ? 'strategy' : undefined);
  const profile = inServerProfile(cells, texts, 1, phaseOf);
  t.deepEqual(profile.byPhase, { lock: { 'Lock:transactionid': 30, 'Lock:tuple': 10 }, strategy: { 'IO:DataFileRead': 5 } });
  t.is(profile.statements[0]!.phase, 'lock');
  t.deepEqual(withWaitSource({ samples: 1, sessionSamples: 1, byEvent: {}, blocked: {} }, { profile }).byPhase, profile.byPhase);
});
