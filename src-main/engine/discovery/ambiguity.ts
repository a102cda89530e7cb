import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { householder } from '../training/least-squares';

/*
 * Do the data decide the Lagrangian? On the data's own q̈ (on shell), every θ with A θ ≈ 0 gives
 * the same motion, where A holds the Euler–Lagrange columns of the normalisation term and the
 * candidates (identities — constants, total derivatives, dependent terms — were screened out off
 * shell, so what remains is physics, not gauge). The true L is one such direction; each further
 * one is a Lagrangian ΔL whose multiples can be added without changing the motion on these data:
 * e.g. for a linear chain q̈ = −K q, every L = ½ q̇ᵀS q̇ − ½ qᵀSK q with S a polynomial in K.
 */

/** Singular directions count as "null" within this factor of the smallest (noise level). */
const NOISE_FACTOR = 4;
/** …or below this fraction of the largest singular value squared (rounding, exact data). */
const ROUNDING = 1e-22;

export interface AmbiguityDirection {
  /** ΔL's coefficient per column (in the columns' own units), the largest at ±1. */
  readonly coefficients: number[];
}

export interface OnShellFamily {
  /** Dimension of the family of Lagrangians (with the normalisation fixed) the data admit. */
  readonly dimension: number;
  readonly directions: AmbiguityDirection[];
  /** σ² of the first direction past the family over σ²_min (how clearly the rest is decided). */
  readonly gap: number;
}

/**
 * The on-shell family through the columns (first: the normalisation term's). Columns are scaled
 * to unit norm (so the test does not depend on units), factored by Householder QR and the SVD of
 * R; null directions with a zero normalisation component span the family's directions.
 */
export function onShellFamily(columns: readonly Float64Array[]): OnShellFamily {
  const p = columns.length;
  const norms = columns.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)) || 1);
  const cols = columns.map((c, i) => c.map((v) => v / norms[i]!));
  householder(cols, p);
  const R = new Matrix(p, p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) R.set(i, j, cols[j]![i]!);
  const svd = new SingularValueDecomposition(R, { autoTranspose: true });
  const order = svd.diagonal.map((s, k) => [s * s, k] as const).sort((a, b) => a[0] - b[0]);
  const smallest = order[0]![0];
  const largest = order.at(-1)![0];
  const bound = NOISE_FACTOR * smallest + ROUNDING * largest;
  const nullIdx = order.filter(([s2]) => s2 <= bound).map(([, k]) => k);
  const next = order[nullIdx.length]?.[0];
  const V = svd.rightSingularVectors;
  // null vectors as columns; directions = combinations with no normalisation component
  const basis = nullIdx.map((k) => Array.from({ length: p }, (_, i) => V.get(i, k)));
  const directions = familyDirections(basis).map((v) => {
    const coefficients = v.map((x, i) => x / norms[i]!);
    const top = coefficients.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0) || 1;
    return { coefficients: coefficients.map((x) => (Math.abs(x / top) < 1e-9 ? 0 : x / top)) };
  });
  return {
    dimension: directions.length,
    directions,
    gap: next === undefined ? Infinity : next / Math.max(smallest, ROUNDING * largest),
  };
}

/** An orthonormal basis of {Σ a_k b_k : Σ a_k b_k[0] = 0} (Gram–Schmidt after one elimination). */
function familyDirections(basis: number[][]): number[][] {
  if (basis.length <= 1) return [];
  // the vector with the largest normalisation component absorbs it from the others
  const pivot = basis.reduce((b, v, k) => (Math.abs(v[0]!) > Math.abs(basis[b]![0]!) ? k : b), 0);
  const pv = basis[pivot]!;
  const rest = basis
    .filter((_, k) => k !== pivot)
    .map((v) => (pv[0] === 0 ? v : v.map((x, i) => x - (v[0]! / pv[0]!) * pv[i]!)));
  const out: number[][] = [];
  for (const v of rest) {
    const w = [...v];
    for (const u of out) {
      const dot = w.reduce((s, x, i) => s + x * u[i]!, 0);
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - dot * u[i]!;
    }
    const n = Math.hypot(...w);
    if (n > 1e-8) out.push(w.map((x) => x / n));
  }
  return out;
}
