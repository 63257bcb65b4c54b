import test from 'ava';
import { assignSessions, totalCapacity } from '../../../coordinator/run/session-assignment.ts';

const w = (id: string, capacity: number) => ({ id, capacity });

test('sessions are dealt round-robin over the workers', (t) => {
  const a = assignSessions(12, [w('a', 64), w('b', 64), w('c', 64)]);
  t.deepEqual(a.bySession.slice(0, 6), ['a', 'b', 'c', 'a', 'b', 'c']);
  t.deepEqual([...a.byWorker.values()].map((s) => s.length), [4, 4, 4]);
  t.deepEqual(a.byWorker.get('b'), [1, 4, 7, 10]);
});

test('a full worker is skipped; the rest take the remainder evenly', (t) => {
  const a = assignSessions(10, [w('a', 2), w('b', 8), w('c', 8)]);
  t.deepEqual(a.byWorker.get('a'), [0, 3]);
  t.is(a.byWorker.get('b')!.length, 4);
  t.is(a.byWorker.get('c')!.length, 4);
  for (const [id, sessions] of a.byWorker) t.true(sessions.length <= (id === 'a' ? 2 : 8));
});

test('exact capacity is used to the last slot; fewer sessions than workers leave some idle', (t) => {
  const full = assignSessions(6, [w('a', 1), w('b', 5)]);
  t.deepEqual(full.byWorker.get('a'), [0]);
  t.deepEqual(full.byWorker.get('b'), [1, 2, 3, 4, 5]);
  const few = assignSessions(2, [w('a', 4), w('b', 4), w('c', 4)]);
  t.deepEqual([...few.byWorker.keys()], ['a', 'b']);
});

test('too little capacity is refused', (t) => {
  t.is(totalCapacity([w('a', 3), w('b', 4)]), 7);
  t.throws(() => assignSessions(8, [w('a', 3), w('b', 4)]), { instanceOf: RangeError });
  t.throws(() => assignSessions(1, []), { instanceOf: RangeError });
});

test('every session gets exactly one worker', (t) => {
  const a = assignSessions(1000, [w('a', 300), w('b', 500), w('c', 400)]);
  t.is(a.bySession.length, 1000);
  const all = [...a.byWorker.values()].flat().sort((x, y) => x - y);
  t.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
});
