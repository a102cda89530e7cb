/*
 * Explicit Runge–Kutta methods as data and the one stepper that runs them (after SciPy's
 * integrate/_ivp/rk.py): the rollout's RK4 and Dormand–Prince 5(4).
 */
/** y + h Σ c_j k_j over the nonzero c_j (a zero weight never touches a stage). */
function combine(y: Float64Array, h: number, c: readonly number[], k: readonly Float64Array[]) {
  const out = Float64Array.from(y);
  c.forEach((cj, j) => {
    if (cj === 0) return;
    const kj = k[j]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + h * cj * kj[i]!;
  });
  return out;
}

/**
 * An explicit Runge–Kutta method as data, after SciPy's integrate/_ivp/rk.py: the stage matrix
 * A (row i: the weights of stages 0 … i − 1), the weights b and, for an embedded pair, E = b − b̂
 * over the stages and the first-same-as-last stage f(t + h, y₁), so the error of a step is
 * h Σ E_j k_j.
 */
export interface Tableau {
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly e?: readonly number[];
}

/** The classical fourth-order method. */
export const RK4: Tableau = {
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
};

/** Dormand–Prince 5(4): fifth-order steps, a fourth-order embedded error estimate. */
export const DOPRI5: Tableau = {
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  e: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
};

/**
 * One step of a tableau from y with f(y) = f0 given: k_i = f(y + h Σ_j a_ij k_j),
 * y₁ = y + h Σ b_i k_i. Returns y₁ and the stages (with f(y₁) appended for an embedded pair).
 */
export function rkStep(
  f: (y: Float64Array) => Float64Array,
  tableau: Tableau,
  y: Float64Array,
  f0: Float64Array,
  h: number,
) {
  const k: Float64Array[] = [f0];
  for (let i = 1; i < tableau.a.length; i++) k.push(f(combine(y, h, tableau.a[i]!, k)));
  const y1 = combine(y, h, tableau.b, k);
  if (tableau.e) k.push(f(y1));
  return { y1, k };
}

/** max_i |h Σ_j E_j k_ji| / (tol (1 + max(|y_i|, |y₁_i|))): ≤ 1 accepts the step. */
export function errorNorm(
  e: readonly number[],
  k: readonly Float64Array[],
  y: Float64Array,
  y1: Float64Array,
  h: number,
  tol: number,
) {
  let err = 0;
  for (let i = 0; i < y.length; i++) {
    let ei = 0;
    for (let j = 0; j < e.length; j++) ei += e[j]! * k[j]![i]!;
    const scale = tol * (1 + Math.max(Math.abs(y[i]!), Math.abs(y1[i]!)));
    err = Math.max(err, Math.abs(h * ei) / scale);
  }
  return err;
}
