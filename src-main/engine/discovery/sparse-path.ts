import { throwIfStopped } from '../errors';

/** Relative thresholds for STLSQ and penalties for the L1 path, from dense to sparse. */
export const PATH_POINTS = 41;
const LOG_MIN = -8;

const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/** λ from 10⁻⁸ to 1 (relative to ‖y‖ and each column's norm), evenly in log scale. */
export function pathThresholds(points = PATH_POINTS): number[] {
  return Array.from({ length: points }, (_, k) => 10 ** (LOG_MIN + (-LOG_MIN * k) / (points - 1)));
}

/** Ridge weight on unit-norm columns while choosing supports (SINDy's STLSQ alpha). */
const RIDGE = 1e-6;

/** Columns scaled to unit norm, and their Gram matrix and correlations with y. */
function normalEquations(
  columns: readonly Float64Array[],
  y: Float64Array,
  shouldStop?: () => boolean,
) {
  const colNorms = columns.map(norm);
  const unit = columns.map((c, i) => c.map((v) => v / colNorms[i]!));
  const p = unit.length;
  const gram = Array.from({ length: p }, () => new Float64Array(p));
  const aty = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    throwIfStopped(shouldStop, 'The discovery');
    aty[i] = dotProduct(unit[i]!, y);
    for (let j = i; j < p; j++) gram[i]![j] = gram[j]![i] = dotProduct(unit[i]!, unit[j]!);
  }
  return { colNorms, gram, aty };
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let r = 0; r < a.length; r++) s += a[r]! * b[r]!;
  return s;
}

/** (G + αI)⁻¹ b on a subset, by Cholesky (G is a Gram matrix of unit columns). */
function ridgeSolve(gram: Float64Array[], b: Float64Array, subset: number[]): number[] {
  const k = subset.length;
  const L = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = gram[subset[i]!]![subset[j]!]! + (i === j ? RIDGE : 0);
      for (let m = 0; m < j; m++) s -= L[i]![m]! * L[j]![m]!;
      L[i]![j] = i === j ? Math.sqrt(Math.max(s, Number.MIN_VALUE)) : s / L[j]![j]!;
    }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[subset[i]!]!;
    for (let m = 0; m < i; m++) s -= L[i]![m]! * z[m]!;
    z[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= L[m]![i]! * x[m]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

/**
 * Sequentially thresholded least squares (SINDy's STLSQ) for each threshold λ, on unit-norm
 * columns with a small ridge (so nearly collinear terms such as cos q and 1 − q²/2 do not
 * cancel with huge coefficients): fit, drop every term whose contribution |θ̃_i|/‖y‖ is below
 * λ, refit, until the support is stable. Supports only; each is refitted without ridge later.
 */
export function stlsqSupports(
  columns: readonly Float64Array[],
  y: Float64Array,
  thresholds: readonly number[],
  shouldStop?: () => boolean,
): number[][] {
  const { gram, aty } = normalEquations(columns, y, shouldStop);
  const yNorm = norm(y);
  return thresholds.map((threshold) => {
    throwIfStopped(shouldStop, 'The discovery');
    let support = columns.map((_, i) => i);
    for (let iteration = 0; iteration < 25 && support.length; iteration++) {
      const theta = ridgeSolve(gram, aty, support);
      const kept = support.filter((_, k) => Math.abs(theta[k]!) >= threshold * yNorm);
      if (kept.length === support.length) break;
      support = kept;
    }
    return support;
  });
}

/**
 * The L1 path (LASSO) by cyclic coordinate descent in Gram form on unit-norm columns:
 * minimise ½‖y − Ãθ‖² + λ‖y‖ Σ|θ_i|, warm-started from the previous λ. Returns each λ's support.
 */
export function lassoSupports(
  columns: readonly Float64Array[],
  y: Float64Array,
  thresholds: readonly number[],
  shouldStop?: () => boolean,
): number[][] {
  const { gram, aty } = normalEquations(columns, y, shouldStop);
  const p = columns.length;
  const yNorm = norm(y);
  const theta = new Float64Array(p);
  const supports: number[][] = [];
  for (const lambda of [...thresholds].reverse()) {
    const penalty = lambda * yNorm;
    for (let sweep = 0; sweep < 10000; sweep++) {
      if ((sweep & 63) === 0) throwIfStopped(shouldStop, 'The discovery');
      let change = 0;
      for (let i = 0; i < p; i++) {
        // ρ_i = ãᵢᵀ(y − Ãθ) + θ_i, with ãᵢᵀãᵢ = 1
        let rho = aty[i]!;
        for (let j = 0; j < p; j++) rho -= gram[i]![j]! * theta[j]!;
        rho += theta[i]!;
        const next = Math.sign(rho) * Math.max(Math.abs(rho) - penalty, 0);
        change = Math.max(change, Math.abs(next - theta[i]!));
        theta[i] = next;
      }
      if (change <= 1e-13 * yNorm) break;
    }
    supports.push(theta.reduce<number[]>((s, t, i) => (t !== 0 ? [...s, i] : s), []));
  }
  return supports.reverse();
}
