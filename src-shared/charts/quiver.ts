import type { EChartsOption } from 'echarts';
import { DEFAULT_COLOUR_MAP, type ColourMapName } from './colormap';
import { dotsSeries } from './dots-series';
import { ARROWS_SHAPE, arrowPoints } from './shapes';
import { colourBar, withColourBar } from './colour-bar';
import { chartTitle, offsetLabels, physicsLabel, PUBLICATION_TEXT } from './format';

export interface QuiverField {
  readonly label: string;
  /** Sample positions (the two plotted coordinates). */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** q̈ components along x and y. */
  readonly ax: ArrayLike<number>;
  readonly ay: ArrayLike<number>;
  readonly color?: string;
}

export interface QuiverOptions {
  readonly title?: string;
  readonly xName?: string;
  readonly yName?: string;
  /** Arrow length in pixels (arrows show q̈/|q̈|, the report's unit vectors). */
  readonly arrowPixels?: number;
  /** Draw at most this many arrows per field (a random subset keeps the picture readable). */
  readonly maxArrows?: number;
  /** Shade the excluded band |x − y| < epsilon. */
  readonly excludedBand?: number;
  readonly extent?: { x0: number; x1: number; y0: number; y1: number };
  /** Colour the first field's points by |q̈| (the report's scatter). */
  readonly scatterMagnitude?: boolean;
  /** The |q̈| scatter's colour map (viridis when absent). */
  readonly colourMap?: ColourMapName;
}

/** Axis ticks at 6 significant digits (window edges like −r/2 ± w/2 otherwise print 16). */
const tick = (v: number) => String(Number(v.toPrecision(6)));

/** An axis's name and labels: by offset when the window is narrow (the report's fig. 24). */
function offsetAxis(name: string, fields: readonly QuiverField[], axis: 'x' | 'y') {
  const values = fields.flatMap((f) => Array.from(f[axis]));
  return offsetLabels(name, values) ?? { name, axisLabel: { formatter: tick } };
}

/**
 * Unit vectors q̈/|q̈| over (q0, q1) as arrows, with a scatter coloured by |q̈| (the report's
 * figures 1, 9, 11, 15).
 */
export function quiverOption(
  fields: readonly QuiverField[],
  options: QuiverOptions = {},
): EChartsOption {
  const colourMap = options.colourMap ?? DEFAULT_COLOUR_MAP;
  const palette = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c'];
  const first = fields[0];
  const magnitudes =
    first && (options.scatterMagnitude ?? true) ? magnitudeDots(first, colourMap) : undefined;
  const e = options.extent;
  const band = options.excludedBand && e ? bandSeries(options.excludedBand, e) : null;
  const series: unknown[] = [
    ...(magnitudes ? [magnitudes.series] : []),
    ...fields.map((f, k) =>
      arrowSeries(f, f.color ?? palette[k % palette.length]!, 3 + k, options),
    ),
    ...(band ? [band] : []),
  ];
  const option = {
    title: chartTitle(options.title),
    legend: { top: 30, textStyle: PUBLICATION_TEXT },
    grid: { left: 60, right: magnitudes?.range ? 132 : 30, top: 72, bottom: 50 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'value',
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...offsetAxis(physicsLabel(options.xName ?? 'q0'), fields, 'x'),
      ...(e ? { min: e.x0, max: e.x1 } : {}),
    },
    yAxis: {
      type: 'value',
      nameLocation: 'middle',
      nameGap: 45,
      scale: true,
      ...offsetAxis(physicsLabel(options.yName ?? 'q1'), fields, 'y'),
      ...(e ? { min: e.y0, max: e.y1 } : {}),
    },
    series: series as EChartsOption['series'],
    animation: false,
  };
  if (!magnitudes?.range) return option as EChartsOption;
  const bar = colourBar({ ...magnitudes.range, log: true, colourMap }, '|q̈|', {
    top: 72,
    bottom: 50,
    right: 72,
  });
  return withColourBar(option, bar) as EChartsOption;
}

/**
 * The |q̈| dots of a field, coloured on a log scale. Robust colour limits (issue 30.6): zeros
 * (|q̈| = 0 at an equilibrium, or a zero field) and the lowest 0.5 % of the positive magnitudes
 * do not set the scale, or one point at 10⁻³⁰⁰ would stretch it over 300 decades; such points
 * take the lowest colour. `range` is undefined when no magnitude is positive.
 */
function magnitudeDots(f: QuiverField, colourMap: ColourMapName) {
  const mags = Array.from({ length: f.x.length }, (_, i) => Math.hypot(f.ax[i]!, f.ay[i]!));
  const logs = mags
    .filter((m) => m > 0 && Number.isFinite(m))
    .map(Math.log10)
    .sort((a, b) => a - b);
  const range = logs.length
    ? { min: logs[Math.floor(0.005 * (logs.length - 1))]!, max: logs.at(-1)! }
    : undefined;
  const floor = range?.min ?? 0;
  const data = Array.from({ length: f.x.length }, (_, i) => [
    f.x[i]!,
    f.y[i]!,
    mags[i]! > 0 ? Math.max(Math.log10(mags[i]!), floor) : floor,
  ]).filter((d) => Number.isFinite(d[2]));
  const top = range && range.max > range.min ? range.max : floor + 1;
  return {
    range,
    series: dotsSeries(`|q̈| (${f.label})`, data, { min: floor, max: top, colourMap }),
  };
}

/** A field's unit vectors q̈/|q̈| (at most maxArrows, evenly strided) as one arrows element. */
function arrowSeries(f: QuiverField, color: string, z: number, options: QuiverOptions) {
  const len = options.arrowPixels ?? 10;
  const n = f.x.length;
  const step = Math.max(1, Math.ceil(n / (options.maxArrows ?? 1500)));
  const data: number[][] = [];
  for (let i = 0; i < n; i += step) {
    const m = Math.hypot(f.ax[i]!, f.ay[i]!);
    if (!(m > 0) || !Number.isFinite(m)) continue;
    data.push([f.x[i]!, f.y[i]!, f.ax[i]! / m, f.ay[i]! / m]);
  }
  return {
    type: 'custom',
    name: f.label,
    data,
    clip: true, // arrows at the edge stay inside the plot
    z,
    progressive: 0,
    itemStyle: { color },
    // All arrows as one element, drawn with the series' first item: thousands of arrows as
    // groups of two elements each cost ECharts seconds on the main thread (issue 30.11).
    silent: true,
    renderItem: (params: { dataIndex: number }, api: { coord: (p: number[]) => number[] }) =>
      params.dataIndex === 0
        ? {
            type: ARROWS_SHAPE,
            shape: { points: arrowPoints(data, (p) => api.coord(p), len) },
            style: { stroke: color, fill: 'none', lineWidth: 1 },
          }
        : null,
  };
}

/**
 * The band |q₀ − q₁| < w clipped to the plot, or null: a window the band misses draws no band
 * (resvg aborted the process on a polygon wholly clipped away, issue 30.1).
 */
function bandSeries(w: number, e: NonNullable<QuiverOptions['extent']>) {
  const band = clipToRectangle(
    [
      [e.x0, e.x0 - w],
      [e.x1, e.x1 - w],
      [e.x1, e.x1 + w],
      [e.x0, e.x0 + w],
    ],
    e,
  );
  if (band.length < 3) return null;
  return {
    type: 'custom',
    name: `excluded |q₀ − q₁| < ${w}`,
    silent: true,
    clip: true,
    itemStyle: { color: 'rgba(120,120,120,0.45)' }, // the legend's swatch
    z: 0,
    data: [[0]],
    renderItem: (_p: unknown, api: { coord: (p: number[]) => number[] }) => ({
      type: 'polygon',
      shape: { points: band.map((p) => api.coord(p)) },
      style: { fill: 'rgba(120,120,120,0.18)' },
    }),
  };
}

/**
 * A convex polygon clipped to the rectangle x0…x1 × y0…y1 (Sutherland–Hodgman, one edge of the
 * rectangle at a time); fewer than three points when nothing of it lies inside.
 */
export function clipToRectangle(
  polygon: ReadonlyArray<readonly [number, number]>,
  r: { x0: number; x1: number; y0: number; y1: number },
): Array<[number, number]> {
  type P = [number, number];
  // each edge: inside(p) and the crossing of segment a→b with the edge's line
  const edges: Array<{ inside: (p: P) => boolean; cross: (a: P, b: P) => P }> = [
    { inside: (p) => p[0] >= r.x0, cross: (a, b) => atX(a, b, r.x0) },
    { inside: (p) => p[0] <= r.x1, cross: (a, b) => atX(a, b, r.x1) },
    { inside: (p) => p[1] >= r.y0, cross: (a, b) => atY(a, b, r.y0) },
    { inside: (p) => p[1] <= r.y1, cross: (a, b) => atY(a, b, r.y1) },
  ];
  let out: P[] = polygon.map((p) => [p[0], p[1]]);
  for (const edge of edges) {
    const input = out;
    out = [];
    input.forEach((b, i) => {
      const a = input[(i + input.length - 1) % input.length]!;
      if (edge.inside(b)) {
        if (!edge.inside(a)) out.push(edge.cross(a, b));
        out.push(b);
      } else if (edge.inside(a)) out.push(edge.cross(a, b));
    });
    if (out.length === 0) break;
  }
  return out;
}

/** The point of segment a→b at x (a and b on opposite sides). */
const atX = (a: [number, number], b: [number, number], x: number): [number, number] => [
  x,
  a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]),
];
const atY = (a: [number, number], b: [number, number], y: number): [number, number] => [
  a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]),
  y,
];
