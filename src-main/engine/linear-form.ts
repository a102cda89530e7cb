import { differentiate } from './expression/differentiate';
import { evaluateF64, type F64Value } from './expression/evaluate-f64';
import { dependsOn, num, substitute, type Expr } from './expression/ir';
import { compileProgram } from './expression/program';
import { solveInPlace, type EquationsOfMotion } from './dynamics';
import { EngineError } from './errors';

/**
 * For models whose q̈ is affine in the parameters θ (M independent of θ, f affine in θ):
 *   q̈(θ) = a0 + Σ_a θ_a A_a,   a0 = M⁻¹ f(θ = 0),   A_a = M⁻¹ ∂f/∂θ_a.
 * Then the q̈ loss is exactly quadratic in θ: that gives the exact solve, the Gram-matrix
 * landscape and a matmul training route.
 */
export interface LinearStructure {
  readonly offsetForce: readonly Expr[];
  readonly forceColumns: readonly (readonly Expr[])[]; // [parameter][component]
}

/** The affine structure of q̈ in the symbolic parameters, or null if q̈ is not affine in them. */
export function linearStructure(eom: EquationsOfMotion): LinearStructure | null {
  const params = new Set(eom.symbolicParameters);
  if (params.size === 0) return null;
  if (eom.massMatrix.some((row) => row.some((e) => dependsOn(e, params)))) return null;
  const forceColumns: Expr[][] = [];
  for (const p of eom.symbolicParameters) {
    const column = eom.force.map((f) => differentiate(f, p));
    if (column.some((e) => dependsOn(e, params))) return null;
    forceColumns.push(column);
  }
  const zero = new Map<string, Expr>(eom.symbolicParameters.map((p) => [p, num(0)]));
  return { offsetForce: eom.force.map((f) => substitute(f, zero)), forceColumns };
}

/**
 * a0 and the columns A_a over a set of samples, float64, flattened component-major (comp·n + s).
 */
export interface LinearForm {
  readonly n: number;
  readonly d: number;
  readonly p: number;
  readonly offset: Float64Array; // length d·n
  readonly columns: Float64Array[]; // p arrays of length d·n
}

export function evaluateLinearForm(
  eom: EquationsOfMotion,
  structure: LinearStructure,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
): LinearForm {
  const d = eom.coordinates.length;
  const p = structure.forceColumns.length;
  const n = q[0]!.length;
  const outputs: Expr[] = [...structure.offsetForce, ...structure.forceColumns.flat()];
  const constantMass = eom.constantMassInverse;
  if (!constantMass) outputs.push(...eom.massMatrix.flat());
  const inputs = [...eom.coordinates, ...eom.velocities];
  const program = compileProgram(outputs, inputs);
  const env = Object.create(null) as Record<string, F64Value>;
  eom.coordinates.forEach((c, i) => (env[c] = q[i]!));
  eom.velocities.forEach((v, i) => (env[v] = qd[i]!));
  const out = evaluateF64(program, env, n);
  const at = (v: F64Value, s: number) => (typeof v === 'number' ? v : v[s]!);
  const rhsCount = 1 + p;
  const result = Array.from({ length: rhsCount }, () => new Float64Array(d * n));
  const M = new Float64Array(d * d);
  const b = new Float64Array(d);
  const x = new Float64Array(d);
  let singular = 0;
  for (let r = 0; r < rhsCount; r++) {
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < d; i++) b[i] = at(out[r * d + i]!, s);
      if (constantMass) {
        for (let i = 0; i < d; i++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += constantMass[i]![j]! * b[j]!;
          result[r]![i * n + s] = sum;
        }
        continue;
      }
      for (let i = 0; i < d * d; i++) M[i] = at(out[rhsCount * d + i]!, s);
      if (!solveInPlace(M, b, x, d)) {
        singular++;
        for (let i = 0; i < d; i++) result[r]![i * n + s] = NaN;
      } else for (let i = 0; i < d; i++) result[r]![i * n + s] = x[i]!;
    }
  }
  if (singular > 0)
    throw new EngineError(
      'singular-mass',
      `The model's mass matrix is singular at ${singular / rhsCount} samples`,
    );
  return { n, d, p, offset: result[0]!, columns: result.slice(1) };
}
