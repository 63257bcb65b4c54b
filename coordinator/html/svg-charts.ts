import { escapeHtml } from './format.ts';
import { seriesColour } from './palette.ts';

/**
 * Hand-drawn SVG charts for every page: line charts, stacked areas, bars and 100% stacked bars,
 * rendered to strings (no script, no network). Every chart is a <figure data-chart=… data-points=N>,
 * so a test — or a reader's tooling — can tell a drawn chart from an empty one.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
  /** The page's i-th series colour when absent. */
  readonly color?: string;
  readonly dashed?: boolean;
}

export interface Tick {
  readonly value: number;
  readonly label: string;
}

export interface Axis {
  readonly label: string;
  /** Fixed ticks; otherwise "nice" ticks over the data range (powers of two on a log2 axis). */
  readonly ticks?: readonly Tick[];
  readonly format?: (value: number) => string;
  readonly min?: number;
  readonly max?: number;
  /** A log2 axis spaces 1, 4, 16, 64 evenly (session counts). */
  readonly log2?: boolean;
}

export interface LineChartOptions {
  /** Draw every point as a visible dot: for a few points whose lines alone would hide them. */
  readonly markers?: boolean;
}

export interface Layer {
  readonly name: string;
  readonly color: string;
  /** One value per x, stacked in layer order. */
  readonly values: readonly number[];
}

export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly color: string;
}

export interface Segment {
  readonly name: string;
  readonly color: string;
  /** Share of the whole bar, 0..1. */
  readonly share: number;
}

export interface StackedBar {
  readonly label: string;
  readonly segments: readonly Segment[];
}

const WIDTH = 820;
const HEIGHT = 280;
const MARGIN = { left: 64, right: 30, top: 12, bottom: 42 } as const;
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Above this many points a series gets no per-point hover titles (keeps the file small). */
const MAX_TITLED_POINTS = 400;
/** Bar charts: a row per bar, labels to the left, the value printed after the bar. */
const BAR_ROW = 24;
const BAR_HEIGHT = 16;
const BAR_LABEL_W = 220;
const BAR_PLOT_W = WIDTH - BAR_LABEL_W - 110;

export function lineChart(id: string, title: string, series: readonly Series[], x: Axis, y: Axis, options: LineChartOptions = {}): string {
  const drawn = series.map((s, i) => ({ ...s, color: s.color ?? seriesColour(i) })).filter((s) => s.points.length > 0);
  const count = drawn.reduce((n, s) => n + s.points.length, 0);
  if (count === 0) return emptyFigure(id, title);
  const xs = drawn.flatMap((s) => s.points.map((p) => p.x));
  const ys = drawn.flatMap((s) => s.points.map((p) => p.y));
  const xScale = scale(x.min ?? Math.min(...xs), x.max ?? Math.max(...xs), 0, PLOT_W, x.log2);
  const yScale = scale(y.min ?? Math.min(0, ...ys), y.max ?? niceMax(Math.max(...ys)), PLOT_H, 0);
  const lines = drawn.map((s) => {
    const points = s.points.map((p) => `${fmt(xScale(p.x))},${fmt(yScale(p.y))}`).join(' ');
    const dots =
      options.markers || s.points.length <= MAX_TITLED_POINTS
        ? s.points
            .map(
              (p) =>
                `<circle cx="${fmt(xScale(p.x))}" cy="${fmt(yScale(p.y))}" r="${options.markers ? 3 : 2.5}" fill="${s.color}"${
                  options.markers ? '' : ' fill-opacity="0.001"'
                }><title>${escapeHtml(`${s.name}: ${(y.format ?? plain)(p.y)} at ${x.label} ${(x.format ?? plain)(p.x)}`)}</title></circle>`,
            )
            .join('')
        : '';
    return `<polyline class="series" data-series="${escapeHtml(s.name)}" points="${points}" fill="none" stroke="${s.color}" stroke-width="1.8"${
      s.dashed ? ' stroke-dasharray="5 3"' : ''
    }/>${dots}`;
  });
  return figure(id, title, count, WIDTH, HEIGHT, plotArea(frame(xScale, yScale, x, y) + lines.join('')), legend(drawn));
}

/** Layers stacked bottom-up at each x (e.g. lock-wait shares per interval). */
export function stackedAreaChart(id: string, title: string, xs: readonly number[], layers: readonly Layer[], x: Axis, y: Axis): string {
  if (xs.length === 0 || layers.length === 0) return emptyFigure(id, title);
  const xScale = scale(x.min ?? Math.min(...xs), x.max ?? Math.max(...xs, Math.min(...xs) + 1), 0, PLOT_W);
  const totals = xs.map((_, i) => layers.reduce((sum, l) => sum + (l.values[i] ?? 0), 0));
  const yScale = scale(y.min ?? 0, y.max ?? niceMax(Math.max(...totals)), PLOT_H, 0);
  const base = xs.map(() => 0);
  const areas = layers.map((layer) => {
    const lower = [...base];
    const upper = base.map((b, i) => b + (layer.values[i] ?? 0));
    upper.forEach((u, i) => (base[i] = u));
    const top = xs.map((xv, i) => `${i === 0 ? 'M' : 'L'}${fmt(xScale(xv))},${fmt(yScale(upper[i]))}`).join('');
    const bottom = xs
      .map((xv, i) => [xv, lower[i]] as const)
      .reverse()
      .map(([xv, lv]) => `L${fmt(xScale(xv))},${fmt(yScale(lv))}`)
      .join('');
    return `<path class="layer" data-series="${escapeHtml(layer.name)}" d="${top}${bottom}Z" fill="${layer.color}" fill-opacity="0.85" stroke="${layer.color}" stroke-width="0.5"><title>${escapeHtml(layer.name)}</title></path>`;
  });
  return figure(id, title, xs.length * layers.length, WIDTH, HEIGHT, plotArea(frame(xScale, yScale, x, y) + areas.join('')), legend(layers));
}

/** Horizontal bars from 0, one per run, each labelled and with its value printed at its end. */
export function barChart(id: string, title: string, bars: readonly Bar[], format: (value: number) => string): string {
  const valued = bars.filter((b) => b.value !== null && Number.isFinite(b.value)).length;
  if (valued === 0) return emptyFigure(id, title);
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const rows = bars.map((bar, i) => {
    const y = i * BAR_ROW;
    const width = bar.value === null || max === 0 ? 0 : (BAR_PLOT_W * Math.max(0, bar.value)) / max;
    const value = bar.value === null ? 'n/a' : format(bar.value);
    return (
      barLabel(bar.label, y) +
      `<rect class="bar" x="${BAR_LABEL_W}" y="${y + (BAR_ROW - BAR_HEIGHT) / 2}" width="${fmt(width)}" height="${BAR_HEIGHT}" fill="${bar.color}"><title>${escapeHtml(`${bar.label}: ${value}`)}</title></rect>` +
      `<text x="${fmt(BAR_LABEL_W + width + 5)}" y="${y + BAR_ROW / 2 + 4}" class="label">${escapeHtml(value)}</text>`
    );
  });
  return figure(id, title, valued, WIDTH, bars.length * BAR_ROW, rows.join(''), '');
}

/** Horizontal bars of shares, each filled to its segments' total (1 = the whole width). */
export function stackedBarChart(id: string, title: string, bars: readonly StackedBar[]): string {
  const count = bars.reduce((n, b) => n + b.segments.filter((s) => s.share > 0).length, 0);
  if (count === 0) return emptyFigure(id, title);
  const plotW = WIDTH - BAR_LABEL_W - 20;
  const rows = bars.map((bar, i) => {
    const y = i * BAR_ROW;
    let x = BAR_LABEL_W;
    const segments = bar.segments
      .filter((s) => s.share > 0)
      .map((s) => {
        const width = plotW * s.share;
        const rect = `<rect class="segment" data-series="${escapeHtml(s.name)}" x="${fmt(x)}" y="${y + (BAR_ROW - BAR_HEIGHT) / 2}" width="${fmt(width)}" height="${BAR_HEIGHT}" fill="${s.color}"><title>${escapeHtml(`${bar.label} ${s.name}: ${(100 * s.share).toFixed(1)}%`)}</title></rect>`;
        x += width;
        return rect;
      });
    return barLabel(bar.label, y) + segments.join('');
  });
  const named = new Map<string, string>();
  for (const bar of bars) for (const s of bar.segments) if (s.share > 0 && !named.has(s.name)) named.set(s.name, s.color);
  return figure(id, title, count, WIDTH, bars.length * BAR_ROW, rows.join(''), legend([...named].map(([name, color]) => ({ name, color }))));
}

function barLabel(label: string, y: number): string {
  return `<text x="${BAR_LABEL_W - 8}" y="${y + BAR_ROW / 2 + 4}" text-anchor="end" class="label">${escapeHtml(label)}</text>`;
}

interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly log2: boolean;
}

function scale(d0: number, d1: number, r0: number, r1: number, log2 = false): Scale {
  const at = log2 ? (v: number) => Math.log2(Math.max(v, Number.MIN_VALUE)) : (v: number) => v;
  const span = at(d1) - at(d0) || 1;
  const f = (value: number): number => r0 + ((at(value) - at(d0)) / span) * (r1 - r0);
  return Object.assign(f, { domain: [d0, d1 > d0 ? d1 : log2 ? d0 * 2 : d0 + 1] as const, log2 });
}

function frame(xScale: Scale, yScale: Scale, x: Axis, y: Axis): string {
  const xTicks =
    x.ticks ??
    (xScale.log2 ? powersOfTwo(xScale.domain[0], xScale.domain[1]) : niceTicks(xScale.domain[0], xScale.domain[1], 8)).map((v) => ({
      value: v,
      label: (x.format ?? plain)(v),
    }));
  const yTicks = y.ticks ?? niceTicks(yScale.domain[0], yScale.domain[1], 5).map((v) => ({ value: v, label: (y.format ?? plain)(v) }));
  const grid = yTicks
    .map(
      (t) =>
        `<line x1="0" x2="${PLOT_W}" y1="${fmt(yScale(t.value))}" y2="${fmt(yScale(t.value))}" class="grid"/><text x="-6" y="${fmt(
          yScale(t.value) + 4,
        )}" text-anchor="end">${escapeHtml(t.label)}</text>`,
    )
    .join('');
  const xAxis = xTicks
    .filter((t) => t.value >= xScale.domain[0] && t.value <= xScale.domain[1])
    .map(
      (t) =>
        `<line x1="${fmt(xScale(t.value))}" x2="${fmt(xScale(t.value))}" y1="${PLOT_H}" y2="${PLOT_H + 5}" class="axis"/><text x="${fmt(
          xScale(t.value),
        )}" y="${PLOT_H + 18}" text-anchor="middle">${escapeHtml(t.label)}</text>`,
    )
    .join('');
  return (
    grid +
    `<line x1="0" x2="${PLOT_W}" y1="${PLOT_H}" y2="${PLOT_H}" class="axis"/>` +
    xAxis +
    `<text x="${PLOT_W / 2}" y="${PLOT_H + 36}" text-anchor="middle" class="label">${escapeHtml(x.label)}</text>` +
    `<text transform="translate(-50,${PLOT_H / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeHtml(y.label)}</text>`
  );
}

function plotArea(body: string): string {
  return `<g transform="translate(${MARGIN.left},${MARGIN.top})">${body}</g>`;
}

function figure(id: string, title: string, points: number, width: number, height: number, body: string, legendHtml: string): string {
  return `<figure class="chart" id="chart-${id}" data-chart="${id}" data-points="${points}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(
    title,
  )}">${body}</svg>${legendHtml}</figure>`;
}

function emptyFigure(id: string, title: string): string {
  return `<figure class="chart empty" id="chart-${id}" data-chart="${id}" data-points="0"><figcaption>${escapeHtml(title)}</figcaption><p class="note">no data</p></figure>`;
}

function legend(items: readonly { readonly name: string; readonly color: string }[]): string {
  return `<div class="legend">${items
    .map((i) => `<span><i style="background:${i.color}"></i>${escapeHtml(i.name)}</span>`)
    .join('')}</div>`;
}

/** Round numbers covering [min, max]: steps of 1, 2 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** 1, 2, 4, 8 … within [min, max]. */
function powersOfTwo(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(Math.log2(Math.max(min, 1))); 2 ** k <= max; k++) ticks.push(2 ** k);
  return ticks;
}

/** The smallest 1/2/5 × 10^k at or above value (an axis top that reads well). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power);
}

function plain(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

function fmt(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

export interface HeatColumn {
  readonly name: string;
  readonly color: string;
}

/**
 * A grid of counts: one row per label, one column per named category, each cell its column's colour
 * with an opacity from its count against the largest cell, the count printed inside.
 */
export function heatMap(id: string, title: string, rows: readonly string[], columns: readonly HeatColumn[], values: readonly (readonly number[])[]): string {
  const max = Math.max(0, ...values.flat());
  if (rows.length === 0 || columns.length === 0 || max === 0) return emptyFigure(id, title);
  const labelW = 120;
  const headH = 110;
  const cellW = Math.min(90, (WIDTH - labelW) / columns.length);
  const cellH = 22;
  const head = columns
    .map((c, j) => `<text transform="translate(${fmt(labelW + (j + 0.5) * cellW)},${headH - 6}) rotate(-40)" class="label">${escapeHtml(c.name)}</text>`)
    .join('');
  const cells = rows.map((row, i) => {
    const y = headH + i * cellH;
    const label = `<text x="${labelW - 8}" y="${y + cellH / 2 + 4}" text-anchor="end" class="label">${escapeHtml(row)}</text>`;
    return (
      label +
      columns
        .map((c, j) => {
          const v = values[i]?.[j] ?? 0;
          const x = labelW + j * cellW;
          const opacity = v === 0 ? 0 : 0.12 + (0.88 * v) / max;
          return `<rect class="cell" x="${fmt(x)}" y="${y}" width="${fmt(cellW - 2)}" height="${cellH - 2}" fill="${c.color}" fill-opacity="${fmt(opacity)}" stroke="#e5e7e9"><title>${escapeHtml(`${row}, ${c.name}: ${v}`)}</title></rect>${
            v === 0 ? '' : `<text x="${fmt(x + cellW / 2 - 1)}" y="${y + cellH / 2 + 3}" text-anchor="middle" class="label">${v}</text>`
          }`;
        })
        .join('')
    );
  });
  const points = values.flat().filter((v) => v > 0).length;
  return figure(id, title, points, WIDTH, headH + rows.length * cellH, head + cells.join(''), '');
}
