import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { EngineError } from '../errors';
import type { CompiledModel } from '../models/model';
import { lossF64 } from '../training/loss';
import { createObjective, linearFormOf, quadraticForm } from '../training/objective';
import type { PhaseSamples } from '../training/samples';
import type { HistorySnapshot } from '../training/history';
import { predictF64 } from './predict';
import type { LossSpec } from '../../../src-shared/dto/training';

/**
 * Hessian of the loss at θ. Exact (2G) for models linear in θ; otherwise central differences
 * of the float64 loss (expression models) or of the autodiff gradient (networks).
 */
export function lossHessian(
  model: CompiledModel,
  data: PhaseSamples,
  loss: LossSpec,
  theta: ArrayLike<number>,
): number[][] {
  const p = model.parameterNames.length;
  if (model.linear) {
    const { G } = quadraticForm(linearFormOf(model, data), data, loss);
    return Array.from({ length: p }, (_, i) =>
      Array.from({ length: p }, (_, j) => 2 * G[i * p + j]!),
    );
  }
  const base = Float64Array.from(theta);
  const h = Array.from(base, (v) => 1e-4 * Math.max(1, Math.abs(v)));
  if (model.eom) {
    const L = (t: Float64Array) => lossF64(predictF64(model, t, data.q, data.qd), data.qdd, loss);
    const H = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const at = (di: number, si: number, dj: number, sj: number) => {
      const t = Float64Array.from(base);
      t[di] = t[di]! + si * h[di]!;
      t[dj] = t[dj]! + sj * h[dj]!;
      return L(t);
    };
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) {
        // ∂²L/∂θi∂θj ≈ [L(++) − L(+−) − L(−+) + L(−−)] / (4 hi hj)
        const v =
          (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) /
          (4 * h[i]! * h[j]!);
        H[i]![j] = v;
        H[j]![i] = v;
      }
    }
    return H;
  }
  const objective = createObjective(model, data, loss, 'graph');
  try {
    const H: number[][] = [];
    for (let i = 0; i < p; i++) {
      const plus = Float64Array.from(base);
      plus[i] = plus[i]! + h[i]!;
      const minus = Float64Array.from(base);
      minus[i] = minus[i]! - h[i]!;
      const gp = objective.evaluate(plus).gradient,
        gm = objective.evaluate(minus).gradient;
      H.push(Array.from(gp, (g, j) => (g - gm[j]!) / (2 * h[i]!)));
    }
    return H.map((row, i) => row.map((v, j) => 0.5 * (v + H[j]![i]!)));
  } finally {
    objective.dispose();
  }
}

export interface Identifiability {
  /** Ascending. */
  readonly eigenvalues: number[];
  /** eigenvectors[k] belongs to eigenvalues[k]. */
  readonly eigenvectors: number[][];
  /** λ_max/λ_min (Infinity when λ_min ≤ 0 up to rounding). */
  readonly conditionNumber: number;
  /** Plain gradient descent is stable for lr < 2/λ_max. */
  readonly maxStableLearningRate: number;
  /** The best- and worst-determined parameter combinations. */
  readonly stiffDirection: number[];
  readonly sloppyDirection: number[];
}

export function identifiability(H: number[][]): Identifiability {
  if (H.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new EngineError(
      'not-finite',
      'The loss Hessian is not finite here (the model diverges or its mass matrix is singular at these parameters)',
    );
  }
  const eig = new EigenvalueDecomposition(new Matrix(H), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const V = eig.eigenvectorMatrix;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const eigenvalues = order.map(([v]) => v);
  const eigenvectors = order.map(([, i]) => V.getColumn(i));
  const max = eigenvalues[eigenvalues.length - 1]!;
  const min = eigenvalues[0]!;
  return {
    eigenvalues,
    eigenvectors,
    conditionNumber: min > max * 1e-15 ? max / min : Infinity,
    maxStableLearningRate: max > 0 ? 2 / max : Infinity,
    stiffDirection: eigenvectors[eigenvectors.length - 1]!,
    sloppyDirection: eigenvectors[0]!,
  };
}

/** |∂loss/∂θ_a| along a run, per parameter (the report's k-versus-alpha mismatch). */
export function gradientMagnitudes(history: HistorySnapshot): {
  steps: number[];
  magnitudes: number[][];
} {
  const p = history.gradients[0]?.length ?? 0;
  return {
    steps: history.steps,
    magnitudes: Array.from({ length: p }, (_, a) => history.gradients.map((g) => Math.abs(g[a]!))),
  };
}

/** θ_fit/θ_true per parameter. */
export function fitRatios(
  names: readonly string[],
  fitted: ArrayLike<number>,
  truth: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    if (n in truth) out[n] = fitted[i]! / truth[n]!;
  });
  return out;
}

/** (θa/θb)_fit / (θa/θb)_true along a run, e.g. (k/alpha) as in the report's figure 18b. */
export function pairRatioSeries(
  history: HistorySnapshot,
  names: readonly string[],
  a: string,
  b: string,
  truth: Readonly<Record<string, number>>,
): number[] {
  const ia = names.indexOf(a),
    ib = names.indexOf(b);
  const trueRatio = truth[a]! / truth[b]!;
  return history.parameters.map((t) => t[ia]! / t[ib]! / trueRatio);
}
