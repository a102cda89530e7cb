/*
 * Eigenvalues of a small real matrix (the linearised dynamics at an equilibrium, 2d × 2d) that
 * always return. ml-matrix's EigenvalueDecomposition (JAMA's hqr2) has no iteration limit and
 * loops forever on some structured inputs — e.g. a charge in a magnetic field with a trap at a
 * fitted q·B = 2.0000005 — which froze a study's fixed-point phase. Here: Householder reduction
 * to Hessenberg form, then shifted QR in complex arithmetic (Givens rotations, Wilkinson shifts,
 * an exceptional shift every 10 iterations), deflating from the bottom; after 60 iterations per
 * eigenvalue without convergence it gives up (null) instead of hanging.
 */

export interface Complex {
  readonly re: number;
  readonly im: number;
}

const MAX_ITERATIONS_PER_EIGENVALUE = 60;

/** A in upper Hessenberg form by Householder reflections (similar to A). */
function hessenberg(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const H = A.map((row) => [...row]);
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += H[i]![k]! ** 2;
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (H[k + 1]![k]! > 0) alpha = -alpha;
    // v = x − αe₁ over rows k+1…n−1; P = I − 2vvᵀ/vᵀv applied from both sides
    const v = new Array<number>(n).fill(0);
    for (let i = k + 1; i < n; i++) v[i] = H[i]![k]!;
    v[k + 1] = v[k + 1]! - alpha;
    const vv = v.reduce((s, x) => s + x * x, 0);
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k + 1; i < n; i++) s += v[i]! * H[i]![j]!;
      const f = (2 * s) / vv;
      for (let i = k + 1; i < n; i++) H[i]![j] = H[i]![j]! - f * v[i]!;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += H[i]![j]! * v[j]!;
      const f = (2 * s) / vv;
      for (let j = k + 1; j < n; j++) H[i]![j] = H[i]![j]! - f * v[j]!;
    }
    for (let i = k + 2; i < n; i++) H[i]![k] = 0;
  }
  return H;
}

/** The eigenvalue of [[a, b], [c, d]] closest to d (Wilkinson's shift), complex entries. */
function wilkinson(a: Complex, b: Complex, c: Complex, d: Complex): Complex {
  // λ = (a + d)/2 ± √(((a − d)/2)² + bc)
  const hr = (a.re - d.re) / 2;
  const hi = (a.im - d.im) / 2;
  const dr = hr * hr - hi * hi + (b.re * c.re - b.im * c.im);
  const di = 2 * hr * hi + (b.re * c.im + b.im * c.re);
  const mod = Math.hypot(dr, di);
  let sr = Math.sqrt((mod + dr) / 2);
  let si = Math.sign(di) * Math.sqrt(Math.max(0, (mod - dr) / 2)) || 0;
  const mr = (a.re + d.re) / 2;
  const mi = (a.im + d.im) / 2;
  const one = { re: mr + sr, im: mi + si };
  const two = { re: mr - sr, im: mi - si };
  if (Math.hypot(one.re - d.re, one.im - d.im) > Math.hypot(two.re - d.re, two.im - d.im)) {
    sr = -sr;
    si = -si;
  }
  return { re: mr + sr, im: mi + si };
}

/** Eigenvalues of a real square matrix, or null if the QR iteration does not converge. */
export function eigenvalues(A: readonly (readonly number[])[]): Complex[] | null {
  const n = A.length;
  if (n === 0) return [];
  const re = hessenberg(A);
  const im = re.map((row) => row.map(() => 0));
  const scale = Math.max(...re.flat().map(Math.abs), Number.MIN_VALUE);
  const out: Complex[] = [];
  let m = n - 1;
  let iterations = 0;
  let budget = MAX_ITERATIONS_PER_EIGENVALUE;
  while (m >= 0) {
    if (m === 0) {
      out.push({ re: re[0]![0]!, im: im[0]![0]! });
      break;
    }
    // the unreduced block l…m: deflate where a subdiagonal entry is negligible
    let l = m;
    while (l > 0) {
      const sub = Math.hypot(re[l]![l - 1]!, im[l]![l - 1]!);
      const diag =
        Math.hypot(re[l]![l]!, im[l]![l]!) + Math.hypot(re[l - 1]![l - 1]!, im[l - 1]![l - 1]!);
      if (sub <= Number.EPSILON * (diag || scale)) break;
      l--;
    }
    if (l === m) {
      out.push({ re: re[m]![m]!, im: im[m]![m]! });
      re[m]![m - 1] = 0;
      im[m]![m - 1] = 0;
      m--;
      budget = MAX_ITERATIONS_PER_EIGENVALUE;
      continue;
    }
    if (budget-- <= 0) return null;
    iterations++;
    const at = (i: number, j: number): Complex => ({ re: re[i]![j]!, im: im[i]![j]! });
    let mu = wilkinson(at(m - 1, m - 1), at(m - 1, m), at(m, m - 1), at(m, m));
    if (iterations % 10 === 0) {
      // exceptional shift: breaks the cycles a structured matrix can fall into
      const kick = Math.abs(re[m]![m - 1]!) + Math.abs(re[m - 1]![m - 2 >= 0 ? m - 2 : 0]!);
      mu = { re: re[m]![m]! + 0.75 * kick, im: im[m]![m]! + 0.4375 * kick };
    }
    qrStep(re, im, l, m, mu);
  }
  return out;
}

/** One shifted QR step on rows/columns l…m: H − μI = QR, H ← RQ + μI (Givens rotations). */
function qrStep(re: number[][], im: number[][], l: number, m: number, mu: Complex): void {
  const n = re.length;
  for (let i = l; i <= m; i++) {
    re[i]![i] = re[i]![i]! - mu.re;
    im[i]![i] = im[i]![i]! - mu.im;
  }
  // rotation k zeroes (k+1, k): G = [[c̄, s̄], [−s, c]] with c = x/r, s = y/r, r = √(|x|² + |y|²)
  const rotations: Array<{ cr: number; ci: number; sr: number; si: number }> = [];
  for (let k = l; k < m; k++) {
    const xr = re[k]![k]!;
    const xi = im[k]![k]!;
    const yr = re[k + 1]![k]!;
    const yi = im[k + 1]![k]!;
    const r = Math.hypot(xr, xi, yr, yi);
    const g =
      r === 0 ? { cr: 1, ci: 0, sr: 0, si: 0 } : { cr: xr / r, ci: xi / r, sr: yr / r, si: yi / r };
    rotations.push(g);
    for (let j = k; j < n; j++) {
      const ar = re[k]![j]!;
      const ai = im[k]![j]!;
      const br = re[k + 1]![j]!;
      const bi = im[k + 1]![j]!;
      // row k ← c̄ a + s̄ b; row k+1 ← −s a + c b
      re[k]![j] = g.cr * ar + g.ci * ai + g.sr * br + g.si * bi;
      im[k]![j] = g.cr * ai - g.ci * ar + g.sr * bi - g.si * br;
      re[k + 1]![j] = -(g.sr * ar - g.si * ai) + (g.cr * br - g.ci * bi);
      im[k + 1]![j] = -(g.sr * ai + g.si * ar) + (g.cr * bi + g.ci * br);
    }
  }
  // H ← R Gᴴ: columns k, k+1 of each rotation, in order
  rotations.forEach((g, idx) => {
    const k = l + idx;
    for (let i = 0; i <= Math.min(k + 2, m); i++) {
      const ar = re[i]![k]!;
      const ai = im[i]![k]!;
      const br = re[i]![k + 1]!;
      const bi = im[i]![k + 1]!;
      // col k ← a c + b s; col k+1 ← −a s̄ + b c̄
      re[i]![k] = ar * g.cr - ai * g.ci + (br * g.sr - bi * g.si);
      im[i]![k] = ar * g.ci + ai * g.cr + (br * g.si + bi * g.sr);
      re[i]![k + 1] = -(ar * g.sr + ai * g.si) + (br * g.cr + bi * g.ci);
      im[i]![k + 1] = -(ai * g.sr - ar * g.si) + (bi * g.cr - br * g.ci);
    }
  });
  for (let i = l; i <= m; i++) {
    re[i]![i] = re[i]![i]! + mu.re;
    im[i]![i] = im[i]![i]! + mu.im;
  }
}
