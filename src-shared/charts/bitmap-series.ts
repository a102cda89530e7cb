import type { Bitmap } from './colormap';
import { physicsLabel } from './format';

/**
 * Turns a Bitmap into something ECharts can draw (a canvas in the browser). Injected so builders
 * stay pure.
 */
export type ImageSourceFactory = (bitmap: Bitmap) => unknown;

/** The data extent of a grid of cell centres: half a cell beyond the first and last nodes. */
export function cellExtent(xValues: ArrayLike<number>, yValues: ArrayLike<number>) {
  const nx = xValues.length,
    ny = yValues.length;
  const dx = (xValues[nx - 1]! - xValues[0]!) / (nx - 1) / 2;
  const dy = (yValues[ny - 1]! - yValues[0]!) / (ny - 1) / 2;
  return {
    x0: xValues[0]! - dx,
    x1: xValues[nx - 1]! + dx,
    y0: yValues[0]! - dy,
    y1: yValues[ny - 1]! + dy,
  };
}

/** The axes of a map over a grid: physics names, exactly the cells' extent. */
export function mapAxes(
  extent: { x0: number; x1: number; y0: number; y1: number },
  xName: string,
  yName: string,
) {
  const axis = (name: string, min: number, max: number, nameGap: number) => ({
    type: 'value' as const,
    name: physicsLabel(name),
    nameLocation: 'middle' as const,
    nameGap,
    min,
    max,
  });
  return {
    xAxis: axis(xName, extent.x0, extent.x1, 28),
    yAxis: axis(yName, extent.y0, extent.y1, 45),
  };
}

/**
 * A dense field as one image in a custom series (44 ms for 200 × 200 here, against 1.3–3.2 s for
 * 40 000 heatmap rectangles). The image spans [x0, x1] × [y0, y1] in data coordinates.
 */
export function bitmapSeries(
  bitmap: Bitmap,
  extent: { x0: number; x1: number; y0: number; y1: number },
  imageSource: ImageSourceFactory,
  name = 'field',
  grid?: GridData,
) {
  let image: unknown;
  const series = {
    type: 'custom' as const,
    name,
    silent: true,
    z: 1,
    progressive: 0,
    data: [[extent.x0, extent.y0, extent.x1, extent.y1]],
    renderItem: (_params: unknown, api: { coord: (p: number[]) => number[] }) => {
      image ??= imageSource(bitmap);
      const [px0, py1] = api.coord([extent.x0, extent.y1]) as [number, number];
      const [px1, py0] = api.coord([extent.x1, extent.y0]) as [number, number];
      return {
        type: 'image',
        style: { image, x: px0, y: py1, width: px1 - px0, height: py0 - py1 },
        silent: true,
      };
    },
  };
  if (grid) GRID_DATA.set(series, grid);
  return series;
}

/** The numbers behind a dense field, kept beside (not inside) the ECharts option for CSV export. */
export interface GridData {
  readonly xName: string;
  readonly yName: string;
  readonly valueName: string;
  readonly xValues: ArrayLike<number>;
  readonly yValues: ArrayLike<number>;
  /** values[iy·nx + ix] */
  readonly values: ArrayLike<number>;
}

const GRID_DATA = new WeakMap<object, GridData>();

export function gridDataOf(series: object): GridData | undefined {
  return GRID_DATA.get(series);
}
