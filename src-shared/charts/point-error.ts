import type { EChartsOption } from 'echarts';
import { colourStops, DEFAULT_COLOUR_MAP, type ColourMapName } from './colormap';
import { colourBar, withColourBar } from './colour-bar';
import { chartTitle, physicsLabel } from './format';

export interface PointErrors {
  /** The points' coordinates (the plotted plane). */
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** |q̈_fit − q̈_measured| (absolute) or that over |q̈_measured| (relative), per point. */
  readonly error: readonly number[];
}

/**
 * The fit's q̈ error at each imported point, log-coloured: the error map of measured data, which
 * has no grid (the points are where they were measured). Points with a zero or non-finite error
 * are left out of the colour range and drawn grey.
 */
export function pointErrorOption(
  points: PointErrors,
  options: {
    kind: 'absolute' | 'relative';
    title?: string;
    colourMap?: ColourMapName;
    xName?: string;
    yName?: string;
  },
): EChartsOption {
  const colourMap = options.colourMap ?? DEFAULT_COLOUR_MAP;
  const coloured: [number, number, number][] = [];
  const grey: [number, number][] = [];
  points.error.forEach((e, i) => {
    if (e > 0 && Number.isFinite(e)) coloured.push([points.x[i]!, points.y[i]!, Math.log10(e)]);
    else grey.push([points.x[i]!, points.y[i]!]);
  });
  const logs = coloured.map((p) => p[2]);
  const min = logs.length ? logs.reduce((a, b) => Math.min(a, b)) : 0;
  const max = logs.length ? logs.reduce((a, b) => Math.max(a, b)) : 1;
  const label = options.kind === 'absolute' ? '|Δq̈|' : '|Δq̈| / |q̈|';
  const option = {
    title: chartTitle(options.title),
    grid: { left: 60, right: 132, top: 50, bottom: 50 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'value',
      scale: true,
      name: physicsLabel(options.xName ?? 'q0'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: physicsLabel(options.yName ?? 'q1'),
      nameLocation: 'middle',
      nameGap: 45,
    },
    visualMap: {
      type: 'continuous',
      show: false,
      seriesIndex: 0,
      dimension: 2,
      inRange: { color: colourStops(colourMap) },
      min,
      max: max > min ? max : min + 1,
    },
    series: [
      {
        type: 'scatter',
        name: `${label} at the imported points`,
        symbolSize: 4,
        data: coloured,
        progressive: 0,
      },
      ...(grey.length
        ? [
            {
              type: 'scatter',
              name: 'exact or undefined',
              symbolSize: 3,
              data: grey,
              color: '#999',
            },
          ]
        : []),
    ],
    animation: false,
  };
  const bar = colourBar({ min, max, log: true, colourMap }, label, {
    top: 50,
    bottom: 50,
    right: 72,
  });
  return withColourBar(option, bar) as EChartsOption;
}
