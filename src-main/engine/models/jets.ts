/**
 * Second-order jets in float64: a value with its gradient and Hessian over m inputs, carried
 * through sums, products and scalar functions (forward mode). A network's Lagrangian evaluated on
 * jets of (q, q̇) gives L, ∂L and ∂²L at one state exactly (to rounding), which is all a rollout,
 * its energy and the fixed-point search need, without tfjs and in double precision.
 */
export interface Jet {
  value: number;
  /** ∂/∂x_a, length m */
  readonly gradient: Float64Array;
  /** ∂²/∂x_a∂x_b, row-major m × m */
  readonly hessian: Float64Array;
}

export function constantJet(value: number, m: number): Jet {
  return { value, gradient: new Float64Array(m), hessian: new Float64Array(m * m) };
}

/** Input a of m, at `value`. */
export function variableJet(value: number, a: number, m: number): Jet {
  const j = constantJet(value, m);
  j.gradient[a] = 1;
  return j;
}

/** out += w · x (in place; the building block of a dense layer). */
export function addScaled(out: Jet, w: number, x: Jet): void {
  out.value += w * x.value;
  for (let i = 0; i < out.gradient.length; i++) out.gradient[i]! += w * x.gradient[i]!;
  for (let i = 0; i < out.hessian.length; i++) out.hessian[i]! += w * x.hessian[i]!;
}

/** (x·y)'' = x y'' + y x'' + x' y'ᵀ + y' x'ᵀ */
export function multiply(x: Jet, y: Jet): Jet {
  const m = x.gradient.length;
  const out = constantJet(x.value * y.value, m);
  for (let a = 0; a < m; a++) {
    out.gradient[a] = x.value * y.gradient[a]! + y.value * x.gradient[a]!;
    for (let b = 0; b < m; b++) {
      const k = a * m + b;
      out.hessian[k] =
        x.value * y.hessian[k]! +
        y.value * x.hessian[k]! +
        x.gradient[a]! * y.gradient[b]! +
        y.gradient[a]! * x.gradient[b]!;
    }
  }
  return out;
}

/** f(x) for scalar f with f, f′, f″ at x.value: (f∘x)'' = f″ x′x′ᵀ + f′ x″. */
export function applyScalar(x: Jet, f0: number, f1: number, f2: number): Jet {
  const m = x.gradient.length;
  const out = constantJet(f0, m);
  for (let a = 0; a < m; a++) {
    out.gradient[a] = f1 * x.gradient[a]!;
    for (let b = 0; b < m; b++) {
      const k = a * m + b;
      out.hessian[k] = f2 * x.gradient[a]! * x.gradient[b]! + f1 * x.hessian[k]!;
    }
  }
  return out;
}

/** The activations of the neural families with their first two derivatives. */
export const JET_ACTIVATIONS = {
  // tanh′ = 1 − t², tanh″ = −2t(1 − t²)
  tanh: (x: Jet) => {
    const t = Math.tanh(x.value);
    return applyScalar(x, t, 1 - t * t, -2 * t * (1 - t * t));
  },
  // softplus′ = σ, softplus″ = σ(1 − σ); log1p(eˣ) written to stay finite for large |x|
  softplus: (x: Jet) => {
    const v = x.value;
    const s = 1 / (1 + Math.exp(-v));
    const f = v > 30 ? v : v < -30 ? Math.exp(v) : Math.log1p(Math.exp(v));
    return applyScalar(x, f, s, s * (1 - s));
  },
  sin: (x: Jet) => applyScalar(x, Math.sin(x.value), Math.cos(x.value), -Math.sin(x.value)),
} as const;
