import type { EChartsOption } from 'echarts';
import { fieldBitmap, type ColourMapName } from './colormap';
import { bitmapSeries, cellExtent, mapAxes, type ImageSourceFactory } from './bitmap-series';
import { colourBar, withColourBar } from './colour-bar';
import { chartTitle } from './format';
import { maskBitmapRgba, maskedGrid, maskLabel, type WindowMask } from './window-mask';

/** Absolute or relative q̈ error over a grid, log-coloured bitmap (figures 13, 14, 16). */
export function errorMapOption(
  grid: {
    xValues: ArrayLike<number>;
    yValues: ArrayLike<number>;
    values: ArrayLike<number>;
    colourMap?: ColourMapName;
  },
  kind: 'absolute' | 'relative',
  imageSource: ImageSourceFactory,
  title?: string,
  axes: { x: string; y: string } = { x: 'q0', y: 'q1' },
  mask?: WindowMask,
): EChartsOption {
  const nx = grid.xValues.length,
    ny = grid.yValues.length;
  // Cells the model was never trained on are not its errors: masked (and coloured apart).
  const values = mask ? maskedGrid(grid.values, grid.xValues, grid.yValues, mask) : grid.values;
  const bitmap = fieldBitmap(values, nx, ny, { log: true, colourMap: grid.colourMap });
  const extent = cellExtent(grid.xValues, grid.yValues);
  const label = kind === 'absolute' ? '|Δq̈|' : '|Δq̈| / |q̈|';
  const plotGrid = { left: 60, right: 132, top: 50, bottom: 50 };
  const bar = colourBar(bitmap, label, { top: 50, bottom: 50, right: 72 });
  const overlay = mask
    ? [
        {
          ...bitmapSeries(
            {
              width: nx,
              height: ny,
              rgba: maskBitmapRgba(grid.xValues, grid.yValues, mask),
              min: 0,
              max: 1,
              log: false,
              colourMap: 'viridis',
            },
            extent,
            imageSource,
            maskLabel(mask),
          ),
          itemStyle: { color: '#a0a0a0' },
          z: 2,
        },
      ]
    : [];
  return withColourBar(
    {
      title: chartTitle(title),
      ...(mask
        ? {
            legend: {
              top: 24,
              data: [{ name: maskLabel(mask), icon: 'rect', itemStyle: { color: '#a0a0a0' } }],
            },
          }
        : {}),
      grid: mask ? { ...plotGrid, top: 72 } : plotGrid,
      ...mapAxes(extent, axes.x, axes.y),
      series: [
        bitmapSeries(bitmap, extent, imageSource, `${kind} error`, {
          xName: axes.x,
          yName: axes.y,
          valueName: `${kind} error`,
          xValues: grid.xValues,
          yValues: grid.yValues,
          values: grid.values,
        }),
        ...overlay,
      ] as EChartsOption['series'],
      animation: false,
    },
    bar,
  );
}
