import test from 'ava';
import type pg from 'pg';
import { captureExplain } from '../../../coordinator/observe/explain-capture.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import type { SharedClock } from '../../../shared/redis-clock.ts';
import { createWorkloadDatabase, referenceRows, type WorkloadDatabase } from '../support/workload-database.ts';

const SHAPE: DatasetShape = { documents: 100, references: 1000, avgRefsPerDoc: 10, partitions: 4 };
const CLOCK: Pick<SharedClock, 'now'> = { now: () => Date.now() };
let database: WorkloadDatabase;
let client: pg.Client;

test.before(async () => {
  database = await createWorkloadDatabase(`dms_perf_test_explain_${process.pid}`, SHAPE);
  client = await database.connect();
});

test.after.always(async () => {
  await client?.end();
  await database?.drop();
});

const DOCUMENTS = [
  { documentId: 7, aliasIds: [1, 2, 3, 4] },
  { documentId: 9, aliasIds: [5, 6] },
];

for (const strategy of ['current', 'differential', 'merge'] as const) {
  test.serial(`${strategy}, bare: the call's plan and, through auto_explain, the statements inside the function; nothing written`, async (t) => {
    const before = await referenceRows(client, [7, 9]);
    const { capture, missing } = await captureExplain(client, DOCUMENTS, { strategy, shape: 'bare' }, database.index, CLOCK);
    t.deepEqual(missing, {});
    t.deepEqual(capture.plans.map((p) => p.statement), [`workload/call-${strategy}`]);
    t.regex(capture.plans[0].text, /^Function Scan on (dms\.)?insertreferences/i);
    t.true(capture.plans[0].totalTimeMs > 0);
    t.true(capture.nested.length > 0, 'nested plans');
    t.true(capture.nested.some((p) => /INSERT|MERGE/i.test(p.statement) || /Insert|Merge/.test(p.text)), capture.nested.map((p) => p.statement).join(' | '));
    const checks = capture.nested.filter((p) => /^SELECT 1 FROM "dms"\."(alias|document)" x/.test(p.statement));
    t.true(checks.length > 0 && checks.length <= 4, 'foreign key checks folded per statement text');
    t.true(checks.reduce((sum, p) => sum + (p.calls ?? 1), 0) >= 6, 'one call per inserted row and key');
    t.deepEqual(await referenceRows(client, [7, 9]), before, 'rolled back');
  });
}

test.serial('dms: lock, update and the first per-document call, in order; the Document rows are left as they were', async (t) => {
  const documents = async () => (await client.query('SELECT Id, EdfiDoc, LastModifiedTraceId FROM dms.Document WHERE Id IN (7, 9) ORDER BY Id')).rows;
  const before = await documents();
  const { capture } = await captureExplain(client, DOCUMENTS, { strategy: 'current', shape: 'dms' }, database.index, CLOCK);
  t.deepEqual(capture.plans.map((p) => p.statement), ['workload/lock-documents', 'workload/update-documents', 'workload/call-current']);
  t.regex(capture.plans[0].text, /LockRows/);
  t.regex(capture.plans[1].text, /^Update on/);
  t.true(capture.plans[1].buffers.sharedHit + capture.plans[1].buffers.sharedRead > 0);
  t.deepEqual(await documents(), before);
});
