/** The text of load's progress lines (pure, so the wording is tested without a database). */

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** "load: copy 45% 9.1M of 20.2M rows, 812k rows/s, ETA 14.0 s" */
export function copyProgressText(doneRows: number, totalRows: number, elapsedMs: number): string {
  const percent = totalRows === 0 ? 100 : Math.floor((100 * doneRows) / totalRows);
  const rate = elapsedMs > 0 ? (1000 * doneRows) / elapsedMs : 0;
  const eta = rate > 0 ? formatSeconds((1000 * (totalRows - doneRows)) / rate) : '?';
  return `load: copy ${percent}% ${formatCount(doneRows)} of ${formatCount(totalRows)} rows, ${formatCount(rate)} rows/s, ETA ${eta}`;
}

/** "load: indexes 12 of 40 (IX_Reference_ParentDocumentId_03), 31.2 s" */
export function stepProgressText(phase: string, done: number, total: number, last: string, elapsedMs: number): string {
  return `load: ${phase} ${done} of ${total}${last ? ` (${last})` : ''}, ${formatSeconds(elapsedMs)}`;
}

/** "copy: 21.1M rows in 25.3 s (834k rows/s)" */
export function copyDoneText(rows: number, ms: number): string {
  return `copy: ${formatCount(rows)} rows in ${formatSeconds(ms)} (${formatCount(ms > 0 ? (1000 * rows) / ms : rows)} rows/s)`;
}
