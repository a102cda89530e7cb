import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { EngineError } from '../errors';
import type { LinearForm } from '../linear-form';
import { pointWeights, type LossSpec } from './loss';
import type { PhaseSamples } from './samples';

export interface ExactSolution {
  /** The least-squares optimum θ* (minimum-norm where θ is not identifiable). */
  readonly parameters: Float64Array;
  /** The loss at θ*: no optimizer run can go below it (up to rounding). */
  readonly loss: number;
  /** σ_max/σ_min of the weighted design matrix (Infinity if rank deficient). */
  readonly conditionNumber: number;
  /** σ_max/σ_min over the identifiable directions (singular values above the rank threshold). */
  readonly effectiveConditionNumber: number;
  readonly rank: number;
  readonly singularValues: number[];
}

/**
 * For q̈ = a0 + Aθ the loss Σ w |a0 + Aθ − y|² is minimised in closed form. Householder QR
 * of the weighted [A | y − a0] in float64 gives R and Qᵀ(y − a0) without forming AᵀA (which
 * would square the condition number); the SVD of the small R gives θ* and the conditioning.
 */
export function exactSolve(
  form: LinearForm,
  data: Pick<PhaseSamples, 'qdd'>,
  loss: LossSpec,
): ExactSolution {
  const { n, d, p } = form;
  const N = d * n;
  if (N < p)
    throw new EngineError(
      'underdetermined',
      `${n} samples give ${N} equations for ${p} parameters: sample more points`,
    );
  const weights = pointWeights(data.qdd, loss);
  const sqrtW = (r: number) => (weights ? Math.sqrt(weights[r % n]!) : 1);
  // Columns of the weighted system, then the weighted target as the last column.
  const cols: Float64Array[] = form.columns.map((c) =>
    Float64Array.from(c, (v, r) => v * sqrtW(r)),
  );
  const target = new Float64Array(N);
  data.qdd.forEach((col, i) => {
    for (let s = 0; s < n; s++)
      target[i * n + s] = (col[s]! - form.offset[i * n + s]!) * sqrtW(i * n + s);
  });
  cols.push(target);
  householder(cols, p);
  const R = new Matrix(p, p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) R.set(i, j, cols[j]![i]!);
  const z = Matrix.columnVector(Array.from(cols[p]!.subarray(0, p)));
  const svd = new SingularValueDecomposition(R, { autoTranspose: true });
  const sv = svd.diagonal;
  const sMax = Math.max(...sv);
  const threshold = sMax * Math.max(N, p) * Number.EPSILON;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const theta = new Float64Array(p);
  let rank = 0;
  for (let k = 0; k < sv.length; k++) {
    if (!(sv[k]! > threshold)) continue;
    rank++;
    let uz = 0;
    for (let i = 0; i < p; i++) uz += U.get(i, k) * z.get(i, 0);
    const coef = uz / sv[k]!;
    for (let j = 0; j < p; j++) theta[j] = theta[j]! + coef * V.get(j, k);
  }
  // Loss at θ*, directly from the unweighted-then-weighted residual in float64.
  let total = 0;
  const w = weights;
  for (let r = 0; r < N; r++) {
    let pred = form.offset[r]!;
    for (let a = 0; a < p; a++) pred += form.columns[a]![r]! * theta[a]!;
    const y = data.qdd[Math.floor(r / n)]![r % n]!;
    const res = pred - y;
    total += (w ? w[r % n]! : 1) * res * res;
  }
  const sMin = Math.min(...sv);
  const kept = sv.filter((s) => s > threshold);
  return {
    parameters: theta,
    loss: loss.reduction === 'mean' ? total / n : total,
    conditionNumber: sMin > threshold ? sMax / sMin : Infinity,
    effectiveConditionNumber: kept.length ? sMax / Math.min(...kept) : Infinity,
    rank,
    singularValues: [...sv].sort((a, b) => b - a),
  };
}

/** In-place Householder QR on columns (each of length N); the first p columns are factored. */
function householder(cols: Float64Array[], p: number): void {
  const N = cols[0]!.length;
  for (let k = 0; k < p; k++) {
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
