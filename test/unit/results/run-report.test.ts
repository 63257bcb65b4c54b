import test from 'ava';
import { UsageError } from '../../../shared/errors.ts';
import { checkRunReport } from '../../../coordinator/results/read-run-report.ts';
import { fixtureReport } from '../compare/compare-fixture.ts';
import { realisticReport } from './report-fixture.ts';

/** A run.json as written and read back: JSON drops undefined fields. */
const asWritten = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

test('run.json as the coordinator writes it passes its schema, every section included', (t) => {
  const { report } = realisticReport();
  t.truthy(report.pg && report.lockWaits && report.integrity);
  t.notThrows(() => checkRunReport(asWritten(report), 'realistic'));
  t.notThrows(() => checkRunReport(asWritten(fixtureReport({ noPg: true })), 'fixture'));
});

test('the sections of a run whose observers could not work pass too', (t) => {
  const report = asWritten(fixtureReport());
  report.pg = { before: {}, after: {}, delta: {}, perOp: {}, missing: { snapshots: 'no "before" snapshot: refused' } };
  report.lockWaits = { samples: 0, sessionSamples: 0, byEvent: {}, blocked: {}, failure: 'connection refused' };
  t.notThrows(() => checkRunReport(report, 'absent'));
});

/** Sets the field at a dotted path ("intervals.2.p99Ms") of a parsed run.json. */
function spoil(report: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = report;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
}

const WRONG: ReadonlyArray<[string, string, unknown, string]> = [
  ['a count that is a string', 'sessions.requested', '16', 'sessions.requested: expected an integer of at least 0, got "16"'],
  ['a percentile that is null', 'latencyMs.p99', null, 'latencyMs.p99: expected a number, got null'],
  ['a config option outside its flag range', 'config.workload.scenario.refsMin', 0, 'config.workload.scenario.refsMin: expected an integer from 1 to 100000, got 0'],
  ['an interval field of the wrong type', 'intervals.2.p99Ms', '5 ms', 'intervals[2].p99Ms: expected a number, got "5 ms"'],
  ['a session status run.json does not know', 'sessionResults.0.status', 'ok', 'sessionResults[0].status: expected completed|aborted|failed|lost, got "ok"'],
  ['a pg counter that is text', 'pg.delta.tables.reference.n_dead_tup', 'many', 'pg.delta.tables.reference.n_dead_tup: expected a number, got "many"'],
  ['a blocked summary that is not an object', 'lockWaits.blocked', 3, 'lockWaits.blocked: expected an object, got 3'],
  [
    'an integrity example with an unknown diagnosis',
    'integrity.examples',
    [{ documentId: 1, diagnosis: 'odd', rows: 1, expectedRows: [1], committedSets: 1 }],
    'integrity.examples[0].diagnosis: expected union of two committed sets|',
  ],
];

for (const [what, path, value, reason] of WRONG) {
  test(`run.json with ${what} is refused naming the field`, (t) => {
    const report = asWritten(realisticReport().report);
    spoil(report, path, value);
    const error = t.throws(() => checkRunReport(report, 'dir/run.json'), { instanceOf: UsageError });
    t.true(error!.message.startsWith(`"dir/run.json" is not a refswarm run.json: ${reason}`), error!.message);
    t.false(error!.message.includes('\n'));
  });
}
