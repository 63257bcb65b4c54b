import test from 'ava';
import { documentsOfOperations, lookaheadOperations, LOOKAHEAD_SLACK } from '../../../coordinator/run/lost-session-writes.ts';
import { DEFAULT_SCENARIO_OPTIONS } from '../../../shared/run-config.ts';
import { createOperationStream } from '../../../shared/workload/operation-stream.ts';

const params = {
  seed: 3,
  sessionId: 1,
  sessionCount: 4,
  scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: 'single' as const, refsMin: 2, refsMax: 5 },
  dataset: { documents: 500, references: 5000, avgRefsPerDoc: 10, partitions: 4 },
};

test('a lost session\'s later operations are drawn again: the documents of exactly those operations', (t) => {
  const stream = createOperationStream(params);
  const expected = new Set<number>();
  for (let n = 0; n < 30; n++) {
    const op = stream.next();
    if (n >= 10 && op.kind === 'rewrite') for (const d of op.documents) expected.add(d.documentId);
  }
  t.deepEqual([...documentsOfOperations(params, 10, 20)].sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
});

test('the lookahead covers twice the fastest interval, plus slack', (t) => {
  t.is(lookaheadOperations(0), LOOKAHEAD_SLACK);
  t.is(lookaheadOperations(40.5), 82 + LOOKAHEAD_SLACK);
});
