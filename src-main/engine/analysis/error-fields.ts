import type { FieldGrid } from '../../../src-shared/dto/fields';
import { EngineError } from '../errors';
import type { CompiledModel } from '../models/model';
import type { SystemDefinition } from '../systems/system';
import { predictF64, trueAccelerations } from './predict';

export interface ErrorSummary {
  /** Mean of |q̈_fit − q̈_true|² over points (the training loss's 'mean' form). */
  readonly meanSquared: number;
  readonly meanAbsolute: number;
  readonly maxAbsolute: number;
  readonly meanRelative: number;
  readonly medianRelative: number;
}

export interface ErrorField {
  /** |q̈_fit − q̈_true| per point. */
  readonly absolute: Float64Array;
  /** |q̈_fit − q̈_true| / |q̈_true| per point (NaN where q̈_true = 0). */
  readonly relative: Float64Array;
  readonly summary: ErrorSummary;
}

export function errorField(
  fit: readonly Float64Array[],
  truth: readonly Float64Array[],
): ErrorField {
  const n = truth[0]!.length;
  const absolute = new Float64Array(n);
  const relative = new Float64Array(n);
  let sumSq = 0,
    sumAbs = 0,
    maxAbs = 0,
    sumRel = 0,
    relCount = 0;
  for (let s = 0; s < n; s++) {
    let e2 = 0,
      t2 = 0;
    for (let i = 0; i < truth.length; i++) {
      const r = fit[i]![s]! - truth[i]![s]!;
      e2 += r * r;
      t2 += truth[i]![s]! * truth[i]![s]!;
    }
    const abs = Math.sqrt(e2);
    absolute[s] = abs;
    relative[s] = t2 > 0 ? abs / Math.sqrt(t2) : NaN;
    sumSq += e2;
    sumAbs += abs;
    maxAbs = Math.max(maxAbs, abs);
    if (t2 > 0) {
      sumRel += relative[s]!;
      relCount++;
    }
  }
  const rel = Array.from(relative)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  return {
    absolute,
    relative,
    summary: {
      meanSquared: sumSq / n,
      meanAbsolute: sumAbs / n,
      maxAbsolute: maxAbs,
      meanRelative: relCount ? sumRel / relCount : NaN,
      medianRelative: rel.length ? rel[Math.floor(rel.length / 2)]! : NaN,
    },
  };
}

export interface GridSpec extends FieldGrid {
  /** Values of every coordinate (x and y overwritten) and every velocity; default 0. */
  readonly q?: readonly number[];
  readonly qd?: readonly number[];
}

export function gridSamples(
  spec: GridSpec,
  d: number,
): { q: Float64Array[]; qd: Float64Array[]; xValues: Float64Array; yValues: Float64Array } {
  for (const a of [spec.x, spec.y]) {
    if (!Number.isInteger(a.count) || a.count < 2 || a.count > 2000)
      throw new EngineError('invalid-grid', `A grid axis needs 2 to 2000 values, not ${a.count}`);
    if (!(a.max > a.min))
      throw new EngineError(
        'invalid-grid',
        `A grid axis needs max > min, not [${a.min}, ${a.max}]`,
      );
    if (!(a.coordinate >= 0 && a.coordinate < d))
      throw new EngineError('invalid-grid', `Coordinate ${a.coordinate} does not exist`);
  }
  const lin = (a: GridSpec['x']) =>
    Float64Array.from({ length: a.count }, (_, i) => a.min + ((a.max - a.min) * i) / (a.count - 1));
  const xValues = lin(spec.x),
    yValues = lin(spec.y);
  const n = xValues.length * yValues.length;
  const q = Array.from({ length: d }, (_, i) => new Float64Array(n).fill(spec.q?.[i] ?? 0));
  const qd = Array.from({ length: d }, (_, i) => new Float64Array(n).fill(spec.qd?.[i] ?? 0));
  for (let iy = 0; iy < yValues.length; iy++) {
    for (let ix = 0; ix < xValues.length; ix++) {
      q[spec.x.coordinate]![iy * xValues.length + ix] = xValues[ix]!;
      q[spec.y.coordinate]![iy * xValues.length + ix] = yValues[iy]!;
    }
  }
  return { q, qd, xValues, yValues };
}

export interface ErrorGrid extends ErrorField {
  readonly xValues: Float64Array;
  readonly yValues: Float64Array;
  readonly truth: Float64Array[];
  readonly fit: Float64Array[];
}

/** Fit against truth on a regular grid over any window: validate a fit off its training window. */
export function errorGrid(
  model: CompiledModel,
  theta: ArrayLike<number>,
  system: SystemDefinition,
  trueValues: Readonly<Record<string, number>> | undefined,
  spec: GridSpec,
): ErrorGrid {
  const { q, qd, xValues, yValues } = gridSamples(spec, system.coordinates.length);
  const truth = trueAccelerations(system, trueValues, q, qd);
  const fit = predictF64(model, theta, q, qd);
  return { ...errorField(fit, truth), xValues, yValues, truth, fit };
}
