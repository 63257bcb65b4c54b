import type { DeadlockPattern, DeadlockSection, LockWaitSection } from '../results/run-report-sections.ts';
import { formatMs, formatNumber } from './format.ts';
import { OTHER, seriesColour, waitEventColours } from './palette.ts';
import { barChart, heatMap } from './svg-charts.ts';
import { table } from './tables.ts';

/**
 * The contention part of report.html (docs/architecture.md#sql-tags): the most contended documents,
 * a partition × wait-event heat map, the root blockers, and the deadlock patterns. Pure.
 */

const HEAT_COLUMNS = 8;
const DOCUMENT_BARS = 12;
/** Documents listed per participant before "…". */
const LISTED_DOCUMENTS = 8;

export function contentionSection(lockWaits: LockWaitSection | undefined, deadlocks: DeadlockSection | undefined): string {
  const attributed = lockWaits?.documents !== undefined;
  if (!attributed && !deadlocks) return '';
  return (
    '<h3>Contended documents</h3>' +
    (attributed ? contendedDocuments(lockWaits!) + partitionHeatMap(lockWaits!) + rootBlockers(lockWaits!) : '<p class="note">no SQL tags in this run (--no-sql-tags, or a run before tags): nothing attributed</p>') +
    (deadlocks ? deadlockPatterns(deadlocks) : '')
  );
}

function contendedDocuments(section: LockWaitSection): string {
  const documents = section.documents ?? [];
  if (documents.length === 0) return '<p class="note">no blocked session-sample: no contended document</p>';
  const chart = barChart(
    'contended-documents',
    'Most contended documents (blocked session-samples of operations on them)',
    documents.slice(0, DOCUMENT_BARS).map((d) => ({ label: `document ${d.document} (key ${d.partition})`, value: d.blockedSamples, color: seriesColour(3) })),
    (v) => formatNumber(v, 0),
  );
  const untagged = section.untaggedBlockedSamples ? `<p class="note">${formatNumber(section.untaggedBlockedSamples, 0)} blocked session-samples showed no tag</p>` : '';
  return chart + table(['document', 'partition key', 'blocked session-samples'], documents.map((d) => [String(d.document), String(d.partition), formatNumber(d.blockedSamples, 0)])) + untagged;
}

function partitionHeatMap(section: LockWaitSection): string {
  const partitions = [...(section.partitions ?? [])].sort((a, b) => a.partition - b.partition);
  const weight = new Map<string, number>();
  for (const p of partitions) for (const [k, v] of Object.entries(p.byEvent)) weight.set(k, (weight.get(k) ?? 0) + v);
  const ranked = [...weight].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const shown = ranked.slice(0, HEAT_COLUMNS);
  const rest = new Set(ranked.slice(HEAT_COLUMNS));
  const colourOf = waitEventColours(shown);
  const columns = [...shown, ...(rest.size > 0 ? [OTHER] : [])].map((name) => ({ name, color: colourOf(name) }));
  const values = partitions.map((p) => [
    ...shown.map((name) => p.byEvent[name] ?? 0),
    ...(rest.size > 0 ? [Object.entries(p.byEvent).reduce((s, [k, v]) => (rest.has(k) ? s + v : s), 0)] : []),
  ]);
  return heatMap('partition-waits', 'Partition keys × wait events (session-samples of operations touching the partition key, idle left out)', partitions.map((p) => `key ${p.partition}`), columns, values);
}

function rootBlockers(section: LockWaitSection): string {
  const blockers = section.rootBlockers ?? [];
  if (blockers.length === 0) return '';
  return (
    '<h3>Root blockers</h3><p class="note">sessions that blocked others while not blocked themselves, one row per operation</p>' +
    table(
      ['session', 'operation', 'documents', 'state', 'statement', 'blocked session-samples', 'samples as root', 'longest transaction'],
      blockers.map((b) => [String(b.session), String(b.op), listed(b.documents), b.state, b.statement ?? '', formatNumber(b.blockedSamples, 0), formatNumber(b.samples, 0), formatMs(b.longestXactMs)]),
    )
  );
}

function deadlockPatterns(section: DeadlockSection): string {
  if (section.count === 0) return '<h3>Deadlocks</h3><p class="note">no deadlock</p>';
  return (
    `<h3>Deadlocks</h3><p>${formatNumber(section.count, 0)} deadlocks, ${section.patterns.length} pattern${section.patterns.length === 1 ? '' : 's'} (most frequent first; sessions and documents from the first instance)</p>` +
    table(
      ['deadlocks', 'cycle', 'documents shared'],
      section.patterns.map((p) => [formatNumber(p.count, 0), cycleText(p), listed(p.sharedDocuments ?? [])]),
    )
  );
}

/** "A (session 5, op 0, documents 1, 2) waits for transaction ShareLock on dms.reference_00 → B …" */
export function cycleText(pattern: DeadlockPattern): string {
  return pattern.cycle
    .map((p) => {
      const who = p.session === undefined ? 'not sampled' : `session ${p.session}, op ${p.op ?? '?'}, documents ${listed(p.documents)}`;
      return `${p.role} (${who}) waits for ${p.lockType} ${p.lockMode}${p.relation ? ` on ${p.relation}` : ''}`;
    })
    .join(' → ');
}

function listed(documents: readonly number[]): string {
  if (documents.length <= LISTED_DOCUMENTS) return documents.join(', ');
  return `${documents.slice(0, LISTED_DOCUMENTS).join(', ')}, … (${documents.length})`;
}
