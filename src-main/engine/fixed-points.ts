import { eigenvalues as eigenvaluesOf } from './analysis/eigenvalues';
import { EngineError } from './errors';
import { differentiate } from './expression/differentiate';
import { evaluateF64 } from './expression/evaluate-f64';
import { num, substitute, type Expr } from './expression/ir';
import { compileProgram } from './expression/program';
import { invertSmall, solveInPlace } from './dynamics';
import { bounds, type Interval } from './sampling';
import type { FixedPoint, Stability } from '../../src-shared/dto/fixed-point';
import type { LagrangianBlocks } from './analysis/numeric-lagrangian';
export type { FixedPoint, Stability };

export interface FixedPointOptions {
  /** Starts per coordinate of the start grid (default 8: 64 starts in 2D). */
  readonly startsPerAxis?: number;
  readonly maxIterations?: number;
}

/**
 * Equilibria inside a window: zeros of ∂L/∂q at q̇ = 0 (where q̈ = M⁻¹ ∂L/∂q vanishes),
 * by Levenberg–Marquardt from a grid of starts, deduplicated. Stability from the
 * linearisation  δq̈ = M⁻¹ [K δq + (Cᵀ − C) δq̇],  K = ∂²L/∂q², C_ij = ∂²L/∂q̇_i∂q_j.
 */
export function findFixedPoints(
  lagrangian: Expr,
  coordinates: readonly string[],
  velocities: readonly string[],
  parameterValues: Readonly<Record<string, number>>,
  window: readonly Interval[],
  options: FixedPointOptions = {},
): FixedPoint[] {
  const d = coordinates.length;
  const values = new Map<string, Expr>(
    Object.entries(parameterValues).map(([k, v]) => [k, num(v)]),
  );
  const L = substitute(lagrangian, values);
  const atRest = new Map<string, Expr>(velocities.map((v) => [v, num(0)]));
  const gradient = coordinates.map((c) => substitute(differentiate(L, c), atRest));
  const hessian = gradient.map((g) => coordinates.map((c) => differentiate(g, c)));
  const dLdqd = velocities.map((v) => differentiate(L, v));
  const mass = dLdqd.map((row) => velocities.map((v) => substitute(differentiate(row, v), atRest)));
  const mixed = dLdqd.map((row) =>
    coordinates.map((c) => substitute(differentiate(row, c), atRest)),
  );
  const program = compileProgram(
    [...gradient, ...hessian.flat(), ...mass.flat(), ...mixed.flat()],
    coordinates,
  );
  const evaluate = (q: readonly number[]) => {
    const env = Object.create(null) as Record<string, Float64Array>;
    coordinates.forEach((c, i) => (env[c] = Float64Array.of(q[i]!)));
    const out = evaluateF64(program, env, 1).map((v) => (typeof v === 'number' ? v : v[0]!));
    const take = (offset: number, rows: number) =>
      Array.from({ length: rows }, (_, i) => out.slice(offset + i * d, offset + (i + 1) * d));
    return { g: out.slice(0, d), K: take(d, d), M: take(d + d * d, d), C: take(d + 2 * d * d, d) };
  };
  return findFixedPointsOf(evaluate, window, options);
}

/**
 * The search itself, for any Lagrangian whose derivatives at rest can be evaluated (a symbolic
 * one above, or a network's through float64 jets).
 */
export function findFixedPointsOf(
  evaluate: (q: readonly number[]) => LagrangianBlocks,
  window: readonly Interval[],
  options: FixedPointOptions = {},
): FixedPoint[] {
  const d = window.length;

  const box = window.map(bounds);
  const scale = Math.max(...box.map((b) => b.max - b.min));
  const perAxis = options.startsPerAxis ?? (d <= 2 ? 8 : d === 3 ? 4 : 2);
  const maxIterations = options.maxIterations ?? 100;
  const found: FixedPoint[] = [];
  const total = perAxis ** d;
  for (let s = 0; s < total; s++) {
    const start = box.map((b, i) => {
      const k = Math.floor(s / perAxis ** i) % perAxis;
      return b.min + ((k + 0.5) / perAxis) * (b.max - b.min);
    });
    const q = levenbergMarquardt(start, evaluate, maxIterations, scale);
    if (!q) continue;
    const inside = q.every(
      (x, i) => x >= box[i]!.min - 1e-9 * scale && x <= box[i]!.max + 1e-9 * scale,
    );
    if (!inside) continue;
    if (
      found.some((f) => f.q.every((x, i) => Math.abs(x - q[i]!) < 1e-7 * Math.max(scale, 1e-300)))
    )
      continue;
    const { g, K, M, C } = evaluate(q);
    found.push({ q, residual: Math.hypot(...g), ...linearStability(K, M, C) });
  }
  return found.sort((a, b) => a.q[0]! - b.q[0]! || (a.q[1] ?? 0) - (b.q[1] ?? 0));
}

function levenbergMarquardt(
  start: number[],
  evaluate: (q: readonly number[]) => { g: number[]; K: number[][] },
  maxIterations: number,
  scale: number,
): number[] | null {
  const d = start.length;
  let q = start.slice();
  let { g, K } = evaluate(q);
  let norm = Math.hypot(...g);
  if (!Number.isFinite(norm)) return null;
  let lambda = 1e-3;
  for (let it = 0; it < maxIterations; it++) {
    // (KᵀK + λ diag(KᵀK)) δ = −Kᵀ g
    const A = new Float64Array(d * d);
    const b = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += K[k]![i]! * K[k]![j]!;
        A[i * d + j] = s;
      }
      let s = 0;
      for (let k = 0; k < d; k++) s += K[k]![i]! * g[k]!;
      b[i] = -s;
    }
    for (let i = 0; i < d; i++) A[i * d + i] = A[i * d + i]! * (1 + lambda) + 1e-300;
    const delta = new Float64Array(d);
    if (!solveInPlace(A, b, delta, d)) return null;
    const trial = q.map((x, i) => x + delta[i]!);
    const next = evaluate(trial);
    const nextNorm = Math.hypot(...next.g);
    if (Number.isFinite(nextNorm) && nextNorm < norm) {
      q = trial;
      g = next.g;
      K = next.K;
      norm = nextNorm;
      lambda = Math.max(lambda / 10, 1e-12);
      if (Math.hypot(...delta) <= 1e-15 * Math.max(scale, Math.hypot(...q))) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  // Accept only true zeros: the gradient must be tiny relative to its local curvature scale.
  const curvature = Math.max(...K.flat().map(Math.abs), 1e-300);
  return norm <= 1e-9 * curvature * Math.max(scale, 1e-12) ? q : null;
}

function linearStability(
  K: number[][],
  M: number[][],
  C: number[][],
): Pick<FixedPoint, 'eigenvalues' | 'stability'> {
  const d = K.length;
  const inv = invertSmall(M);
  const J = Array.from({ length: 2 * d }, () => new Array<number>(2 * d).fill(0));
  const set = (i: number, j: number, v: number) => (J[i]![j] = v);
  if (inv) {
    for (let i = 0; i < d; i++) {
      set(i, d + i, 1);
      for (let j = 0; j < d; j++) {
        let k = 0;
        let g = 0;
        for (let l = 0; l < d; l++) {
          k += inv[i]![l]! * K[l]![j]!;
          g += inv[i]![l]! * (C[j]![l]! - C[l]![j]!);
        }
        set(i, j, 0);
        set(d + i, j, k);
        set(d + i, d + j, g);
      }
    }
  }
  const found = eigenvaluesOf(J);
  if (!found)
    throw new EngineError(
      'no-convergence',
      'The eigenvalues of the linearised motion at an equilibrium did not converge',
    );
  const eigenvalues = [...found].sort((a, b) => b.re - a.re || b.im - a.im);
  const magnitude = Math.max(...eigenvalues.map((e) => Math.hypot(e.re, e.im)), 1e-300);
  const tol = 1e-7 * magnitude;
  const maxRe = Math.max(...eigenvalues.map((e) => e.re));
  const stability: Stability =
    maxRe > tol
      ? 'unstable'
      : eigenvalues.every((e) => e.re < -tol)
        ? 'asymptotically stable'
        : 'stable';
  return { eigenvalues, stability };
}
