import * as tf from './tf';
import { differentiate } from './expression/differentiate';
import { ExpressionError } from './expression/errors';
import {
  createWorkspace,
  evaluateF64,
  type F64Value,
  type F64Workspace,
} from './expression/evaluate-f64';
import { evaluateTensor, type TensorValue } from './expression/evaluate-tensor';
import {
  dependsOn,
  mul,
  num,
  sub,
  substitute,
  sym,
  withNodeBudget,
  type Expr,
} from './expression/ir';
import { compileProgram, type Program } from './expression/program';
import { symmetricSolver, type Arithmetic } from './symmetric-solve';

/**
 * The Euler–Lagrange equations of L in the form  M(q, q̇) q̈ = f(q, q̇)  with
 *   M_ij = ∂²L/∂q̇_i∂q̇_j   (mass matrix)
 *   C_ij = ∂²L/∂q̇_i∂q_j    (mixed term)
 *   f_i  = ∂L/∂q_i − Σ_j C_ij q̇_j
 * derived symbolically once; parameters not listed as symbolic are folded in as numbers.
 */
export interface EquationsOfMotion {
  readonly coordinates: readonly string[];
  readonly velocities: readonly string[];
  /** Parameters kept as inputs (the learnable ones); all others were substituted. */
  readonly symbolicParameters: readonly string[];
  readonly massMatrix: readonly (readonly Expr[])[];
  readonly force: readonly Expr[];
  /** M⁻¹ when M folded to numbers (e.g. the identity for unit masses), else null. */
  readonly constantMassInverse: readonly (readonly number[])[] | null;
  /** Outputs: f_0…f_{d−1}, then M's upper triangle row by row (only when M is not constant). */
  readonly program: Program;
}

/**
 * New expression nodes a derivation may build: the double pendulum needs about 2 000, the
 * elastic and coupled systems a few thousand; 200 000 (tens of MB, well under a second) leaves
 * wide room while a blow-up is refused quickly.
 */
export const DERIVATION_NODE_BUDGET = 200_000;

export function equationsOfMotion(
  lagrangian: Expr,
  coordinates: readonly string[],
  velocities: readonly string[],
  parameterValues: Readonly<Record<string, number>>,
  symbolicParameters: readonly string[] = [],
): EquationsOfMotion {
  const keep = new Set(symbolicParameters);
  const fixed = new Map<string, Expr>();
  for (const [name, value] of Object.entries(parameterValues))
    if (!keep.has(name)) fixed.set(name, num(value));
  const L = substitute(lagrangian, fixed);
  const d = coordinates.length;
  if (!dependsOn(L, new Set(velocities))) {
    throw new ExpressionError(
      'no-velocity',
      `The Lagrangian does not depend on any velocity (${velocities.join(', ')}): it has no kinetic term, so it defines no accelerations`,
    );
  }
  // Hash-consed and memoised, so repeated factors cost once; a blow-up ends with `too-complex`.
  const { massMatrix, force } = withNodeBudget(
    DERIVATION_NODE_BUDGET,
    'Deriving the Euler–Lagrange equations',
    () => {
      const dLdqd = velocities.map((v) => differentiate(L, v));
      const dLdq = coordinates.map((c) => differentiate(L, c));
      const massMatrix = dLdqd.map((row) => velocities.map((v) => differentiate(row, v)));
      const force = dLdq.map((dq, i) =>
        coordinates.reduce<Expr>(
          (acc, c, j) => sub(acc, mul(differentiate(dLdqd[i]!, c), sym(velocities[j]!))),
          dq,
        ),
      );
      return { massMatrix, force };
    },
  );
  const constant = massMatrix.every((row) => row.every((e) => e.kind === 'num'));
  let constantMassInverse: number[][] | null = null;
  if (constant) {
    const M = massMatrix.map((row) => row.map((e) => (e as { value: number }).value));
    constantMassInverse = invertSmall(M);
    if (!constantMassInverse) {
      throw new ExpressionError(
        'singular-mass',
        `The mass matrix ∂²L/∂q̇² = ${JSON.stringify(M)} is singular: L must be quadratic in every velocity with a non-degenerate kinetic term`,
      );
    }
  }
  const outputs: Expr[] = [...force];
  if (!constant)
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) outputs.push(massMatrix[i]![j]!);
  const inputs = [...coordinates, ...velocities, ...symbolicParameters];
  return {
    coordinates,
    velocities,
    symbolicParameters,
    massMatrix,
    force,
    constantMassInverse,
    program: compileProgram(outputs, inputs),
  };
}

/**
 * Position of M_ij (symmetric) in the program's outputs, which list M's upper triangle row by row.
 */
function upperIndex(i: number, j: number, d: number): number {
  const [r, c] = i <= j ? [i, j] : [j, i];
  return r * d - (r * (r - 1)) / 2 + (c - r);
}

const workspaces = new WeakMap<Program, F64Workspace>();
function workspaceOf(program: Program): F64Workspace {
  let w = workspaces.get(program);
  if (!w) workspaces.set(program, (w = createWorkspace()));
  return w;
}

/** Samples whose mass matrix is singular or too ill-conditioned to solve. */
export interface SingularReport {
  readonly count: number;
  /** Sample indices (at most the first 1000). */
  readonly indices: readonly number[];
}

export interface AccelerationResult {
  /** q̈ per coordinate, each of length n (NaN only at samples listed in `singular`). */
  readonly accelerations: Float64Array[];
  readonly singular: SingularReport;
  /** 1 at every singular sample (all of them, not only the first 1000), when any. */
  readonly singularMask?: Uint8Array;
}

/** Pivot ratio below which a per-sample mass matrix is treated as singular. */
export const SINGULAR_PIVOT_RATIO = 1e-12;

/**
 * q̈ for a batch in float64: q and q̇ per coordinate (length n), parameters as numbers.
 * M q̈ = f is solved per sample (Gaussian elimination with partial pivoting; closed forms for d ≤
 * 2).
 */
/* eslint-disable-next-line complexity --
   the per-point mass-matrix solve with its d = 1, 2 closed forms inline: every dataset's hot
   loop */
export function accelerationsF64(
  eom: EquationsOfMotion,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
  parameters: Readonly<Record<string, number>> = {},
): AccelerationResult {
  const d = eom.coordinates.length;
  const n = q[0]?.length ?? 0;
  const env = Object.create(null) as Record<string, F64Value>;
  eom.coordinates.forEach((c, i) => (env[c] = q[i]!));
  eom.velocities.forEach((v, i) => (env[v] = qd[i]!));
  for (const p of eom.symbolicParameters) {
    const value = parameters[p];
    if (value === undefined) throw new Error(`parameter ${p} needs a value`);
    env[p] = value;
  }
  const out = evaluateF64(eom.program, env, n, workspaceOf(eom.program));
  const f = out.slice(0, d);
  const accelerations = Array.from({ length: d }, () => new Float64Array(n));
  const singular: number[] = [];
  let singularCount = 0;
  let singularMask: Uint8Array | undefined;
  const at = (v: F64Value, s: number) => (typeof v === 'number' ? v : v[s]!);
  if (eom.constantMassInverse) {
    // q̈_i = Σ_j (M⁻¹)_ij f_j, column by column (M⁻¹ = I for unit masses: a plain copy)
    const inv = eom.constantMassInverse;
    for (let i = 0; i < d; i++) {
      const acc = accelerations[i]!;
      for (let j = 0; j < d; j++) {
        const c = inv[i]![j]!;
        if (c === 0) continue;
        const fj = f[j]!;
        if (typeof fj === 'number') {
          for (let s = 0; s < n; s++) acc[s] = acc[s]! + c * fj;
          continue;
        }
        if (c === 1) for (let s = 0; s < n; s++) acc[s] = acc[s]! + fj[s]!;
        else for (let s = 0; s < n; s++) acc[s] = acc[s]! + c * fj[s]!;
      }
    }
    return { accelerations, singular: { count: 0, indices: [] } };
  }
  const mEntries = out.slice(d);
  const idx = (i: number, j: number) => upperIndex(i, j, d);
  const M = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const x = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) {
      rhs[i] = at(f[i]!, s);
      for (let j = 0; j < d; j++) M[i * d + j] = at(mEntries[idx(i, j)]!, s);
    }
    if (solveInPlace(M, rhs, x, d)) {
      for (let i = 0; i < d; i++) accelerations[i]![s] = x[i]!;
    } else {
      for (let i = 0; i < d; i++) accelerations[i]![s] = NaN;
      singularCount++;
      (singularMask ??= new Uint8Array(n))[s] = 1;
      if (singular.length < 1000) singular.push(s);
    }
  }
  return {
    accelerations,
    singular: { count: singularCount, indices: singular },
    ...(singularMask ? { singularMask } : {}),
  };
}

/** Solve M x = b (row-major d×d, destroyed) with partial pivoting; false when singular. */
export function solveInPlace(
  M: Float64Array,
  b: Float64Array,
  x: Float64Array,
  d: number,
): boolean {
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(M[i]!));
  if (!(scale > 0) || !Number.isFinite(scale)) return false;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++)
      if (Math.abs(M[r * d + col]!) > Math.abs(M[pivot * d + col]!)) pivot = r;
    if (!(Math.abs(M[pivot * d + col]!) > SINGULAR_PIVOT_RATIO * scale)) return false;
    if (pivot !== col) {
      for (let c = 0; c < d; c++) {
        const t = M[col * d + c]!;
        M[col * d + c] = M[pivot * d + c]!;
        M[pivot * d + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    const p = M[col * d + col]!;
    for (let r = col + 1; r < d; r++) {
      const factor = M[r * d + col]! / p;
      if (factor === 0) continue;
      for (let c = col; c < d; c++) M[r * d + c] = M[r * d + c]! - factor * M[col * d + c]!;
      b[r] = b[r]! - factor * b[col]!;
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let sum = b[r]!;
    for (let c = r + 1; c < d; c++) sum -= M[r * d + c]! * x[c]!;
    x[r] = sum / M[r * d + r]!;
  }
  return true;
}

/** Inverse of a small dense matrix, or null if singular. */
export function invertSmall(M: readonly (readonly number[])[]): number[][] | null {
  const d = M.length;
  const inv: number[][] = [];
  for (let col = 0; col < d; col++) {
    const A = new Float64Array(M.flat());
    const b = new Float64Array(d);
    b[col] = 1;
    const x = new Float64Array(d);
    if (!solveInPlace(A, b, x, d)) return null;
    inv.push([...x]);
  }
  // inv holds columns; transpose to rows.
  return inv[0]!.map((_, i) => inv.map((column) => column[i]!));
}

/**
 * q̈ as tensors, for training and landscapes: `env` maps coordinates, velocities and the
 * symbolic parameters to tensors or numbers (broadcasting). Differentiable with tfjs autodiff.
 * M is inverted in closed form for d ≤ 2 and by unrolled elimination (no pivoting: M is
 * symmetric positive definite for physical Lagrangians) above. Call inside tf.tidy.
 */
export function accelerationsTensor(
  eom: EquationsOfMotion,
  env: Readonly<Record<string, TensorValue>>,
): tf.Tensor[] {
  const d = eom.coordinates.length;
  const out = evaluateTensor(eom.program, env);
  const f = out.slice(0, d).map(toTensor);
  if (eom.constantMassInverse) {
    const inv = eom.constantMassInverse;
    return inv.map((row) => {
      let acc: tf.Tensor | undefined;
      row.forEach((c, j) => {
        if (c === 0) return;
        const term = c === 1 ? f[j]! : tf.mul(f[j]!, c);
        acc = acc ? tf.add(acc, term) : term;
      });
      return acc ?? tf.zerosLike(f[0]!);
    });
  }
  const m = out.slice(d).map(toTensor);
  const M = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => m[upperIndex(i, j, d)]!),
  );
  return solveMassTensor(M, f);
}

/**
 * Solve M x = f elementwise over a batch: M as a d×d array of tensors (symmetric), f as d
 * tensors (symmetric-solve.ts: closed form for d ≤ 2, elimination above). Differentiable.
 */
export function solveMassTensor(M: tf.Tensor[][], f: tf.Tensor[]): tf.Tensor[] {
  return symmetricSolver(TENSOR_ARITHMETIC, f.length, (i, k) => M[i]![k]!)(f);
}

const TENSOR_ARITHMETIC: Arithmetic<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
};

function toTensor(v: TensorValue): tf.Tensor {
  return typeof v === 'number' ? tf.scalar(v) : v;
}
