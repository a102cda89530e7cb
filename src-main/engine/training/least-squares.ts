import { throwIfStopped } from '../errors';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

export interface LeastSquaresSolution {
  /** argmin ‖Aθ − y‖ (minimum-norm along directions below the rank threshold). */
  readonly theta: Float64Array;
  /** ‖Aθ − y‖², from the part of Qᵀy that no column reaches. */
  readonly residualSquared: number;
  /** Singular values of A (= those of R), largest first. */
  readonly singularValues: number[];
  readonly rank: number;
  /** (AᵀA)⁻¹ = V Σ⁻² Vᵀ over the kept directions: the parameters' covariance up to σ². */
  readonly inverseGram: number[][];
}

/**
 * Least squares in float64 without forming AᵀA (which would square the condition number):
 * Householder QR of [A | y], then the SVD of the small R. The columns are copied, not changed.
 */
export function leastSquares(
  columns: readonly Float64Array[],
  target: Float64Array,
  shouldStop?: () => boolean,
): LeastSquaresSolution {
  const p = columns.length;
  const N = target.length;
  if (p === 0)
    return {
      theta: new Float64Array(0),
      residualSquared: target.reduce((s, v) => s + v * v, 0),
      singularValues: [],
      rank: 0,
      inverseGram: [],
    };
  const cols = [...columns.map((c) => Float64Array.from(c)), Float64Array.from(target)];
  householder(cols, p, shouldStop);
  const R = new Matrix(p, p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) R.set(i, j, cols[j]![i]!);
  const qty = cols[p]!;
  let residualSquared = 0;
  for (let i = p; i < N; i++) residualSquared += qty[i]! * qty[i]!;
  const svd = new SingularValueDecomposition(R, { autoTranspose: true });
  const sv = svd.diagonal;
  const threshold = Math.max(...sv) * Math.max(N, p) * Number.EPSILON;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const theta = new Float64Array(p);
  const inverseGram = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  let rank = 0;
  for (let k = 0; k < sv.length; k++) {
    const s = sv[k]!;
    if (!(s > threshold)) continue;
    rank++;
    let uz = 0;
    for (let i = 0; i < p; i++) uz += U.get(i, k) * qty[i]!;
    for (let j = 0; j < p; j++) {
      theta[j] = theta[j]! + (uz / s) * V.get(j, k);
      for (let l = 0; l < p; l++) inverseGram[j]![l]! += (V.get(j, k) * V.get(l, k)) / (s * s);
    }
  }
  return {
    theta,
    residualSquared,
    singularValues: [...sv].sort((a, b) => b - a),
    rank,
    inverseGram,
  };
}

/** In-place Householder QR on columns (each of length N); the first p columns are factored. */
export function householder(cols: Float64Array[], p: number, shouldStop?: () => boolean): void {
  const N = cols[0]!.length;
  for (let k = 0; k < p; k++) {
    // one reflection costs (p − k)·N: a stop check each keeps wide fits cancellable
    throwIfStopped(shouldStop, 'The least-squares fit');
    const x = cols[k]!;
    let norm = 0;
    for (let i = k; i < N; i++) norm += x[i]! * x[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = x[k]! > 0 ? -norm : norm;
    // v = x − αe_k (stored in place below the diagonal), H = I − 2vvᵀ/(vᵀv)
    const v0 = x[k]! - alpha;
    let vv = v0 * v0;
    for (let i = k + 1; i < N; i++) vv += x[i]! * x[i]!;
    if (vv === 0) continue;
    for (let j = k + 1; j < cols.length; j++) {
      const c = cols[j]!;
      let dot = v0 * c[k]!;
      for (let i = k + 1; i < N; i++) dot += x[i]! * c[i]!;
      const f = (2 * dot) / vv;
      c[k] = c[k]! - f * v0;
      for (let i = k + 1; i < N; i++) c[i] = c[i]! - f * x[i]!;
    }
    x[k] = alpha;
    for (let i = k + 1; i < N; i++) x[i] = 0;
  }
}
