import { escapeHtml } from './format.ts';

/**
 * Hand-drawn SVG charts for report.html: line charts and stacked area charts, rendered to strings
 * (no script, no network). Every chart is a <figure data-chart=… data-points=N>, so a test — or a
 * reader's tooling — can tell a drawn chart from an empty one.
 */

export type Point = readonly [x: number, y: number];

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly Point[];
  readonly dashed?: boolean;
}

export interface Tick {
  readonly value: number;
  readonly label: string;
}

export interface Axis {
  readonly label: string;
  /** Fixed ticks; otherwise "nice" ticks over the data range. */
  readonly ticks?: readonly Tick[];
  readonly format?: (value: number) => string;
  readonly min?: number;
  readonly max?: number;
}

export interface Layer {
  readonly name: string;
  readonly color: string;
  /** One value per x, stacked in layer order. */
  readonly values: readonly number[];
}

const WIDTH = 820;
const HEIGHT = 280;
const MARGIN = { left: 64, right: 30, top: 12, bottom: 42 } as const;
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Above this many points a series gets no per-point hover titles (keeps the file small). */
const MAX_TITLED_POINTS = 400;

export function lineChart(id: string, title: string, series: readonly Series[], x: Axis, y: Axis): string {
  const drawn = series.filter((s) => s.points.length > 0);
  const count = drawn.reduce((n, s) => n + s.points.length, 0);
  if (count === 0) return emptyFigure(id, title);
  const xs = drawn.flatMap((s) => s.points.map((p) => p[0]));
  const ys = drawn.flatMap((s) => s.points.map((p) => p[1]));
  const xScale = scale(x.min ?? Math.min(...xs), x.max ?? Math.max(...xs), 0, PLOT_W);
  const yScale = scale(y.min ?? Math.min(0, ...ys), y.max ?? niceMax(Math.max(...ys)), PLOT_H, 0);
  const paths = drawn.map((s) => {
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(xScale(p[0]))},${fmt(yScale(p[1]))}`).join('');
    const dots =
      s.points.length <= MAX_TITLED_POINTS
        ? s.points
            .map(
              (p) =>
                `<circle cx="${fmt(xScale(p[0]))}" cy="${fmt(yScale(p[1]))}" r="2.5" fill="${s.color}" fill-opacity="0.001"><title>${escapeHtml(
                  `${s.name}: ${(y.format ?? plain)(p[1])} at ${x.label} ${(x.format ?? plain)(p[0])}`,
                )}</title></circle>`,
            )
            .join('')
        : '';
    return `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${
      s.dashed ? ' stroke-dasharray="5 3"' : ''
    }/>${dots}`;
  });
  return figure(id, title, count, frame(xScale, yScale, x, y) + paths.join(''), legend(drawn));
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
  return figure(id, title, xs.length * layers.length, frame(xScale, yScale, x, y) + areas.join(''), legend(layers));
}

interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

function scale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  const f = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as Scale & { domain: readonly [number, number] };
  f.domain = [d0, d0 + span];
  return f;
}

function frame(xScale: Scale, yScale: Scale, x: Axis, y: Axis): string {
  const xTicks = x.ticks ?? niceTicks(xScale.domain[0], xScale.domain[1], 8).map((v) => ({ value: v, label: (x.format ?? plain)(v) }));
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

function figure(id: string, title: string, points: number, body: string, legendHtml: string): string {
  return `<figure class="chart" id="chart-${id}" data-chart="${id}" data-points="${points}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(
    title,
  )}"><g transform="translate(${MARGIN.left},${MARGIN.top})">${body}</g></svg>${legendHtml}</figure>`;
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
