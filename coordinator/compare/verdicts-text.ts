import type { CompareJson, MetricVerdict } from './compare-json.ts';

/**
 * The verdicts as terminal lines, one table per compared group:
 * `p99   40.1 → 44.3 ms   +10.5% [+2.1%, +18.8%]   worse`. Pure: lays out compare.json.
 */

export function renderVerdictsText(verdicts: CompareJson): string {
  if (verdicts.comparisons.length === 0) return '';
  const out: string[] = ['verdicts (95% confidence intervals of the difference):'];
  for (const comparison of verdicts.comparisons) {
    const group = verdicts.groups.find((g) => g.name === comparison.group);
    const baseline = verdicts.groups.find((g) => g.name === comparison.baselineGroup);
    out.push(
      `  ${comparison.group} (${group?.runs.length ?? 0} runs) vs ${comparison.baselineGroup} (${baseline?.runs.length ?? 0} runs), ${comparison.method}:`,
    );
    const rows = comparison.metrics.map((m) => [m.metric, `${number(m.baseline)} → ${number(m.value)}${unit(m.metric)}`, change(m), m.verdict]);
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    for (const row of rows) out.push(`    ${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`);
  }
  return out.join('\n') + '\n';
}

/** "+10.5% [+2.1%, +18.8%]" relative to the baseline, or absolute points when the baseline is 0 or a share. */
export function change(m: MetricVerdict): string {
  const relative = m.baseline !== 0 && !isShare(m.metric);
  const show = (v: number): string => (relative ? signed((100 * v) / Math.abs(m.baseline)) + '%' : signed(v) + (isShare(m.metric) ? ' pt' : ''));
  return `${show(m.difference)} [${show(m.ci95[0])}, ${show(m.ci95[1])}]`;
}

function isShare(metric: string): boolean {
  return metric === 'errors' || metric.startsWith('lock-wait ');
}

function unit(metric: string): string {
  if (metric === 'p50' || metric === 'p99') return ' ms';
  if (isShare(metric)) return '%';
  return '';
}

function signed(v: number): string {
  const text = number(v);
  return v > 0 ? `+${text}` : text;
}

function number(v: number): string {
  const abs = Math.abs(v);
  return Number(v.toFixed(abs >= 100 ? 1 : abs >= 1 ? 2 : 3)).toString();
}
