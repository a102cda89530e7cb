import type { EChartsOption } from 'echarts';
import { fieldBitmap, type ColourMapName } from './colormap';
import { bitmapSeries, cellExtent, mapAxes, type ImageSourceFactory } from './bitmap-series';
import { colourBar, withColourBar } from './colour-bar';
import { chartTitle, PUBLICATION_TEXT } from './format';

export interface LandscapeFigure {
  readonly xName: string;
  readonly yName: string;
  readonly xValues: ArrayLike<number>;
  readonly yValues: ArrayLike<number>;
  /** loss[iy·nx + ix] */
  readonly loss: ArrayLike<number>;
  /** The optimizer's path in (x, y). */
  readonly path?: ReadonlyArray<readonly [number, number]>;
  readonly truth?: readonly [number, number];
  readonly exactOptimum?: readonly [number, number];
  readonly title?: string;
  /** The loss's colour map (viridis when absent). */
  readonly colourMap?: ColourMapName;
  /** Loss-Hessian eigenvectors (in the landscape's two parameters) drawn through the optimum. */
  readonly directions?: ReadonlyArray<{
    readonly label: string;
    readonly vector: readonly [number, number];
  }>;
}

/**
 * Loss landscape as a log-coloured bitmap with the optimizer's path, the truth and the exact
 * optimum (figures 2–8).
 */
/* eslint-disable-next-line max-lines-per-function --
   one option literal: axes, the field's bitmap, the optimizer's path, the truth, the colour bar */
export function landscapeOption(
  fig: LandscapeFigure,
  imageSource: ImageSourceFactory,
): EChartsOption {
  const nx = fig.xValues.length,
    ny = fig.yValues.length;
  const bitmap = fieldBitmap(fig.loss, nx, ny, { log: true, colourMap: fig.colourMap });
  const extent = cellExtent(fig.xValues, fig.yValues);
  const series: unknown[] = [
    bitmapSeries(bitmap, extent, imageSource, 'log₁₀ loss', {
      xName: fig.xName,
      yName: fig.yName,
      valueName: 'loss',
      xValues: fig.xValues,
      yValues: fig.yValues,
      values: fig.loss,
    }),
  ];
  if (fig.path?.length) {
    series.push({
      type: 'line',
      name: 'optimizer path',
      data: fig.path.map((p) => [p[0], p[1]]),
      symbol: 'none',
      lineStyle: { color: '#ff4d4d', width: 2 },
      itemStyle: { color: '#ff4d4d' },
      z: 5,
      progressive: 0,
    });
  }
  if (fig.truth)
    series.push({
      type: 'scatter',
      name: 'true parameters',
      data: [[...fig.truth]],
      symbol: 'diamond',
      symbolSize: 12,
      itemStyle: { color: '#ffffff', borderColor: '#000', borderWidth: 1 },
      z: 6,
    });
  const centre = fig.exactOptimum ?? fig.truth;
  if (centre && fig.directions) {
    // a segment of ±15% of the plot's width/height along each direction
    const sx = 0.15 * (extent.x1 - extent.x0),
      sy = 0.15 * (extent.y1 - extent.y0);
    fig.directions.forEach((dir, k) => {
      const [vx, vy] = dir.vector;
      const norm = Math.hypot(vx / sx, vy / sy) || 1;
      const ex = vx / norm,
        ey = vy / norm;
      series.push({
        type: 'line',
        name: dir.label,
        data: [
          [centre[0] - ex, centre[1] - ey],
          [centre[0] + ex, centre[1] + ey],
        ],
        symbol: 'none',
        lineStyle: { color: k === 0 ? '#ffffff' : '#ff922b', width: 2, type: 'dashed' },
        itemStyle: { color: k === 0 ? '#ffffff' : '#ff922b' },
        z: 6,
      });
    });
  }
  if (fig.exactOptimum)
    series.push({
      type: 'scatter',
      name: 'exact solve',
      data: [[...fig.exactOptimum]],
      symbol: 'circle',
      symbolSize: 8,
      itemStyle: { color: '#ffd43b', borderColor: '#000', borderWidth: 1 },
      z: 7,
    });
  const grid = { left: 60, right: 132, top: 72, bottom: 50 };
  const bar = colourBar(bitmap, 'loss', {
    top: grid.top,
    bottom: grid.bottom,
    right: 72,
  });
  return withColourBar(
    {
      title: chartTitle(fig.title),
      legend: {
        top: 30,
        textStyle: PUBLICATION_TEXT,
        // A white line (the stiff direction) gets a grey legend icon: white on white is invisible.
        data: series.slice(1).map((s) => {
          const { name, lineStyle } = s as { name: string; lineStyle?: { color?: string } };
          return lineStyle?.color === '#ffffff'
            ? { name, lineStyle: { color: '#868e96' }, itemStyle: { color: '#868e96' } }
            : name;
        }),
      },
      grid,
      ...mapAxes(extent, fig.xName, fig.yName),
      series: series as EChartsOption['series'],
      animation: false,
    },
    bar,
  );
}
