import { colourAt, type ColourMapName } from './colormap';
import { DISCS_SHAPE } from './shapes';

/** The colour scale of a dots series: values min…max over the whole map. */
export interface DotsScale {
  readonly min: number;
  readonly max: number;
  readonly colourMap: ColourMapName;
}

/** Colour levels of the dots (a 3 px disc shows no finer step; the colour bar is continuous). */
export const DOT_LEVELS = 64;

/** The level (0 … DOT_LEVELS − 1) of a value: its place on the scale, clamped. */
export function dotLevel(value: number, scale: DotsScale): number {
  const span = scale.max > scale.min ? scale.max - scale.min : 1;
  const t = Math.min(1, Math.max(0, (value - scale.min) / span));
  return Math.round((Number.isFinite(t) ? t : 0) * (DOT_LEVELS - 1));
}

/** CSS colour of a level. */
export function levelColour(level: number, colourMap: ColourMapName): string {
  const [r, g, b] = colourAt(colourMap, level / (DOT_LEVELS - 1));
  return `rgb(${r},${g},${b})`;
}

type Coord = (p: number[]) => number[];
type DotsSeries = Record<string, unknown> & { data: number[][] };
const RESIZED = new WeakMap<object, (k: number) => DotsSeries>();
const SCALES = new WeakMap<object, DotsScale>();

/**
 * Points [x, y, value] coloured by value, drawn by the series' first item as one path of discs per
 * colour level. ECharts' scatter makes a group of elements per point: 625 of them took ~60 ms of
 * one main-thread task when a run opened (issue 30.11); an element per level costs a few.
 * The data stay the series' data (CSV export); points off the scale take its end colours.
 */
export function dotsSeries(
  name: string,
  data: number[][],
  scale: DotsScale,
  diameterPx = 3,
): DotsSeries {
  const series: DotsSeries = {
    type: 'custom',
    name,
    data,
    z: 2,
    clip: true,
    silent: true,
    progressive: 0,
    // the legend's swatch: the middle of the map
    itemStyle: { color: levelColour(DOT_LEVELS >> 1, scale.colourMap) },
    renderItem: (params: { dataIndex: number }, api: { coord: Coord }) =>
      params.dataIndex === 0
        ? { type: 'group', children: levelPaths(data, scale, api.coord, diameterPx / 2) }
        : null,
  };
  RESIZED.set(series, (k) => dotsSeries(name, data, scale, diameterPx * k));
  SCALES.set(series, scale);
  return series;
}

/** One discs element per colour level that has points. */
function levelPaths(data: number[][], scale: DotsScale, coord: Coord, r: number) {
  const byLevel = new Map<number, number[]>();
  for (const [x, y, v] of data) {
    const level = dotLevel(v!, scale);
    let centres = byLevel.get(level);
    if (!centres) byLevel.set(level, (centres = []));
    centres.push(...coord([x!, y!]).slice(0, 2));
  }
  return [...byLevel].map(([level, centres]) => ({
    type: DISCS_SHAPE,
    shape: { centres, r },
    style: { fill: levelColour(level, scale.colourMap), stroke: 'none' },
  }));
}

/** A dots series drawn `k` times larger (a figure style's scale); undefined for other series. */
export const resizedDots = (series: object, k: number): DotsSeries | undefined =>
  RESIZED.get(series)?.(k);

/** The colour scale of a dots series (tests, colour bars); undefined for other series. */
export const dotsScaleOf = (series: object): DotsScale | undefined => SCALES.get(series);
