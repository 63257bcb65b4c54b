import test from 'ava';
import { groupPlans, parseAutoExplainNotice, planText, statementLabel, summarizePlan } from '../../../coordinator/observe/explain-plan.ts';

const EXPLAIN_OUTPUT = [
  {
    Plan: {
      'Node Type': 'Function Scan',
      'Function Name': 'insertreferences',
      Schema: 'dms',
      Alias: 'insertreferences',
      'Actual Startup Time': 10.2,
      'Actual Total Time': 10.25,
      'Actual Rows': 0,
      'Actual Loops': 1,
      'Shared Hit Blocks': 974,
      'Shared Read Blocks': 2,
      'Shared Dirtied Blocks': 17,
      'Shared Written Blocks': 0,
    },
    'Planning Time': 0.08,
    'Execution Time': 10.4,
  },
];

const NESTED = {
  'Query Text': 'DELETE FROM dms.Reference r\n    USING unnest(parentDocumentIds) AS d (Id)',
  Plan: {
    'Node Type': 'ModifyTable',
    Operation: 'Delete',
    'Relation Name': 'reference',
    Alias: 'r',
    'Actual Startup Time': 0.28,
    'Actual Total Time': 0.29,
    'Actual Rows': 0,
    'Actual Loops': 1,
    'Shared Hit Blocks': 47,
    Plans: [
      {
        'Node Type': 'Hash Join',
        'Hash Cond': '(r.parentdocumentid = d.id)',
        'Actual Startup Time': 0.06,
        'Actual Total Time': 0.26,
        'Actual Rows': 36,
        'Actual Loops': 1,
        'Shared Hit Blocks': 11,
        Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'reference_00', Alias: 'r_1', 'Actual Rows': 521, 'Actual Loops': 1 }],
      },
    ],
  },
};

test('EXPLAIN output: execution and planning time, the top node\'s buffers, the JSON kept as it came', (t) => {
  const plan = summarizePlan('workload/call-current', EXPLAIN_OUTPUT);
  t.is(plan.statement, 'workload/call-current');
  t.is(plan.totalTimeMs, 10.4);
  t.is(plan.planningTimeMs, 0.08);
  t.deepEqual(plan.buffers, { sharedHit: 974, sharedRead: 2, sharedDirtied: 17, sharedWritten: 0 });
  t.is(plan.json, EXPLAIN_OUTPUT);
  t.is(plan.text, 'Function Scan on dms.insertreferences  (actual time=10.200..10.250 rows=0 loops=1)\n  Buffers: shared hit=974 read=2 dirtied=17');
});

test('plan text: one node a line, children under "->", conditions and buffers beneath', (t) => {
  t.is(
    planText(NESTED.Plan),
    [
      'Delete on reference r  (actual time=0.280..0.290 rows=0 loops=1)',
      '  Buffers: shared hit=47',
      '  ->  Hash Join  (actual time=0.060..0.260 rows=36 loops=1)',
      '        Hash Cond: (r.parentdocumentid = d.id)',
      '        Buffers: shared hit=11',
      '        ->  Seq Scan on reference_00 r_1  (actual time=0.000..0.000 rows=521 loops=1)',
    ].join('\n'),
  );
});

test('auto_explain notices: duration and JSON; other notices are not plans', (t) => {
  const parsed = parseAutoExplainNotice(`duration: 0.269 ms  plan:\n${JSON.stringify(NESTED, null, 2)}`);
  t.is(parsed?.durationMs, 0.269);
  t.deepEqual(parsed?.json, NESTED);
  t.is(parseAutoExplainNotice('relation "x" does not exist, skipping'), undefined);
  t.is(parseAutoExplainNotice('duration: 1 ms  plan:\n{ broken'), undefined);
  const nested = summarizePlan(statementLabel(NESTED['Query Text']), NESTED, 0.269);
  t.is(nested.statement, 'DELETE FROM dms.Reference r');
  t.is(nested.totalTimeMs, 0.269);
  t.is(nested.planningTimeMs, undefined);
});

test('nested plans of one statement text fold into one: calls counted, time and buffers summed, first-run order', (t) => {
  const check = (ms: number) => summarizePlan('SELECT 1 FROM "dms"."alias" x', { Plan: { 'Node Type': 'LockRows', 'Shared Hit Blocks': 2 } }, ms);
  const grouped = groupPlans([check(1), summarizePlan('DELETE', NESTED, 5), check(2), check(3)]);
  t.deepEqual(grouped.map((p) => [p.statement, p.calls, p.totalTimeMs, p.buffers.sharedHit]), [
    ['SELECT 1 FROM "dms"."alias" x', 3, 6, 6],
    ['DELETE', 1, 5, 47],
  ]);
});

test('a statement label is the first non-empty line, shortened', (t) => {
  t.is(statementLabel('\n  INSERT INTO dms.Reference (\n x'), 'INSERT INTO dms.Reference (');
  t.is(statementLabel('x'.repeat(300)).length, 100);
  t.is(statementLabel(undefined), '');
});

test('not a plan: a clear error', (t) => {
  t.throws(() => summarizePlan('x', [{ nothing: 1 }]), { message: /not an EXPLAIN JSON plan/ });
});
