import type { FilterCheck, SampleCorrelation } from '../training/samples';
import { solveInPlace } from '../dynamics';
import { throwIfStopped } from '../errors';
import { differentiate } from '../expression/differentiate';
import { evaluateF64 } from '../expression/evaluate-f64';
import { add, mul, sub, sym, ZERO, type Expr } from '../expression/ir';
import { compileProgram, type Program } from '../expression/program';
import type { LibraryTerm, Variables } from './library';

/** Samples with their accelerations, one Float64Array of length n per component. */
export interface AccelerationSamples {
  readonly q: readonly Float64Array[];
  readonly qd: readonly Float64Array[];
  readonly qdd: readonly Float64Array[];
  /** Filtered from trajectories: errors correlated along each segment (intervals widen). */
  readonly correlation?: SampleCorrelation;
  readonly filterCheck?: FilterCheck;
}

/**
 * The Euler–Lagrange operator on one term, split where q̈ enters linearly:
 *   E_j[φ] = d/dt ∂φ/∂q̇_j − ∂φ/∂q_j = Σ_k H_jk q̈_k + g_j,
 *   H_jk = ∂²φ/∂q̇_j∂q̇_k (the term's mass contribution),
 *   g_j = Σ_k ∂²φ/∂q̇_j∂q_k q̇_k − ∂φ/∂q_j.
 * Outputs d² entries of H (row-major), then d of g.
 */
export function eulerLagrangeParts(term: Expr, { coordinates, velocities }: Variables): Expr[] {
  const mass: Expr[] = [];
  const force: Expr[] = [];
  coordinates.forEach((qj, j) => {
    const dVel = differentiate(term, velocities[j]!);
    let g: Expr = ZERO;
    coordinates.forEach((qk, k) => {
      mass.push(differentiate(dVel, velocities[k]!));
      g = add(g, mul(differentiate(dVel, qk), sym(velocities[k]!)));
    });
    force.push(sub(g, differentiate(term, qj)));
  });
  return [...mass, ...force];
}

/** One program for every term's parts (shared subexpressions computed once). */
export function compileParts(
  terms: readonly LibraryTerm[],
  variables: Variables,
  shouldStop?: () => boolean,
  onProgress?: (fraction: number) => void,
): Program {
  const outputs = terms.flatMap((t, i) => {
    throwIfStopped(shouldStop, 'Deriving the library terms');
    onProgress?.(i / terms.length);
    return eulerLagrangeParts(t.expr, variables);
  });
  return compileProgram(outputs, [...variables.coordinates, ...variables.velocities]);
}

/** Each term's H (d² arrays) and g (d arrays) at the samples. */
export interface TermParts {
  readonly n: number;
  readonly d: number;
  readonly mass: Float64Array[][];
  readonly force: Float64Array[][];
}

/** Samples evaluated per call: a stop check between chunks, and bounded scratch memory. */
const CHUNK = 1024;

export function evaluateParts(
  program: Program,
  termCount: number,
  data: Pick<AccelerationSamples, 'q' | 'qd'>,
  variables: Variables,
  shouldStop?: () => boolean,
): TermParts {
  const n = data.q[0]!.length;
  const d = variables.coordinates.length;
  const per = d * d + d;
  const outputs = Array.from({ length: termCount * per }, () => new Float64Array(n));
  for (let start = 0; start < n; start += CHUNK) {
    throwIfStopped(shouldStop, 'Evaluating the library terms');
    const end = Math.min(n, start + CHUNK);
    const env: Record<string, Float64Array> = {};
    variables.coordinates.forEach((name, j) => (env[name] = data.q[j]!.subarray(start, end)));
    variables.velocities.forEach((name, j) => (env[name] = data.qd[j]!.subarray(start, end)));
    evaluateF64(program, env, end - start).forEach((v, o) => {
      if (typeof v === 'number') outputs[o]!.fill(v, start, end);
      else outputs[o]!.set(v, start);
    });
  }
  const mass: Float64Array[][] = [];
  const force: Float64Array[][] = [];
  for (let i = 0; i < termCount; i++) {
    const slice = outputs.slice(i * per, (i + 1) * per);
    mass.push(slice.slice(0, d * d));
    force.push(slice.slice(d * d));
  }
  return { n, d, mass, force };
}

/**
 * The regression's columns: column i holds E_j[φ_i] = Σ_k H_jk q̈_k + g_j at every sample,
 * coordinate-major (row j·n + s). L = Σ θ_i φ_i moves like the data when Σ_i θ_i E[φ_i] = 0.
 */
export function designColumns(
  parts: TermParts,
  qdd: readonly Float64Array[],
  shouldStop?: () => boolean,
): Float64Array[] {
  const { n, d } = parts;
  return parts.mass.map((mass, i) => {
    throwIfStopped(shouldStop, 'The Euler–Lagrange columns');
    const column = new Float64Array(n * d);
    for (let j = 0; j < d; j++)
      for (let s = 0; s < n; s++) {
        let e = parts.force[i]![j]![s]!;
        for (let k = 0; k < d; k++) e += mass[j * d + k]![s]! * qdd[k]![s]!;
        column[j * n + s] = e;
      }
    return column;
  });
}

/**
 * q̈ predicted by L = Σ θ_i φ_i: M q̈ = −g with M = Σ θ_i H_i, g = Σ θ_i g_i, per sample.
 * NaN where M is singular (a degenerate Lagrangian does not determine the motion).
 */
export function predictAccelerations(parts: TermParts, theta: readonly number[]): Float64Array[] {
  const { n, d } = parts;
  const out = Array.from({ length: d }, () => new Float64Array(n));
  const M = new Float64Array(d * d);
  const b = new Float64Array(d);
  const x = new Float64Array(d);
  const active = theta.flatMap((t, i) => (t !== 0 ? [i] : []));
  for (let s = 0; s < n; s++) {
    M.fill(0);
    b.fill(0);
    for (const i of active) {
      const t = theta[i]!;
      for (let e = 0; e < d * d; e++) M[e] = M[e]! + t * parts.mass[i]![e]![s]!;
      for (let j = 0; j < d; j++) b[j] = b[j]! - t * parts.force[i]![j]![s]!;
    }
    const ok = solveInPlace(M, b, x, d);
    for (let j = 0; j < d; j++) out[j]![s] = ok ? x[j]! : NaN;
  }
  return out;
}
