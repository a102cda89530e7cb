import type { TermParts } from './euler-lagrange-columns';

/*
 * Physical admissibility of L = Σ θ_i φ_i: its kinetic Hessian M = ∂²L/∂q̇² = Σ θ_i H_i must be
 * definite at every point (positive for L = T − V; negative is the same motion under the gauge
 * L → −L, so one sign throughout is what counts). An indefinite M reproduces the data's q̈ but
 * has no positive kinetic energy: it is not a mechanical system's Lagrangian.
 */

/** ∂²L/∂q̇² definite at every checked point (candidates stored before the check count as such). */
export const admissible = (c: { indefinitePoints?: number | undefined }) =>
  (c.indefinitePoints ?? 0) === 0;

export interface KineticCheck {
  /** Points where M is not definite with the sign it has at most points. */
  readonly indefinitePoints: number;
  readonly checkedPoints: number;
}

/** Cholesky of sign·m (d × d, row-major, in `work`): true when positive definite. */
function positiveDefinite(m: Float64Array, work: Float64Array, d: number, sign: number): boolean {
  for (let e = 0; e < d * d; e++) work[e] = sign * m[e]!;
  for (let j = 0; j < d; j++) {
    let pivot = work[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= work[j * d + k]! ** 2;
    if (!(pivot > 0)) return false;
    const root = Math.sqrt(pivot);
    work[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let v = work[i * d + j]!;
      for (let k = 0; k < j; k++) v -= work[i * d + k]! * work[j * d + k]!;
      work[i * d + j] = v / root;
    }
  }
  return true;
}

/** M = Σ θ_i H_i at sample s, into `m`. */
function massAt(
  parts: TermParts,
  active: readonly number[],
  theta: ArrayLike<number>,
  s: number,
  m: Float64Array,
) {
  m.fill(0);
  for (const i of active) {
    const t = theta[i]!;
    const H = parts.mass[i]!;
    for (let e = 0; e < m.length; e++) m[e] = m[e]! + t * H[e]![s]!;
  }
}

/** +1 when m is positive definite, −1 when negative definite, 0 otherwise. */
export function definiteSign(m: Float64Array, work: Float64Array, d: number): 1 | -1 | 0 {
  if (positiveDefinite(m, work, d, 1)) return 1;
  if (positiveDefinite(m, work, d, -1)) return -1;
  return 0;
}

/** How many points of each sample set leave M = ∂²L/∂q̇² not definite (with the majority sign). */
export function kineticCheck(sets: readonly TermParts[], theta: ArrayLike<number>): KineticCheck {
  const d = sets[0]!.d;
  const active = Array.from(theta, (t, i) => (t !== 0 ? i : -1)).filter((i) => i >= 0);
  const m = new Float64Array(d * d);
  const work = new Float64Array(d * d);
  let positive = 0;
  let negative = 0;
  let checked = 0;
  for (const parts of sets)
    for (let s = 0; s < parts.n; s++) {
      massAt(parts, active, theta, s, m);
      checked++;
      if (positiveDefinite(m, work, d, 1)) positive++;
      else if (positiveDefinite(m, work, d, -1)) negative++;
    }
  return { indefinitePoints: checked - Math.max(positive, negative), checkedPoints: checked };
}

/** Eigenvalues of a symmetric d × d matrix (cyclic Jacobi; d ≤ 8), ascending. */
export function symmetricEigenvalues(matrix: Float64Array, d: number): number[] {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        // the rotation that zeroes a_pq: tan 2φ = 2 a_pq / (a_qq − a_pp)
        const tau = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
      }
  }
  return Array.from({ length: d }, (_, i) => a[i * d + i]!).sort((x, y) => x - y);
}

/** The eigenvalues of M at the point where its smallest (in the majority sign) is least. */
export function worstKineticEigenvalues(
  sets: readonly TermParts[],
  theta: ArrayLike<number>,
): number[] {
  const d = sets[0]!.d;
  const active = Array.from(theta, (t, i) => (t !== 0 ? i : -1)).filter((i) => i >= 0);
  const m = new Float64Array(d * d);
  let worst: number[] = [];
  let worstMin = Infinity;
  for (const parts of sets)
    for (let s = 0; s < parts.n; s++) {
      massAt(parts, active, theta, s, m);
      const eig = symmetricEigenvalues(m, d);
      if (eig[0]! < worstMin) {
        worstMin = eig[0]!;
        worst = eig;
      }
    }
  return worst;
}
