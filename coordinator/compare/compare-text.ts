import type { CompareCell, Comparison } from './compare.ts';

/**
 * The comparison as a terminal table: a column per run, a line per measure grouped under headings,
 * differences against the first run in parentheses. Pure: returns the text.
 */

export function renderCompareText(comparison: Comparison): string {
  const labelWidth = Math.max(8, ...comparison.rows.map((r) => r.label.length + 2));
  const headers = comparison.runs.map((run, i) => `[${i + 1}] ${run.name}`);
  const columns = comparison.runs.map((_, i) =>
    Math.max(headers[i].length, ...comparison.rows.map((row) => cellText(row.cells[i]).length)),
  );
  const line = (label: string, cells: readonly string[], alignRight: boolean): string =>
    (label.padEnd(labelWidth) + cells.map((c, i) => '  ' + (alignRight ? c.padStart(columns[i]) : c.padEnd(columns[i]))).join(''))
      .trimEnd();

  const out: string[] = [];
  comparison.runs.forEach((run, i) => out.push(`[${i + 1}] ${run.label} (${run.runId})`));
  out.push('');
  out.push(line('', headers, false));
  let group = '';
  for (const row of comparison.rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`${group}:`);
    }
    out.push(line(`  ${row.label}`, row.cells.map(cellText), row.numeric));
  }
  if (comparison.runs.length > 1) out.push('', 'differences in parentheses are against [1]');
  for (const warning of comparison.environmentWarnings ?? []) out.push(`warning: environments differ: ${warning}`);
  return out.join('\n') + '\n';
}

function cellText(cell: CompareCell | undefined): string {
  if (!cell) return '';
  return cell.diff === undefined ? cell.text : `${cell.text} (${cell.diff})`;
}
