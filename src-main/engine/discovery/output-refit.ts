import { solveInPlace } from '../dynamics';
import { leastSquares } from '../training/least-squares';
import type { SampleCorrelation } from '../training/samples';
import { predictAccelerations, type TermParts } from './euler-lagrange-columns';

/*
 * Coefficients with honest intervals. Noise on q̈ enters the Euler–Lagrange regression's columns
 * (E[φ] = H q̈ + g: errors in variables), which biases its coefficients and makes its standard
 * errors too small (the elastic pendulum's g came out 4–5 of them off). So the selected support
 * is refitted where the noise really is, on q̈ itself: minimise Σ_j w_j Σ_s (q̈_L(θ) − q̈_data)²
 * by Gauss–Newton, with q̈_L the solution of M(θ) q̈ = −g(θ) and, differentiating that,
 *   ∂q̈/∂θ_i = −M⁻¹ (H_i q̈ + g_i) = −M⁻¹ E_i[φ](q̈_L).
 * Weights w_j = 1/σ_j² from each component's residual (noise differs per coordinate); the
 * covariance is s² (JᵀWJ)⁻¹ and the 95 % interval θ ± 1.96 SE (docs/discovery.md).
 * Derivatives filtered from a trajectory have errors correlated over the filter's window, which
 * makes s² (JᵀWJ)⁻¹ too small by about the number of samples a window spans; there the
 * covariance is the sandwich A⁻¹ B A⁻¹ with A = JᵀWJ and B = Σ_{|s−s′|<window} g_s g_s′ᵀ,
 * g_s = Σ_j w_j J_js r_js, over pairs in one segment (the errors' exact correlation range).
 */

export interface OutputRefit {
  /** One per term (the normalisation term at its fixed value, 0 off the support). */
  readonly coefficients: number[];
  readonly standardErrors: number[];
  /** Mean over samples of |q̈_L − q̈_data|² at the refitted coefficients. */
  readonly meanSquareError: number;
  readonly iterations: number;
}

/** Jacobian columns ∂q̈/∂θ_i (component-major, length d·n) for the free terms, at θ. */
function jacobian(
  parts: TermParts,
  theta: readonly number[],
  free: readonly number[],
  predicted: readonly Float64Array[],
): Float64Array[] {
  const { n, d } = parts;
  const cols = free.map(() => new Float64Array(d * n));
  const active = theta.flatMap((t, i) => (t !== 0 ? [i] : []));
  const M = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const x = new Float64Array(d);
  const Mwork = new Float64Array(d * d);
  for (let s = 0; s < n; s++) {
    M.fill(0);
    for (const i of active)
      for (let e = 0; e < d * d; e++) M[e] = M[e]! + theta[i]! * parts.mass[i]![e]![s]!;
    free.forEach((i, c) => {
      for (let j = 0; j < d; j++) {
        let e = parts.force[i]![j]![s]!;
        for (let k = 0; k < d; k++) e += parts.mass[i]![j * d + k]![s]! * predicted[k]![s]!;
        rhs[j] = -e;
      }
      Mwork.set(M);
      const ok = solveInPlace(Mwork, rhs, x, d);
      for (let j = 0; j < d; j++) cols[c]![j * n + s] = ok ? x[j]! : 0;
    });
  }
  return cols;
}

/** Weighted residual r = √w_j (q̈_data − q̈_L), component-major; ∞ where M is singular. */
function residualOf(
  predicted: readonly Float64Array[],
  qdd: readonly Float64Array[],
  weights: readonly number[],
): { r: Float64Array; rss: number } {
  const d = qdd.length;
  const n = qdd[0]!.length;
  const r = new Float64Array(d * n);
  let rss = 0;
  for (let j = 0; j < d; j++) {
    const w = Math.sqrt(weights[j]!);
    for (let s = 0; s < n; s++) {
      const v = w * (qdd[j]![s]! - predicted[j]![s]!);
      r[j * n + s] = v;
      rss += v * v;
    }
  }
  return { r, rss: Number.isFinite(rss) ? rss : Infinity };
}

function gaussNewton(
  parts: TermParts,
  qdd: readonly Float64Array[],
  start: readonly number[],
  free: readonly number[],
  weights: readonly number[],
  maxIterations: number,
) {
  let theta = [...start];
  let predicted = predictAccelerations(parts, theta);
  let { r, rss } = residualOf(predicted, qdd, weights);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const J = jacobian(parts, theta, free, predicted).map((c) => scaleRows(c, weights, parts.n));
    const step = leastSquares(J, r).theta;
    let accepted = false;
    for (let t = 1; t > 1e-4 && !accepted; t /= 2) {
      const trial = [...theta];
      free.forEach((i, c) => (trial[i] = trial[i]! + t * step[c]!));
      const p = predictAccelerations(parts, trial);
      const next = residualOf(p, qdd, weights);
      if (next.rss <= rss) {
        accepted = true;
        const small = free.every(
          (i, c) => Math.abs(t * step[c]!) <= 1e-12 * (Math.abs(theta[i]!) + 1e-300),
        );
        theta = trial;
        predicted = p;
        ({ r, rss } = next);
        if (small) return { theta, predicted, r, rss, iterations: iterations + 1 };
      }
    }
    if (!accepted) break;
  }
  return { theta, predicted, r, rss, iterations };
}

function scaleRows(column: Float64Array, weights: readonly number[], n: number): Float64Array {
  const out = new Float64Array(column.length);
  for (let j = 0; j < weights.length; j++) {
    const w = Math.sqrt(weights[j]!);
    for (let s = 0; s < n; s++) out[j * n + s] = w * column[j * n + s]!;
  }
  return out;
}

/**
 * Refit the free coefficients of `start` (nonzero entries other than the normalisation term's)
 * on q̈ by weighted Gauss–Newton; standard errors from the weighted residual.
 */
export function refitOnAccelerations(
  parts: TermParts,
  qdd: readonly Float64Array[],
  start: readonly number[],
  normalisation: number,
  correlation?: SampleCorrelation,
): OutputRefit {
  const d = qdd.length;
  const n = qdd[0]!.length;
  const free = start.flatMap((t, i) => (t !== 0 && i !== normalisation ? [i] : []));
  const first = gaussNewton(parts, qdd, start, free, new Array<number>(d).fill(1), 12);
  // each component's noise variance from its own residual, then the weighted fit
  const variances = Array.from({ length: d }, (_, j) => {
    let s2 = 0;
    for (let s = 0; s < n; s++) s2 += (qdd[j]![s]! - first.predicted[j]![s]!) ** 2;
    return s2 / n;
  });
  const floor = Math.max(...variances) * 1e-12 || 1;
  const weights = variances.map((v) => 1 / Math.max(v, floor));
  const fit = gaussNewton(parts, qdd, first.theta, free, weights, 6);
  const J = jacobian(parts, fit.theta, free, fit.predicted).map((c) => scaleRows(c, weights, n));
  const { inverseGram } = leastSquares(J, fit.r);
  const dof = Math.max(1, d * n - free.length);
  const coefficientVariances =
    correlation && correlation.window > 1
      ? sandwichVariances(J, fit.r, inverseGram, correlation, n, (d * n) / dof)
      : inverseGram.map((row, c) => (fit.rss / dof) * row[c]!);
  const standardErrors = new Array<number>(start.length).fill(0);
  free.forEach((i, c) => (standardErrors[i] = Math.sqrt(Math.max(0, coefficientVariances[c]!))));
  let mse = 0;
  for (let j = 0; j < d; j++)
    for (let s = 0; s < n; s++) mse += (qdd[j]![s]! - fit.predicted[j]![s]!) ** 2;
  return {
    coefficients: fit.theta,
    standardErrors,
    meanSquareError: mse / n,
    iterations: first.iterations + fit.iterations,
  };
}

/** Per-sample score g_s = Σ_j J_js r_js (rows already weighted), one row per sample. */
function scores(J: readonly Float64Array[], r: Float64Array, n: number): Float64Array[] {
  const d = r.length / n;
  return Array.from({ length: n }, (_, s) => {
    const g = new Float64Array(J.length);
    for (let c = 0; c < J.length; c++)
      for (let j = 0; j < d; j++) g[c] = g[c]! + J[c]![j * n + s]! * r[j * n + s]!;
    return g;
  });
}

/**
 * diag(A⁻¹ B A⁻¹) with B = Σ_s g_s (Σ_{|s′−s|<window, same segment} g_s′)ᵀ (prefix sums: O(n p²)),
 * the errors' exact correlation range. If that estimate is not positive for some coefficient,
 * B from sums over non-overlapping blocks of two windows, which always is.
 */
function sandwichVariances(
  J: readonly Float64Array[],
  r: Float64Array,
  inverseGram: readonly number[][],
  correlation: SampleCorrelation,
  n: number,
  smallSample: number,
): number[] {
  const g = scores(J, r, n);
  const p = J.length;
  const w = correlation.window;
  const starts = [...correlation.segmentStarts, n];
  const addOuter = (B: Float64Array[], x: Float64Array, y: Float64Array) => {
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) B[a]![b] = B[a]![b]! + x[a]! * y[b]!;
  };
  const empty = () => Array.from({ length: p }, () => new Float64Array(p));
  const windowed = empty();
  const blocked = empty();
  for (let k = 0; k + 1 < starts.length; k++) {
    const from = starts[k]!;
    const to = starts[k + 1]!;
    // prefix[i] = Σ_{from ≤ t < from + i} g_t
    const prefix = [new Float64Array(p)];
    for (let t = from; t < to; t++)
      prefix.push(prefix[prefix.length - 1]!.map((v, a) => v + g[t]![a]!));
    for (let s = from; s < to; s++) {
      const lo = Math.max(from, s - w + 1) - from;
      const hi = Math.min(to, s + w) - from;
      addOuter(
        windowed,
        g[s]!,
        prefix[hi]!.map((v, a) => v - prefix[lo]![a]!),
      );
    }
    for (let b = from; b < to; b += 2 * w) {
      const end = Math.min(to, b + 2 * w) - from;
      const sum = prefix[end]!.map((v, a) => v - prefix[b - from]![a]!);
      addOuter(blocked, sum, sum);
    }
  }
  const diagonal = (B: Float64Array[]) =>
    inverseGram.map((row) => {
      let v = 0;
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) v += row[a]! * B[a]![b]! * row[b]!;
      return smallSample * v;
    });
  const exact = diagonal(windowed);
  return exact.every((v) => v > 0) ? exact : diagonal(blocked);
}
