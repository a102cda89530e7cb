import { EngineError } from '../errors';
import type { LinearForm } from '../linear-form';
import { leastSquares } from './least-squares';
import { pointWeights } from './loss';
import type { PhaseSamples } from './samples';
import type { LossSpec } from '../../../src-shared/dto/training';

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
  shouldStop?: () => boolean,
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
  const solution = leastSquares(cols, target, shouldStop);
  const theta = solution.theta;
  const sv = solution.singularValues;
  const sMax = sv[0]!;
  const threshold = sMax * Math.max(N, p) * Number.EPSILON;
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
    rank: solution.rank,
    singularValues: sv,
  };
}
