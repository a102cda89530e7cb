import * as tf from '../tf';
import { EngineError, throwIfStopped } from '../errors';
import type { CompiledModel } from '../models/model';
import { lossTensor, pointWeights } from '../training/loss';
import { linearFormOf, quadraticForm, toF32, type QuadraticForm } from '../training/objective';
import type { PhaseSamples } from '../training/samples';
import { fusedLandscapeRows } from './fused/fused-landscape';
import { axisValues, type LandscapeSpec } from './landscape-spec';
import { DEFAULT_PRECISION, type Precision } from '../../../src-shared/dto/precision';

export { axisValues, type LandscapeSpec } from './landscape-spec';

export interface Landscape {
  readonly xValues: Float64Array;
  readonly yValues: Float64Array;
  /** loss[iy · nx + ix] */
  readonly loss: Float64Array;
  readonly path: 'general' | 'gram';
  readonly precision: Precision;
  readonly minimum: {
    readonly ix: number;
    readonly iy: number;
    readonly x: number;
    readonly y: number;
    readonly loss: number;
  };
  readonly elapsedMs: number;
  /** General path: the kernel that ran, and why not the fused one when it fell back. */
  readonly kernel?: 'fused' | 'tensor';
  readonly why?: string;
}

export function validateLandscape(model: CompiledModel, spec: LandscapeSpec): void {
  for (const axis of [spec.x, spec.y]) {
    if (!model.parameterNames.includes(axis.parameter)) {
      throw new EngineError(
        'invalid-landscape',
        `"${axis.parameter}" is not a parameter of the model (it has ${model.parameterNames.slice(0, 8).join(', ')}${model.parameterNames.length > 8 ? ', …' : ''})`,
      );
    }
    if (!Number.isInteger(axis.count) || axis.count < 2 || axis.count > 2000) {
      throw new EngineError(
        'invalid-landscape',
        `A landscape axis needs 2 to 2000 grid values, not ${axis.count}`,
      );
    }
    if (!(Number.isFinite(axis.min) && Number.isFinite(axis.max) && axis.max > axis.min)) {
      throw new EngineError(
        'invalid-landscape',
        `The range of ${axis.parameter} must be finite with max > min, not [${axis.min}, ${axis.max}]`,
      );
    }
  }
  if (spec.x.parameter === spec.y.parameter)
    throw new EngineError('invalid-landscape', 'Choose two different parameters for the landscape');
  for (const p of model.parameterNames) {
    if (p !== spec.x.parameter && p !== spec.y.parameter && !Number.isFinite(spec.parameters[p])) {
      throw new EngineError(
        'invalid-landscape',
        `Parameter ${p} needs a finite value while the landscape varies ${spec.x.parameter} and ${spec.y.parameter}`,
      );
    }
  }
}

export function landscapePath(model: CompiledModel, spec: LandscapeSpec): 'general' | 'gram' {
  const requested = spec.path ?? 'auto';
  if (requested === 'gram' && !model.linear)
    throw new EngineError(
      'invalid-landscape',
      'The Gram path needs a model linear in its parameters',
    );
  if (requested === 'general' && !model.accelerationsFor)
    throw new EngineError(
      'invalid-landscape',
      'The general landscape path needs an expression model',
    );
  if (requested === 'auto') return model.linear ? 'gram' : 'general';
  return requested;
}

/** The loss over a grid of two parameters. */
export function lossLandscape(
  model: CompiledModel,
  data: PhaseSamples,
  spec: LandscapeSpec,
): Landscape {
  validateLandscape(model, spec);
  const start = performance.now();
  const path = landscapePath(model, spec);
  let kernel: { kernel: 'fused' | 'tensor'; why?: string } | null = null;
  const loss =
    path === 'gram'
      ? gramLandscape(quadraticForm(linearFormOf(model, data), data, spec.loss), model, spec)
      : generalLandscapeRows(
          model,
          data,
          {
            ...spec,
            // the first word on the kernel wins: a refusal is said before the fallback runs
            onKernel: (k, why) => {
              kernel ??= { kernel: k, ...(why ? { why } : {}) };
              spec.onKernel?.(k, why);
            },
          },
          0,
          spec.y.count,
        );
  const done = finishLandscape(spec, loss, path, performance.now() - start);
  return kernel ? { ...done, ...(kernel as { kernel: 'fused' | 'tensor'; why?: string }) } : done;
}

export function finishLandscape(
  spec: LandscapeSpec,
  loss: Float64Array,
  path: 'general' | 'gram',
  elapsedMs: number,
): Landscape {
  const xValues = axisValues(spec.x);
  const yValues = axisValues(spec.y);
  let best = 0;
  for (let i = 1; i < loss.length; i++)
    if (loss[i]! < loss[best]! || Number.isNaN(loss[best]!)) best = i;
  const ix = best % spec.x.count;
  const iy = Math.floor(best / spec.x.count);
  return {
    xValues,
    yValues,
    loss,
    path,
    precision: path === 'gram' ? 'float64' : (spec.precision ?? DEFAULT_PRECISION),
    minimum: { ix, iy, x: xValues[ix]!, y: yValues[iy]!, loss: loss[best]! },
    elapsedMs,
  };
}

/**
 * Rows [rowStart, rowEnd) of the general path: every cell evaluated, a batch of cells at a time
 * as [cells, 1] parameter columns broadcast against [1, n] samples (cells × n ≤
 * maxBatchElements, default 2·10⁶: about 8 MB a tensor). No per-cell loop.
 */
/* eslint-disable-next-line max-lines-per-function --
   the fused branch and the tensor route's batching loop, read together */
export function generalLandscapeRows(
  model: CompiledModel,
  data: PhaseSamples,
  spec: LandscapeSpec,
  rowStart: number,
  rowEnd: number,
): Float64Array {
  const accelerationsFor = model.accelerationsFor?.bind(model);
  if (!accelerationsFor)
    throw new EngineError(
      'invalid-landscape',
      'The general landscape path needs an expression model',
    );
  if ((spec.kernel ?? 'fused') === 'fused') {
    const fused = fusedLandscapeRows(
      model,
      data,
      spec,
      rowStart,
      rowEnd,
      spec.precision ?? DEFAULT_PRECISION,
    );
    if (fused) {
      spec.onKernel?.('fused');
      return fused;
    }
  }
  spec.onKernel?.('tensor');
  if (spec.precision === 'float64')
    throw new EngineError(
      'invalid-landscape',
      'A float64 general landscape needs the fused kernel, which does not apply here (too large?)',
    );
  const n = data.q[0]!.length;
  const nx = spec.x.count;
  const xs = axisValues(spec.x);
  const ys = axisValues(spec.y);
  const weights = pointWeights(data.qdd, spec.loss);
  // Batches of cells, not whole rows: a row of 2000 cells × 10⁶ samples would not fit in memory.
  const cellsPerBatch = Math.max(1, Math.floor((spec.maxBatchElements ?? 2_000_000) / n));
  const first = rowStart * nx;
  const last = rowEnd * nx;
  const out = new Float64Array(last - first);
  const row = (c: Float64Array) => tf.tensor2d(toF32(c), [1, n]);
  const samples = {
    q: data.q.map(row) as unknown as tf.Tensor1D[],
    qd: data.qd.map(row) as unknown as tf.Tensor1D[],
  };
  const target = data.qdd.map(row);
  const wT = weights ? row(weights) : null;
  try {
    for (let c0 = first; c0 < last; c0 += cellsPerBatch) {
      throwIfStopped(spec.shouldStop, 'The landscape');
      const c1 = Math.min(last, c0 + cellsPerBatch);
      const cells = c1 - c0;
      const values = tf.tidy(() => {
        const column = (f: (c: number) => number) =>
          tf.tensor2d(
            Float32Array.from({ length: cells }, (_, k) => f(c0 + k)),
            [cells, 1],
          );
        const params: Record<string, tf.Tensor | number> = {};
        for (const p of model.parameterNames) params[p] = spec.parameters[p]!;
        params[spec.x.parameter] = column((c) => xs[c % nx]!);
        params[spec.y.parameter] = column((c) => ys[Math.floor(c / nx)]!);
        const pred = accelerationsFor(params, samples);
        return lossTensor(pred, target, spec.loss, wT, n, 1);
      });
      const v = values.dataSync();
      values.dispose();
      for (let k = 0; k < cells; k++) out[c0 - first + k] = v[k]!;
      spec.onProgress?.(c1 - first, last - first);
    }
  } finally {
    [
      ...(samples.q as unknown as tf.Tensor[]),
      ...(samples.qd as unknown as tf.Tensor[]),
      ...target,
    ].forEach((t) => t.dispose());
    wT?.dispose();
  }
  return out;
}

/**
 * Gram path: with θ = θ₀ + x e_i + y e_j (θ₀ has zeros at i, j),
 *   loss = L₀ + g_i x + g_j y + G_ii x² + 2 G_ij x y + G_jj y²,
 *   L₀ = c − 2bᵀθ₀ + θ₀ᵀGθ₀,  g = 2(Gθ₀ − b).  O(1) a cell, float64.
 */
export function gramLandscape(
  qf: QuadraticForm,
  model: CompiledModel,
  spec: LandscapeSpec,
): Float64Array {
  const { p, G, b, c } = qf;
  const i = model.parameterNames.indexOf(spec.x.parameter);
  const j = model.parameterNames.indexOf(spec.y.parameter);
  const theta0 = Float64Array.from(model.parameterNames, (name, k) =>
    k === i || k === j ? 0 : spec.parameters[name]!,
  );
  const Gt = new Float64Array(p);
  let L0 = c;
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let bb = 0; bb < p; bb++) s += G[a * p + bb]! * theta0[bb]!;
    Gt[a] = s;
    L0 += theta0[a]! * s - 2 * b[a]! * theta0[a]!;
  }
  const gi = 2 * (Gt[i]! - b[i]!);
  const gj = 2 * (Gt[j]! - b[j]!);
  const Gii = G[i * p + i]!,
    Gjj = G[j * p + j]!,
    Gij = G[i * p + j]!;
  const xs = axisValues(spec.x);
  const ys = axisValues(spec.y);
  const nx = xs.length;
  const out = new Float64Array(nx * ys.length);
  for (let iy = 0; iy < ys.length; iy++) {
    const y = ys[iy]!;
    const base = L0 + gj * y + Gjj * y * y;
    const lin = gi + 2 * Gij * y;
    for (let ix = 0; ix < nx; ix++) {
      const x = xs[ix]!;
      out[iy * nx + ix] = base + lin * x + Gii * x * x;
    }
  }
  return out;
}

/**
 * Numerical roughness check: the float32 general path against the float64 Gram path,
 * |general − gram| / gram per cell. Structure in the landscape shows in both; float32 noise only
 * here.
 */
export function landscapeDifference(general: Landscape, gram: Landscape): Float64Array {
  return Float64Array.from(
    general.loss,
    (v, k) => Math.abs(v - gram.loss[k]!) / Math.max(Math.abs(gram.loss[k]!), Number.MIN_VALUE),
  );
}

/** A landscape spec zoomed to ± relativeSpan around a point (e.g. the exact optimum). */
export function zoomAround(
  spec: LandscapeSpec,
  centre: { x: number; y: number },
  relativeSpan: number,
): LandscapeSpec {
  const half = (v: number) => Math.max(Math.abs(v), 1e-12) * relativeSpan;
  return {
    ...spec,
    x: { ...spec.x, min: centre.x - half(centre.x), max: centre.x + half(centre.x) },
    y: { ...spec.y, min: centre.y - half(centre.y), max: centre.y + half(centre.y) },
  };
}
