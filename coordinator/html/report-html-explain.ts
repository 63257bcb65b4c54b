import type { ExplainCapture, ExplainPlan, ExplainSection } from '../results/run-report-sections.ts';
import { escapeHtml, formatMs, formatNumber } from './format.ts';
import { table } from './tables.ts';

/**
 * report.html's EXPLAIN section (--explain): for the before and after captures, a table of the
 * operation's statements and the strategy's nested ones (time, buffers), and each text plan in a
 * collapsed block. Pure, from run.json `explain`.
 */
export function explainSection(explain: ExplainSection): string {
  const missing = Object.entries(explain.missing).map(([what, why]) => `<p class="note">${escapeHtml(what)}: ${escapeHtml(why)}</p>`);
  return `<details><summary>EXPLAIN (ANALYZE, BUFFERS) of one rolled-back ${escapeHtml(explain.operation)}, before and after the run</summary>
${missing.join('\n')}
${captureBlock('before the run', explain.before)}
${captureBlock('after the run', explain.after)}
</details>`;
}

function captureBlock(label: string, capture: ExplainCapture | undefined): string {
  if (!capture) return `<h3>${escapeHtml(label)}</h3><p class="note">not captured</p>`;
  const rows = [
    ...capture.plans.map((p) => planRow(p, false)),
    ...capture.nested.map((p) => planRow(p, true)),
  ];
  return `<h3>${escapeHtml(label)} (${escapeHtml(capture.takenAt)})</h3>
${table(['statement', 'calls', 'total time', 'planning', 'shared hit', 'read', 'dirtied', 'written'], rows)}
${[...capture.plans, ...capture.nested].map(planText).join('\n')}`;
}

function planRow(plan: ExplainPlan, nested: boolean): string[] {
  const b = plan.buffers;
  return [
    `${nested ? '↳ ' : ''}${plan.statement}`,
    formatNumber(plan.calls ?? 1, 0),
    formatMs(plan.totalTimeMs),
    plan.planningTimeMs === undefined ? '–' : formatMs(plan.planningTimeMs),
    formatNumber(b.sharedHit, 0),
    formatNumber(b.sharedRead, 0),
    formatNumber(b.sharedDirtied, 0),
    formatNumber(b.sharedWritten, 0),
  ];
}

function planText(plan: ExplainPlan): string {
  return `<details><summary>plan: ${escapeHtml(plan.statement)}</summary><pre>${escapeHtml(plan.text)}</pre></details>`;
}
