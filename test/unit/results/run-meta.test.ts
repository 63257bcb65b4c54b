import test from 'ava';
import { ConfigurationError } from '../../../shared/errors.ts';
import { parseRunMeta } from '../../../coordinator/results/run-meta.ts';
import { fixtureConfig } from '../compare/compare-fixture.ts';

const meta = {
  runId: 'run-1',
  config: fixtureConfig('current', 2),
  dataset: { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 },
  distinctPairs: false,
  intervalMs: 1000,
  createdAt: '2026-01-01T00:00:00.000Z',
  assignment: ['w1', 'w2'],
  workers: [{ id: 'w1', host: 'a' }, { id: 'w2', host: 'b' }],
};

test('a run meta as the coordinator writes it parses', (t) => {
  t.deepEqual(parseRunMeta(JSON.stringify(meta), 'run-1') as unknown, meta);
});

const BAD: ReadonlyArray<[string, unknown, string]> = [
  ['a wrong type deep in the config', { ...meta, config: { ...meta.config, seed: '7' } }, '(config.seed: expected an integer from 0 to 2147483647, got "7")'],
  ['a seed outside the flag range', { ...meta, config: { ...meta.config, seed: -1 } }, '(config.seed: expected an integer from 0 to 2147483647, got -1)'],
  ['another run', { ...meta, runId: 'run-2' }, '(runId: expected "run-1", got "run-2")'],
  ['a missing dataset', { ...meta, dataset: undefined }, '(dataset: expected an object, got nothing)'],
  ['an assignment of the wrong length', { ...meta, assignment: ['w1'] }, '(assignment: expected one worker per session (2), got 1)'],
  ['not an object', [], '(value: expected an object, got [])'],
];

for (const [what, value, reason] of BAD) {
  test(`a run meta with ${what} is refused naming the field`, (t) => {
    const error = t.throws(() => parseRunMeta(JSON.stringify(value), 'run-1'), { instanceOf: ConfigurationError });
    t.is(error!.message, `the run meta of run-1 in Redis is not one this refswarm reads ${reason}: rebuild it with the refswarm version that ran it`);
  });
}

test('a run meta that is not JSON is refused', (t) => {
  t.throws(() => parseRunMeta('{', 'run-1'), { message: 'the run meta of run-1 in Redis is not JSON: it was written by something else' });
});
