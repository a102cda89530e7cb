import * as tf from '../tf';
import { EngineError } from '../errors';
import type { SystemDefinition } from '../systems/system';
import { sigmoid, softplus } from './activations';
import { solveMassTensor } from '../dynamics';
import { autodiffAccelerations } from './autodiff-accelerations';
import { addScaled, constantJet, JET_ACTIVATIONS, multiply, variableJet, type Jet } from './jets';
import {
  checkActivation,
  initialiseMlp,
  mlpJets,
  mlpLayout,
  mlpNames,
  mlpTensor,
  mlpWithJacobian,
} from './mlp';
import type { CompiledModel, ModelSpec, TensorSamples } from './model';

type StructuredSpec = Extract<ModelSpec, { family: 'structured-neural' }>;

/** Default ε of M = LLᵀ + εI: keeps M invertible where the network's L(q) is near singular. */
export const DEFAULT_MASS_FLOOR = 1e-3;

/** Column j of a [n, k] tensor as [n]. */
const column = (t: tf.Tensor, j: number) => tf.reshape(tf.slice(t, [0, j], [-1, 1]), [-1]);

/** Lower-triangular entries (i ≥ j) in row order: (0,0), (1,0), (1,1), (2,0), … */
function lowerEntries(d: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) out.push([i, j]);
  return out;
}

/**
 * Deep Lagrangian Networks (Lutter et al. 2019):
 *   L(q, q̇) = ½ q̇ᵀ M(q) q̇ − V(q),  M(q) = L(q) L(q)ᵀ + εI
 * with L(q) lower triangular from one network (diagonal through softplus, so positive) and V(q)
 * from a second. M is positive definite at every q by construction, so q̈ always exists and
 * T = ½ q̇ᵀMq̇ > 0. Since q̇ᵀLLᵀq̇ = |Lᵀq̇|², T = ½(|u|² + ε|q̇|²) with u = Lᵀq̇.
 */
/* eslint-disable-next-line max-lines-per-function --
   the DeLaN graph (two networks, the Cholesky factor, the q̈ solve) as closures over shared
   weights */
export function compileStructuredNeuralModel(
  spec: StructuredSpec,
  system: SystemDefinition,
): CompiledModel {
  const d = system.coordinates.length;
  const activation = checkActivation(spec.activation);
  const epsilon = spec.massFloor ?? DEFAULT_MASS_FLOOR;
  if (!(epsilon > 0))
    throw new EngineError('invalid-model', `The mass floor ε must be positive, not ${epsilon}`);
  const entries = lowerEntries(d);
  const massNet = mlpLayout(d, spec.hidden, entries.length);
  const potentialNet = mlpLayout(d, spec.hidden, 1, massNet.count);
  const initial = new Float64Array(massNet.count + potentialNet.count);
  initialiseMlp(massNet, initial, spec.seed);
  initialiseMlp(potentialNet, initial, spec.seed + 1);

  const lagrangian = (theta: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor => {
    const q: tf.Tensor2D = tf.slice(x, [0, 0], [-1, d]);
    const raw = mlpTensor(massNet, activation, theta, q);
    const lower = entries.map(([i, j], k) => (i === j ? softplus(column(raw, k)) : column(raw, k)));
    const qd = Array.from({ length: d }, (_, i) => column(x, d + i));
    let twiceT: tf.Tensor = tf.mul(epsilon, tf.addN(qd.map((v) => tf.square(v))));
    for (let j = 0; j < d; j++) {
      // u_j = Σ_{i≥j} L_ij q̇_i
      const terms = entries.flatMap(([i, jj], k) => (jj === j ? [tf.mul(lower[k]!, qd[i]!)] : []));
      twiceT = tf.add(twiceT, tf.square(terms.length > 1 ? tf.addN(terms) : terms[0]!));
    }
    const V = column(mlpTensor(potentialNet, activation, theta, q), 0);
    return tf.sub(tf.mul(0.5, twiceT), V);
  };

  /**
   * q̈ from the structure, with only ∂/∂q of the two networks (forward-mode tangents):
   *   M q̈ = f,  f_i = ½ Σ_jl ∂_i M_jl q̇_j q̇_l − Σ_jk ∂_k M_ij q̇_j q̇_k − ∂_i V,
   *   M_ij = Σ_{k≤min(i,j)} L_ik L_jk + ε δ_ij,  ∂_a M_ij = Σ_k (∂_a L_ik L_jk + L_ik ∂_a L_jk).
   * The same q̈ as autodiff of L (a test checks), several times cheaper to train.
   */
  const structuredAccelerations = (theta: tf.Tensor1D, samples: TensorSamples): tf.Tensor[] => {
    const q = tf.stack(samples.q, 1) as tf.Tensor2D;
    const qd = samples.qd;
    const mass = mlpWithJacobian(massNet, activation, theta, q);
    const potential = mlpWithJacobian(potentialNet, activation, theta, q);
    const raw = entries.map((_, k) => column(mass.out, k));
    const lower = entries.map(([i, j], k) => (i === j ? softplus(raw[k]!) : raw[k]!));
    const dLower = Array.from({ length: d }, (_, a) =>
      entries.map(([i, j], k) => {
        const dr = column(mass.jacobian[a]!, k);
        return i === j ? tf.mul(sigmoid(raw[k]!), dr) : dr;
      }),
    );
    const at = (values: tf.Tensor[], i: number, j: number) => values[(i * (i + 1)) / 2 + j]!;
    const sum = (terms: tf.Tensor[]) => (terms.length === 1 ? terms[0]! : tf.addN(terms));
    const range = (n: number) => Array.from({ length: n }, (_, k) => k);
    const M = range(d).map((i) =>
      range(d).map((j) => {
        const s = sum(
          range(Math.min(i, j) + 1).map((k) => tf.mul(at(lower, i, k), at(lower, j, k))),
        );
        return i === j ? tf.add(s, epsilon) : s;
      }),
    );
    const dMij = (a: number, i: number, j: number) =>
      sum(
        range(Math.min(i, j) + 1).map((k) =>
          tf.add(
            tf.mul(at(dLower[a]!, i, k), at(lower, j, k)),
            tf.mul(at(lower, i, k), at(dLower[a]!, j, k)),
          ),
        ),
      );
    // ∂_a M_ij once each (symmetric in i, j), and q̇_j q̇_k once each: f reuses them d times
    const dM = range(d).map((a) =>
      range(d).map((i) => range(d).map((j) => (j < i ? null : dMij(a, i, j)))),
    );
    const dMAt = (a: number, i: number, j: number) => dM[a]![Math.min(i, j)]![Math.max(i, j)]!;
    const vv = range(d).map((j) => range(d).map((k) => tf.mul(qd[j]!, qd[k]!)));
    const f = range(d).map((i) => {
      const terms: tf.Tensor[] = [tf.neg(column(potential.jacobian[i]!, 0))];
      for (let j = 0; j < d; j++)
        for (let k = 0; k < d; k++)
          terms.push(tf.mul(tf.sub(tf.mul(0.5, dMAt(i, j, k)), dMAt(k, i, j)), vv[j]![k]!));
      return tf.addN(terms);
    });
    return solveMassTensor(M, f);
  };

  const lagrangianJet = (theta: ArrayLike<number>, x: readonly Jet[]): Jet => {
    const m = 2 * d;
    const q = x.slice(0, d);
    const qd = x.slice(d);
    const raw = mlpJets(massNet, activation, theta, q);
    const lower = entries.map(([i, j], k) =>
      i === j ? JET_ACTIVATIONS.softplus(raw[k]!) : raw[k]!,
    );
    const L = constantJet(0, m);
    for (const v of qd) addScaled(L, 0.5 * epsilon, multiply(v, v));
    for (let j = 0; j < d; j++) {
      const u = constantJet(0, m);
      entries.forEach(([i, jj], k) => {
        if (jj === j) addScaled(u, 1, multiply(lower[k]!, qd[i]!));
      });
      addScaled(L, 0.5, multiply(u, u));
    }
    addScaled(L, -1, mlpJets(potentialNet, activation, theta, q)[0]!);
    return L;
  };

  return {
    spec,
    parameterNames: [...mlpNames(massNet, 'M.'), ...mlpNames(potentialNet, 'V.')],
    initial,
    network:
      spec.route === 'autodiff'
        ? undefined
        : {
            kind: 'structured',
            mass: massNet,
            potential: potentialNet,
            activation,
            massFloor: epsilon,
          },
    accelerations: (theta: tf.Tensor1D, samples) =>
      spec.route === 'autodiff'
        ? autodiffAccelerations((x) => lagrangian(theta, x), samples)
        : structuredAccelerations(theta, samples),
    numeric: (theta) => ({
      d,
      at: (q, qd) =>
        lagrangianJet(
          theta,
          [...Array.from(q), ...Array.from(qd)].map((v, a) => variableJet(v, a, 2 * d)),
        ),
    }),
  };
}
