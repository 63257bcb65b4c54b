import test from 'ava';
import { parseRunArgs } from '../../../coordinator/config/run-flags.ts';
import { workloadProblems } from '../../../coordinator/config/workload-fit.ts';
import { createOperationStream } from '../../../shared/workload/operation-stream.ts';

const ENV = { DATABASE_URL: 'postgres://127.0.0.1/dms_perf_x' };
const SHAPE = { documents: 50, references: 1000, avgRefsPerDoc: 20, partitions: 4 };
const problems = (args: string[], mergeConstraint = true): string[] =>
  workloadProblems(parseRunArgs(args, ENV).config, { shape: SHAPE, mergeConstraint });

test('a workload that fits the dataset has no problems', (t) => {
  t.deepEqual(problems(['--refs-max', '40']), []);
  t.deepEqual(problems(['--scenario', 'noop', '--sessions', '500']), []);
  t.deepEqual(problems(['--scenario', 'idle', '--sessions', '10000', '--strategy', 'merge'], false), [], 'idle writes nothing and draws no document');
  t.deepEqual(problems(['--scenario', 'cross-partition', '--batch-size', '4']), []);
});

const MISFITS: readonly (readonly [string[], RegExp, boolean?])[] = [
  [['--refs-max', '100'], /--refs-max 100 is above the 49 other documents/],
  [['--scenario', 'hot', '--hot-docs', '51', '--refs-max', '10'], /--hot-docs 51 is above the dataset's 50 documents/],
  [['--scenario', 'disjoint', '--sessions', '51', '--refs-max', '10'], /--sessions 51 is above the dataset's 50 documents/],
  [['--scenario', 'batch', '--batch-size', '60'], /--batch-size 60 is above the dataset's 50 documents/],
  [['--scenario', 'cross-partition', '--batch-size', '5'], /--batch-size 5 is above the 4 partitions holding documents/],
  [['--strategy', 'merge', '--refs-max', '10'], /--strategy merge needs the unique constraint.*: load with --distinct-pairs to run --strategy merge/, false],
];

for (const [args, expected, mergeConstraint] of MISFITS) {
  test(`refuses ${args.join(' ')}`, (t) => {
    const found = problems(args, mergeConstraint ?? true);
    t.is(found.length, 1, found.join('; '));
    t.regex(found[0], expected);
  });
}

test('regression: a cross-partition run on a dataset with empty partitions is refused up front, for the reason every worker gives', (t) => {
  // 10 documents over 16 partitions fill only 8 of them: a batch of 12 fits the partitions but not the populated ones.
  const shape = { documents: 10, references: 100, avgRefsPerDoc: 10, partitions: 16 };
  const { config } = parseRunArgs(['--scenario', 'cross-partition', '--batch-size', '12'], ENV);
  const refused = workloadProblems(config, { shape, mergeConstraint: true });
  const workerError = t.throws(() =>
    createOperationStream({ seed: config.seed, sessionId: 0, sessionCount: config.sessions, scenario: config.workload.scenario, dataset: shape }),
  );
  t.is(refused.join('; '), workerError?.message);
});

test('a strategy that does not fit the layout is refused with both fixes named', (t) => {
  const refuse = (args: string[], schema: 'referential-id' | 'alias-id'): string[] =>
    workloadProblems(parseRunArgs([...args, '--refs-max', '10'], ENV).config, { shape: SHAPE, mergeConstraint: false, schema });
  const [current] = refuse(['--strategy', 'current'], 'alias-id');
  t.is(
    current,
    '--strategy current needs --schema referential-id, but database "dms_perf_x" was set up with --schema alias-id: ' +
      'run refswarm setup --schema referential-id --force (then refswarm load), or use --strategy upsert',
  );
  t.regex(refuse(['--strategy', 'upsert'], 'referential-id')[0], /--strategy upsert needs --schema alias-id.*or use --strategy current or --strategy differential or --strategy merge$/);
  t.deepEqual(refuse(['--strategy', 'upsert'], 'alias-id'), []);
  t.deepEqual(refuse(['--strategy', 'upsert', '--scenario', 'mixed'], 'alias-id'), []);
  t.deepEqual(refuse(['--scenario', 'noop'], 'alias-id'), [], 'noop calls no strategy');
  t.deepEqual(refuse(['--scenario', 'idle'], 'alias-id'), [], 'idle calls no strategy');
  t.deepEqual(workloadProblems(parseRunArgs(['--refs-max', '10'], ENV).config, { shape: SHAPE, mergeConstraint: true }), [], 'absent: referential-id');
});
