import test from 'ava';
import { contentionRows } from '../../../coordinator/compare/compare-contention.ts';
import { compareRuns } from '../../../coordinator/compare/compare.ts';
import { renderCompareHtml } from '../../../coordinator/html/compare-html.ts';
import { renderReportHtml } from '../../../coordinator/html/report-html.ts';
import type { RunReport } from '../../../coordinator/results/run-report.ts';
import { realisticReport } from '../results/report-fixture.ts';

function contended(base: RunReport, count: number): RunReport {
  return {
    ...base,
    lockWaits: {
      ...base.lockWaits!,
      documents: [
        { document: 3, partition: 1, blockedSamples: 40 },
        { document: 7, partition: 3, blockedSamples: 12 },
      ],
      partitions: [
        { partition: 1, blockedSamples: 40, byEvent: { 'Lock:transactionid': 40, CPU: 8 } },
        { partition: 3, blockedSamples: 12, byEvent: { 'Lock:tuple': 12, IdleInTransaction: 5 } },
      ],
      rootBlockers: [{ session: 2, op: 9, documents: [3], state: 'idle in transaction', statement: 'COMMIT', blockedSamples: 30, samples: 4, longestXactMs: 180 }],
      untaggedBlockedSamples: 0,
    },
    deadlocks: {
      count,
      patterns: [
        {
          count,
          cycle: [
            { role: 'A', session: 1, op: 4, lockType: 'transaction', lockMode: 'ShareLock', relation: 'dms.reference_00', documents: [5, 6] },
            { role: 'B', session: 2, op: 8, lockType: 'transaction', lockMode: 'ShareLock', relation: 'dms.reference_02', documents: [6, 5] },
          ],
          sharedDocuments: [5, 6],
        },
      ],
    },
  };
}

test('report.html: contended documents bars, the partition × wait-event heat map, root blockers and deadlock patterns', (t) => {
  const { report, spectrum } = realisticReport();
  const html = renderReportHtml(contended(report, 3), spectrum);
  t.regex(html, /<section id="contention">/);
  t.regex(html, /data-chart="contended-documents" data-points="2"/);
  t.regex(html, /data-chart="partition-waits" data-points="4"/);
  t.regex(html, /Root blockers/);
  t.regex(html, /A \(session 1, op 4, documents 5, 6\) waits for transaction ShareLock on dms\.reference_00 → B/);
});

test('report.html: a run without tags says nothing was attributed; one before tags and deadlocks has no contention section', (t) => {
  const { report, spectrum } = realisticReport();
  t.notRegex(renderReportHtml(report, spectrum), /id="contention"/);
  t.regex(renderReportHtml({ ...report, deadlocks: { count: 0, patterns: [] } }, spectrum), /nothing attributed/);
});

test('compare: deadlocks, contended documents and deadlock patterns side by side, a picture first', (t) => {
  const { report } = realisticReport();
  const runs = [contended(report, 3), contended({ ...report, name: 'other' }, 0)];
  const rows = contentionRows(runs);
  t.deepEqual(
    rows.map((r) => `${r.group}/${r.label}`),
    ['contention/batch order', 'contention/deadlocks', 'contended documents/#1', 'contended documents/#2', 'deadlock patterns/#1'],
  );
  t.is(rows[2].cells[0].text, 'document 3 (key 1): 40');
  t.regex(rows[4].cells[0].text, /^3× A transaction ShareLock on dms\.reference_00 → B/);
  const html = renderCompareHtml(compareRuns(runs), runs);
  t.true(html.indexOf('data-chart="deadlocks"') < html.indexOf('<h2>Measures</h2>'));
  t.regex(html, /data-chart="contended-documents" data-points="4"/);
  t.deepEqual(contentionRows([report]), [], 'runs without tags or deadlocks: no rows');
});
