// The part of a (q₀, q₁) map the model was never trained on: inside an exclusion band
// |q_i − q_j| < ε, or on the wrong side of a half-plane q_j > q_i + ε. Error maps grey it out
// (with a legend entry) instead of showing errors there as if they were the fit's.
import type { SamplingSpec } from '../dto/sampling';

export interface WindowMask {
  readonly bands: ReadonlyArray<{ i: number; j: number; epsilon: number }>;
  readonly halfPlanes: ReadonlyArray<{ i: number; j: number; epsilon: number }>;
}

/** The restrictions of a sampling window that act on the map's axes (coordinates 0 and 1). */
export function windowMask(window: SamplingSpec['window']): WindowMask | undefined {
  const onAxes = (r: { i: number; j: number }) => r.i <= 1 && r.j <= 1 && r.i !== r.j;
  const bands = (window.exclusionBands ?? []).filter(onAxes);
  const halfPlanes = (window.halfPlanes ?? []).filter(onAxes);
  return bands.length || halfPlanes.length ? { bands, halfPlanes } : undefined;
}

/** True where (q₀, q₁) = (x, y) lies outside the trained region. */
export function isMasked(mask: WindowMask, x: number, y: number): boolean {
  const q = [x, y];
  return (
    mask.bands.some((b) => Math.abs(q[b.i]! - q[b.j]!) < b.epsilon) ||
    mask.halfPlanes.some((h) => !(q[h.j]! > q[h.i]! + h.epsilon))
  );
}

/** Grid values (values[iy·nx + ix]) with the masked cells set to NaN (drawn transparent). */
export function maskedGrid(
  values: ArrayLike<number>,
  xValues: ArrayLike<number>,
  yValues: ArrayLike<number>,
  mask: WindowMask,
): Float64Array {
  const nx = xValues.length;
  return Float64Array.from({ length: values.length }, (_, k) =>
    isMasked(mask, xValues[k % nx]!, yValues[Math.floor(k / nx)]!) ? NaN : values[k]!,
  );
}

/** What the legend says of the grey region. */
export function maskLabel(mask: WindowMask): string {
  const parts = [
    ...mask.bands.map((b) => `|q${sub(b.i)} − q${sub(b.j)}| < ${b.epsilon}`),
    ...mask.halfPlanes.map((h) => `q${sub(h.j)} ≤ q${sub(h.i)} + ${h.epsilon}`),
  ];
  return `not trained (${parts.join(', ')})`;
}
const sub = (i: number) => '₀₁₂₃₄₅₆₇₈₉'[i] ?? String(i);

/**
 * The masked cells as a grey overlay: one bitmap over the map's extent, transparent where the
 * model was trained. A bitmap, not polygons, so any combination of bands and half-planes works.
 */
export function maskBitmapRgba(
  xValues: ArrayLike<number>,
  yValues: ArrayLike<number>,
  mask: WindowMask,
): Uint8ClampedArray {
  const nx = xValues.length;
  const ny = yValues.length;
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  for (let iy = 0; iy < ny; iy++)
    for (let ix = 0; ix < nx; ix++) {
      if (!isMasked(mask, xValues[ix]!, yValues[iy]!)) continue;
      const o = ((ny - 1 - iy) * nx + ix) * 4; // row 0 at the top
      // a light hatch: alternate cells darker along the diagonal
      const shade = (ix + iy) % 4 < 2 ? 150 : 185;
      rgba[o] = rgba[o + 1] = rgba[o + 2] = shade;
      rgba[o + 3] = 255;
    }
  return rgba;
}
