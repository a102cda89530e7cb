// A colour bar with numbers: a narrow second grid beside the plot whose axis carries ticks and
// the quantity's name, and whose gradient is drawn with the field's own colour map. (ECharts'
// visualMap shows only its two end labels, and none once `text` is set.)
import { colourStops, DEFAULT_COLOUR_MAP, type ColourMapName } from './colormap';
import { decadeLabel, scientific } from './format';

export interface ColourBarRange {
  /** The colour scale's ends, in the bitmap's units (log₁₀ of the value when `log`). */
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  /** The field's colour map (viridis when absent). */
  readonly colourMap?: ColourMapName;
}

/** Where the bar stands: the main grid's top and bottom, and its right edge in pixels. */
export interface ColourBarLayout {
  readonly top: number;
  readonly bottom: number;
  readonly right: number;
  readonly width?: number;
  readonly fontSize?: number;
}

/** The colour bar's series id: not data (CSV exports and series counts leave it out). */
export const COLOUR_BAR_ID = 'colour-bar';

/** Ticks of a log bar: whole decades, every one up to 6, then every 2nd, 5th, … */
export function decadeStep(span: number): number {
  const steps = [1, 2, 5, 10, 20, 50, 100];
  return steps.find((s) => span / s <= 6) ?? 100;
}

/** Whole decades inside [min, max] (log₁₀ units), every 1st, 2nd, 5th … so at most 6. */
export function decadeTicks(min: number, max: number): number[] {
  const step = decadeStep(max - min);
  const out: number[] = [];
  for (let n = Math.ceil(min / step) * step; n <= max + 1e-9; n += step) out.push(n);
  return out;
}

/** About `count` round values (1, 2 or 5 × 10ᵏ apart) inside [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  const raw = (max - min) / count;
  if (!(raw > 0) || !Number.isFinite(raw)) return [min];
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** The grid, axes and gradient series of a colour bar, to append to a chart's own. */
export function colourBar(range: ColourBarRange, label: string, layout: ColourBarLayout) {
  const { min, max, log } = range;
  const span = max > min ? max - min : 1;
  const wholeDecades = log && span >= 1;
  // log: ticks at whole decades (10ⁿ); a narrower log range or a linear one: nice values.
  const ticks = wholeDecades ? decadeTicks(min, max) : niceTicks(min, min + span, 5);
  const axisLabel = {
    fontSize: layout.fontSize ?? 12,
    customValues: ticks,
    formatter: (v: number) =>
      wholeDecades ? decadeLabel(Math.round(v)) : log ? scientific(10 ** v) : scientific(v),
  };
  return {
    grid: {
      right: layout.right,
      width: layout.width ?? 12,
      top: layout.top,
      bottom: layout.bottom,
    },
    xAxis: { type: 'value' as const, min: 0, max: 1, show: false },
    yAxis: {
      type: 'value' as const,
      min,
      max: min + span,
      position: 'right' as const,
      name: label,
      nameLocation: 'middle' as const,
      nameRotate: 90,
      nameGap: (layout.fontSize ?? 12) * 3.6,
      nameTextStyle: { fontSize: layout.fontSize ?? 12 },
      axisLine: { show: true },
      axisTick: { show: true, length: 3, customValues: ticks },
      splitLine: { show: false },
      axisLabel,
    },
    series: gradientSeries(min, min + span, label, range.colourMap ?? DEFAULT_COLOUR_MAP),
  };
}

/**
 * A chart option with a colour bar: its single grid and axes become the first of two, the bar's
 * series is added last (the main series keep axis index 0).
 */
export function withColourBar<T extends Record<string, unknown>>(
  option: T,
  bar: ReturnType<typeof colourBar>,
): T {
  const series = (option.series as Array<{ name?: string }>) ?? [];
  const legend = option.legend as { data?: unknown } | undefined;
  return {
    ...option,
    // The bar is not a data series: the legend lists the others only.
    ...(legend && !legend.data
      ? { legend: { ...legend, data: series.map((s) => s.name).filter(Boolean) } }
      : {}),
    grid: [option.grid, bar.grid],
    xAxis: [option.xAxis, { ...bar.xAxis, gridIndex: 1 }],
    yAxis: [option.yAxis, { ...bar.yAxis, gridIndex: 1 }],
    series: [...series, { ...bar.series, id: COLOUR_BAR_ID, xAxisIndex: 1, yAxisIndex: 1 }],
  };
}

/**
 * The bar itself: one rectangle over [0, 1] × [min, max] filled with the colour map as a linear
 * gradient (vector in SVG and PDF, the same stops as the field's bitmap).
 */
function gradientSeries(min: number, max: number, name: string, colourMap: ColourMapName) {
  const stops = colourStops(colourMap);
  const last = stops.length - 1;
  return {
    type: 'custom' as const,
    name,
    silent: true,
    data: [[0, min, 1, max]],
    renderItem: (_params: unknown, api: { coord: (p: number[]) => number[] }) => {
      const [x0, y1] = api.coord([0, max]) as [number, number];
      const [x1, y0] = api.coord([1, min]) as [number, number];
      return {
        type: 'rect',
        shape: { x: x0, y: y1, width: x1 - x0, height: y0 - y1 },
        style: {
          fill: {
            type: 'linear',
            x: 0,
            y: 1,
            x2: 0,
            y2: 0,
            colorStops: stops.map((color, k) => ({ offset: k / last, color })),
          },
        },
        silent: true,
      };
    },
  };
}
