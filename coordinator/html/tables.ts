import { escapeHtml } from './format.ts';

/** HTML tables for report.html. Cells are text (escaped here); numbers are right-aligned. Pure. */

export type Cell = string | number | null | undefined;

export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], className = 'data'): string {
  if (rows.length === 0) return '<p class="note">none</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Two columns, key: value, in pgbench's spirit. */
export function keyValueTable(rows: readonly (readonly [string, Cell])[]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`).join('')}</tbody></table>`;
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '<td class="num">–</td>';
  if (typeof value === 'number') return `<td class="num">${escapeHtml(String(value))}</td>`;
  return /^[-+]?[\d,.]+(\s?[%a-zA-Z/]+)?$/.test(value) ? `<td class="num">${escapeHtml(value)}</td>` : `<td>${escapeHtml(value)}</td>`;
}
