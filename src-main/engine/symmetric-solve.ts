/*
 * M x = r for the mass matrix, written once over an arithmetic: numbers, tfjs tensors (a batch
 * per element), or a kernel's SIMD locals (each operation emits instructions). M is symmetric
 * and positive definite for a physical Lagrangian, so no pivoting; the float64 per-point route
 * (dynamics.ts `solveInPlace`) pivots, as it also serves the checks of unphysical ones.
 */

/** The operations a solve is written in. */
export interface Arithmetic<T extends object | number> {
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
}

/**
 * Factor M (given by entry, symmetric: only i ≤ k is read) once; the returned function solves for
 * any right-hand side. d = 1: x = r / m; d = 2: [a b; b c]⁻¹ = [c −b; −b a] / (ac − b²); above,
 * elimination in column order, then back-substitution.
 */
export function symmetricSolver<T extends object | number>(
  ar: Arithmetic<T>,
  d: number,
  M: (i: number, k: number) => T,
): (r: readonly T[]) => T[] {
  const m = (i: number, k: number) => (i <= k ? M(i, k) : M(k, i));
  if (d === 1) return (r) => [ar.div(r[0]!, m(0, 0))];
  if (d === 2) {
    const [a, b, c] = [m(0, 0), m(0, 1), m(1, 1)];
    const det = ar.sub(ar.mul(a, c), ar.mul(b, b));
    return (r) => [
      ar.div(ar.sub(ar.mul(c, r[0]!), ar.mul(b, r[1]!)), det),
      ar.div(ar.sub(ar.mul(a, r[1]!), ar.mul(b, r[0]!)), det),
    ];
  }
  const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, k) => m(i, k)));
  const factors: T[][] = Array.from({ length: d }, () => []);
  for (let col = 0; col < d; col++)
    for (let row = col + 1; row < d; row++) {
      const factor = ar.div(A[row]![col]!, A[col]![col]!);
      factors[col]![row] = factor;
      for (let k = col; k < d; k++) A[row]![k] = ar.sub(A[row]![k]!, ar.mul(factor, A[col]![k]!));
    }
  return (rhs) => {
    const b = [...rhs];
    for (let col = 0; col < d; col++)
      for (let row = col + 1; row < d; row++)
        b[row] = ar.sub(b[row]!, ar.mul(factors[col]![row]!, b[col]!));
    const x = new Array<T>(d);
    for (let row = d - 1; row >= 0; row--) {
      let sum = b[row]!;
      for (let k = row + 1; k < d; k++) sum = ar.sub(sum, ar.mul(A[row]![k]!, x[k]!));
      x[row] = ar.div(sum, A[row]![row]!);
    }
    return x;
  };
}
