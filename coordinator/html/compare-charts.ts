/**
 * Small inline SVG charts for compare.html and the sweep report: no scripts, no network, just
 * markup. Each function is pure and returns an <svg> element as a string.
 */

import { escapeHtml } from './format.ts';
import { OTHER, seriesColour, waitEventColours } from './palette.ts';

export interface Bar {
  readonly label: string;
  readonly value: number | null;
}

/** Horizontal bars, one per run, with the value printed at the end. */
export function barChart(title: string, bars: readonly Bar[], format: (v: number) => string): string {
  const rowHeight = 22;
  const labelWidth = 180;
  const plotWidth = 360;
  const height = 28 + bars.length * rowHeight;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const parts = [`<text x="0" y="14" class="title">${escapeHtml(title)}</text>`];
  bars.forEach((bar, i) => {
    const y = 24 + i * rowHeight;
    const width = bar.value === null || max === 0 ? 0 : (plotWidth * bar.value) / max;
    parts.push(`<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(bar.label)}</text>`);
    parts.push(`<rect class="bar" x="${labelWidth}" y="${y + 2}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${seriesColour(i)}"/>`);
    const text = bar.value === null ? 'n/a' : format(bar.value);
    parts.push(`<text x="${(labelWidth + width + 4).toFixed(1)}" y="${y + 14}">${escapeHtml(text)}</text>`);
  });
  return svg(labelWidth + plotWidth + 90, height, parts);
}

export interface StackedBar {
  readonly label: string;
  /** category → share in [0, 1]. */
  readonly shares: Readonly<Record<string, number>>;
}

/** 100% stacked horizontal bars (lock-wait profiles), with a legend of the categories. */
export function stackedShareChart(title: string, bars: readonly StackedBar[], categories: readonly string[]): string {
  const rowHeight = 22;
  const labelWidth = 180;
  const plotWidth = 360;
  const legendRows = Math.ceil(categories.length / 3);
  const height = 28 + bars.length * rowHeight + 8 + legendRows * 18;
  const color = waitEventColours(categories);
  const parts = [`<text x="0" y="14" class="title">${escapeHtml(title)}</text>`];
  bars.forEach((bar, i) => {
    const y = 24 + i * rowHeight;
    parts.push(`<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(bar.label)}</text>`);
    let x = labelWidth;
    let listed = 0;
    const segments = [...categories.map((c) => [c, bar.shares[c] ?? 0] as const)];
    for (const [, share] of segments) listed += share;
    const total = Object.values(bar.shares).reduce((a, b) => a + b, 0);
    if (total - listed > 1e-9) segments.push([OTHER, total - listed]);
    for (const [category, share] of segments) {
      if (share <= 0) continue;
      const width = plotWidth * share;
      parts.push(
        `<rect class="segment" x="${x.toFixed(1)}" y="${y + 2}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${color(category)}"><title>${escapeHtml(category)}: ${(100 * share).toFixed(1)}%</title></rect>`,
      );
      x += width;
    }
  });
  const legendY = 24 + bars.length * rowHeight + 8;
  [...categories, OTHER].forEach((category, i) => {
    const x = (i % 3) * 200;
    const y = legendY + Math.floor(i / 3) * 18;
    parts.push(`<rect x="${x}" y="${y}" width="10" height="10" fill="${color(category)}"/>`);
    parts.push(`<text x="${x + 14}" y="${y + 9}">${escapeHtml(category)}</text>`);
  });
  return svg(Math.max(labelWidth + plotWidth + 20, 600), height + 18, parts);
}

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** A line chart with a log2 x axis (sessions 1, 4, 16, 64 …) and a linear y axis from 0. */
export function lineChart(title: string, series: readonly Series[], xLabel: string, yFormat: (v: number) => string): string {
  const width = 560;
  const height = 280;
  const left = 70;
  const right = 130;
  const top = 26;
  const bottom = 40;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const maxY = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y)));
  const lx = (x: number): number => Math.log2(Math.max(x, 1));
  const minX = xs.length > 0 ? lx(xs[0]) : 0;
  const maxX = xs.length > 0 ? lx(xs[xs.length - 1]) : 1;
  const px = (x: number): number => left + (maxX === minX ? 0.5 : (lx(x) - minX) / (maxX - minX)) * (width - left - right);
  const py = (y: number): number => top + (1 - (maxY === 0 ? 0 : y / maxY)) * (height - top - bottom);
  const parts = [`<text x="0" y="14" class="title">${escapeHtml(title)}</text>`];
  parts.push(`<line class="axis" x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}"/>`);
  parts.push(`<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}"/>`);
  for (const x of xs) {
    parts.push(`<text x="${px(x).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${x}</text>`);
  }
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>`);
  for (const fraction of [0, 0.5, 1]) {
    const y = maxY * fraction;
    parts.push(`<text x="${left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(yFormat(y))}</text>`);
  }
  series.forEach((s, i) => {
    const color = seriesColour(i);
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const path = points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" fill="none" stroke="${color}" stroke-width="2" points="${path}"/>`);
    for (const p of points) {
      parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${color}"><title>${escapeHtml(`${s.name} ${p.x}: ${yFormat(p.y)}`)}</title></circle>`);
    }
    parts.push(`<text x="${width - right + 10}" y="${top + 14 + i * 16}" fill="${color}">${escapeHtml(s.name)}</text>`);
  });
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: readonly string[]): string {
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
