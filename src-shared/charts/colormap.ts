import {
  interpolateCividis,
  interpolateMagma,
  interpolateViridis,
  schemeRdBu,
} from 'd3-scale-chromatic';

/**
 * Colour maps from d3-scale-chromatic: viridis, cividis and magma are the matplotlib maps
 * (perceptually uniform; cividis also for colour-vision deficiency: d3's polynomial fit, within
 * 15/255 of matplotlib's table), RdBu is ColorBrewer's 11-class diverging scheme, linear between
 * its classes, for signed values (low red, high blue; centred on 0 by its callers).
 */
const INTERPOLATORS = {
  viridis: interpolateViridis,
  cividis: interpolateCividis,
  magma: interpolateMagma,
  RdBu: piecewiseLinear(schemeRdBu[11]!),
} as const;

export type ColourMapName = keyof typeof INTERPOLATORS;
/** The maps for magnitudes (landscapes, error maps, |q̈|); RdBu is for signed values. */
export const SEQUENTIAL_COLOUR_MAPS = ['viridis', 'cividis', 'magma'] as const;
export type SequentialColourMap = (typeof SEQUENTIAL_COLOUR_MAPS)[number];
export const DEFAULT_COLOUR_MAP: SequentialColourMap = 'viridis';

type Rgb = [number, number, number];

/** Linear interpolation between evenly spaced colours (CSS hex). */
function piecewiseLinear(colours: readonly string[]): (t: number) => string {
  const rgb = colours.map(parseColour);
  return (t) => {
    const x = t * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(x));
    const [a, b] = [rgb[i]!, rgb[i + 1]!];
    const c = a.map((v, k) => Math.round(v + (x - i) * (b[k]! - v)));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  };
}
const LEVELS = 256;
const tables = new Map<ColourMapName, Rgb[]>();

/** 256 levels of a map (the resolution of d3's own ramps), computed once. */
function table(name: ColourMapName): Rgb[] {
  let t = tables.get(name);
  if (!t) {
    t = Array.from({ length: LEVELS }, (_, k) =>
      parseColour(INTERPOLATORS[name](k / (LEVELS - 1))),
    );
    tables.set(name, t);
  }
  return t;
}

/** d3 returns "#rrggbb" or "rgb(r, g, b)". */
function parseColour(css: string): Rgb {
  if (css.startsWith('#')) return [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16)) as Rgb;
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (!m) throw new Error(`unexpected colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The colour at t ∈ [0, 1] (clamped; non-finite → 0) of a map, nearest of 256 levels. */
export function colourAt(name: ColourMapName, t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return table(name)[Math.round(x * (LEVELS - 1))]!;
}

export function viridis(t: number): Rgb {
  return colourAt('viridis', t);
}

/** Evenly spaced CSS stops of a map, for gradients (colour bars) and ECharts visual maps. */
export function colourStops(name: ColourMapName, count = 17): string[] {
  return Array.from({ length: count }, (_, k) => {
    const [r, g, b] = colourAt(name, k / (count - 1));
    return `rgb(${r},${g},${b})`;
  });
}

/** A dense field as RGBA pixels (row 0 at the top = highest y), for drawing as one bitmap. */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
  /** The colour scale's range in data units (after log10 when log). */
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  readonly colourMap: ColourMapName;
}

/**
 * values[iy·nx + ix] (iy = 0 at the lowest y) → RGBA, log10 scaled when `log`.
 * Non-finite or non-positive (under log) cells are transparent.
 */
export function fieldBitmap(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  options: { log?: boolean; min?: number; max?: number; colourMap?: ColourMapName } = {},
): Bitmap {
  const log = options.log ?? false;
  const colourMap = options.colourMap ?? DEFAULT_COLOUR_MAP;
  const scaled = Float64Array.from({ length: nx * ny }, (_, k) => {
    const v = values[k]!;
    return log ? (v > 0 ? Math.log10(v) : NaN) : v;
  });
  let min = options.min ?? Infinity;
  let max = options.max ?? -Infinity;
  if (options.min === undefined || options.max === undefined) {
    for (const v of scaled)
      if (Number.isFinite(v)) {
        if (options.min === undefined) min = Math.min(min, v);
        if (options.max === undefined) max = Math.max(max, v);
      }
  }
  if (!Number.isFinite(min)) {
    min = 0;
    max = 1;
  }
  const span = max > min ? max - min : 1;
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  for (let iy = 0; iy < ny; iy++) {
    const row = ny - 1 - iy;
    for (let ix = 0; ix < nx; ix++) {
      const v = scaled[iy * nx + ix]!;
      const o = (row * nx + ix) * 4;
      if (!Number.isFinite(v)) continue;
      const [r, g, b] = colourAt(colourMap, (v - min) / span);
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  return { width: nx, height: ny, rgba, min, max, log, colourMap };
}
