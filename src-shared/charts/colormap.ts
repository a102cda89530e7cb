/** Viridis (perceptually uniform), 9 anchors interpolated linearly. */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!,
    b = VIRIDIS[i + 1]!;
  return [
    Math.round(a[0] + f * (b[0] - a[0])),
    Math.round(a[1] + f * (b[1] - a[1])),
    Math.round(a[2] + f * (b[2] - a[2])),
  ];
}

export const VIRIDIS_STOPS = VIRIDIS.map(([r, g, b]) => `rgb(${r},${g},${b})`);

/** A dense field as RGBA pixels (row 0 at the top = highest y), for drawing as one bitmap. */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
  /** The colour scale's range in data units (after log10 when log). */
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
}

/**
 * values[iy·nx + ix] (iy = 0 at the lowest y) → RGBA, log10 scaled when `log`.
 * Non-finite or non-positive (under log) cells are transparent.
 */
export function fieldBitmap(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  options: { log?: boolean; min?: number; max?: number } = {},
): Bitmap {
  const log = options.log ?? false;
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
      const [r, g, b] = viridis((v - min) / span);
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  return { width: nx, height: ny, rgba, min, max, log };
}
