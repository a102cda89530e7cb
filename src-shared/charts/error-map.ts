import type { EChartsOption } from 'echarts';
import { fieldBitmap } from './colormap';
import { bitmapSeries, cellExtent, type ImageSourceFactory } from './bitmap-series';
import { colourBar, withColourBar } from './colour-bar';
import { chartTitle, physicsLabel } from './format';

/** Absolute or relative q̈ error over a grid, log-coloured bitmap (figures 13, 14, 16). */
export function errorMapOption(
  grid: { xValues: ArrayLike<number>; yValues: ArrayLike<number>; values: ArrayLike<number> },
  kind: 'absolute' | 'relative',
  imageSource: ImageSourceFactory,
  title?: string,
  axes: { x: string; y: string } = { x: 'q0', y: 'q1' },
): EChartsOption {
  const nx = grid.xValues.length,
    ny = grid.yValues.length;
  const bitmap = fieldBitmap(grid.values, nx, ny, { log: true });
  const extent = cellExtent(grid.xValues, grid.yValues);
  const label = kind === 'absolute' ? '|Δq̈|' : '|Δq̈| / |q̈|';
  const plotGrid = { left: 60, right: 118, top: 50, bottom: 50 };
  const bar = colourBar(bitmap, label, imageSource, { top: 50, bottom: 50, right: 58 });
  return withColourBar(
    {
      title: chartTitle(title),
      grid: plotGrid,
      xAxis: {
        type: 'value',
        name: physicsLabel(axes.x),
        nameLocation: 'middle',
        nameGap: 28,
        min: extent.x0,
        max: extent.x1,
      },
      yAxis: {
        type: 'value',
        name: physicsLabel(axes.y),
        nameLocation: 'middle',
        nameGap: 40,
        min: extent.y0,
        max: extent.y1,
      },
      series: [
        bitmapSeries(bitmap, extent, imageSource, `${kind} error`, {
          xName: axes.x,
          yName: axes.y,
          valueName: `${kind} error`,
          xValues: grid.xValues,
          yValues: grid.yValues,
          values: grid.values,
        }),
      ] as EChartsOption['series'],
      animation: false,
    },
    bar,
  );
}
