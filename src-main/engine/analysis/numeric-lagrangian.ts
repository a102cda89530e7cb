import { solveInPlace } from '../dynamics';
import { EngineError } from '../errors';
import type { Jet } from '../models/jets';
import type { RolloutSystem } from './rollout';

/**
 * A learned Lagrangian evaluated at one state in float64 with its first and second derivatives
 * over x = (q, q̇): the neural families' route to rollouts, energies and fixed points.
 */
export interface NumericLagrangian {
  readonly d: number;
  at(q: ArrayLike<number>, qd: ArrayLike<number>): Jet;
}

/** L's derivatives at one state, as blocks: the fixed-point search's inputs (at q̇ = 0). */
export interface LagrangianBlocks {
  /** ∂L/∂q */
  readonly g: number[];
  /** ∂²L/∂q² */
  readonly K: number[][];
  /** ∂²L/∂q̇² */
  readonly M: number[][];
  /** C_ij = ∂²L/∂q̇_i∂q_j */
  readonly C: number[][];
}

export function blocksAt(L: NumericLagrangian, q: readonly number[]): LagrangianBlocks {
  const d = L.d;
  const jet = L.at(q, new Float64Array(d));
  const H = (a: number, b: number) => jet.hessian[a * 2 * d + b]!;
  const square = (f: (i: number, j: number) => number) =>
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => f(i, j)));
  return {
    g: Array.from(jet.gradient.subarray(0, d)),
    K: square((i, j) => H(i, j)),
    M: square((i, j) => H(d + i, d + j)),
    C: square((i, j) => H(d + i, j)),
  };
}

/**
 * Rollouts of a numeric Lagrangian: M q̈ = ∂L/∂q − (∂²L/∂q̇∂q) q̇ with M = ∂²L/∂q̇², and the
 * energy E = q̇·∂L/∂q̇ − L of the same L.
 */
export function numericRolloutSystem(L: NumericLagrangian): RolloutSystem {
  const d = L.d;
  const m = 2 * d;
  return {
    d,
    acceleration(q, qd) {
      const jet = L.at(q, qd);
      const M = new Float64Array(d * d);
      const f = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let fi = jet.gradient[i]!;
        for (let j = 0; j < d; j++) {
          M[i * d + j] = jet.hessian[(d + i) * m + d + j]!;
          fi -= jet.hessian[(d + i) * m + j]! * qd[j]!;
        }
        f[i] = fi;
      }
      const out = new Float64Array(d);
      if (!solveInPlace(M, f, out, d))
        throw new EngineError(
          'singular-mass',
          'The learned mass matrix ∂²L/∂q̇² became singular along the trajectory',
        );
      return out;
    },
    energy(q, qd) {
      const jet = L.at(q, qd);
      let e = -jet.value;
      for (let i = 0; i < d; i++) e += qd[i]! * jet.gradient[d + i]!;
      return e;
    },
  };
}
