import * as tf from '../tf';
import { EngineError } from '../errors';
import { checkBudget } from '../budget';
import { evaluateLinearForm, type LinearForm } from '../linear-form';
import type { CompiledModel, TensorSamples } from '../models/model';
import { lossTensor, pointWeights } from './loss';
import type { PhaseSamples } from './samples';
import { simdAvailable } from '../wasm/wasm-runtime';
import { DesignKernel } from './fused/design-kernel';
import { graphKernel } from './fused/graph-kernel';
import { splitNeuralKernel, type NetworkStepHelper } from './fused/neural-kernel';
import { solveInPlace } from '../dynamics';
import type { LossSpec } from '../../../src-shared/dto/training';

/**
 * How the loss and its gradient are computed:
 * - 'graph': the model's q̈ as tensors, gradient by tfjs autodiff (any model);
 * - 'design': q̈ = a0 + Aθ with A precomputed in float64, then float32 matmuls and autodiff
 *   (models affine in θ: exact form without learnable masses, both polynomials);
 * - 'gram': loss = θᵀGθ − 2bᵀθ + c in float64, O(p²) a step (models affine in θ).
 */
export type Route = 'graph' | 'design' | 'gram';

export interface Objective {
  readonly route: Route;
  readonly p: number;
  /** Threads a step runs on (1 unless a helper thread shares the points). */
  readonly threads?: number;
  /** Loss and ∂loss/∂θ at θ. */
  evaluate(theta: Float64Array): { loss: number; gradient: Float64Array };
  dispose(): void;
}

export function toF32(a: Float64Array): Float32Array {
  return Float32Array.from(a);
}

export function tensorSamples(
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
): TensorSamples {
  return { q: q.map((c) => tf.tensor1d(toF32(c))), qd: qd.map((c) => tf.tensor1d(toF32(c))) };
}

/**
 * 'auto': a model affine in θ takes the Gram route (every loss here is a weighted sum of squares,
 * so the float64 quadratic form is exact, and O(p²) a step); any other the graph route.
 */
export function chooseRoute(model: CompiledModel, requested: Route | 'auto' = 'auto'): Route {
  if (requested === 'auto') return model.linear ? 'gram' : 'graph';
  if (requested !== 'graph' && !model.linear) {
    throw new EngineError(
      'invalid-route',
      `The ${requested} route needs a model whose q̈ is linear in its parameters; ${model.spec.family} here is not`,
    );
  }
  return requested;
}

/**
 * 'fused' (default): a step as one WebAssembly SIMD call where it applies: the design route's
 * matrix passes, the graph route of expression models by forward-mode derivatives in float64,
 * and of neural models by jets and a hand-written reverse pass in float32 (neural-kernel.ts);
 * 'tensor': tfjs tensors and autodiff everywhere (the reference in tests).
 */
export interface ObjectiveOptions {
  readonly kernel?: 'fused' | 'tensor';
  /** A second thread for the neural kernel's steps (jobs/network-step-helper.ts). */
  readonly helper?: NetworkStepHelper;
}

/* eslint-disable-next-line max-lines-per-function --
   one objective per route (graph, design, Gram, network), each a closure over the shared data */
export function createObjective(
  model: CompiledModel,
  data: PhaseSamples,
  loss: LossSpec,
  requested: Route | 'auto' = 'auto',
  options: ObjectiveOptions = {},
): Objective {
  const route = chooseRoute(model, requested);
  const n = data.q[0]!.length;
  if (n === 0) throw new EngineError('empty-window', 'The dataset has no samples');
  const p = model.parameterNames.length;
  const weights = pointWeights(data.qdd, loss);
  if (route === 'gram') {
    const form = linearFormOf(model, data);
    const qf = quadraticForm(form, data, loss, weights);
    return gramObjective(qf, anchorOf(form, data, loss, weights, qf));
  }

  const readBack = (value: tf.Tensor, grad: tf.Tensor) => {
    const l = value.dataSync()[0]!;
    const g = Float64Array.from(grad.dataSync());
    value.dispose();
    grad.dispose();
    return { loss: l, gradient: g };
  };

  if (route === 'design') {
    const form = linearFormOf(model, data);
    if ((options.kernel ?? 'fused') === 'fused' && simdAvailable())
      return designKernelObjective(form, data, loss, weights);
    const d = form.d;
    // A as [d·n, p] (row = component·n + sample), target t = y − a0
    const A = new Float32Array(d * n * p);
    for (let a = 0; a < p; a++) {
      const col = form.columns[a]!;
      for (let r = 0; r < d * n; r++) A[r * p + a] = col[r]!;
    }
    const target = new Float32Array(d * n);
    data.qdd.forEach((c, i) => {
      for (let s = 0; s < n; s++) target[i * n + s] = c[s]! - form.offset[i * n + s]!;
    });
    const At = tf.tensor2d(A, [d * n, p]);
    const tT = tf.tensor2d(target, [d * n, 1]);
    const wT = weights
      ? tf.tensor2d(toF32(Float64Array.from({ length: d * n }, (_, r) => weights[r % n]!)), [
          d * n,
          1,
        ])
      : null;
    const f = (theta: tf.Tensor) => {
      const r = tf.sub(tf.matMul(At, tf.reshape(theta, [p, 1])), tT);
      const sq = wT ? tf.mul(tf.square(r), wT) : tf.square(r);
      const total = tf.sum(sq);
      return loss.reduction === 'mean' ? tf.div(total, n) : total;
    };
    const vg = tf.valueAndGrad(f);
    return {
      route,
      p,
      evaluate(theta) {
        const { value, grad } = tf.tidy(() => vg(tf.tensor1d(toF32(theta))));
        return readBack(value, grad);
      },
      dispose() {
        At.dispose();
        tT.dispose();
        wT?.dispose();
      },
    };
  }

  if ((options.kernel ?? 'fused') === 'fused') {
    // Expression models: loss and exact gradient in float64 by forward mode, one call a step.
    const fused = graphKernel(model, data, loss);
    if (fused) return { route, p, evaluate: (theta) => fused.evaluate(theta), dispose() {} };
    // Neural models: jets through the networks and their reverse pass in float32 SIMD, the
    // points split over two threads when a helper is given.
    const network = splitNeuralKernel(model, data, loss, options.helper);
    if (network)
      return {
        route,
        p,
        threads: network.threads,
        evaluate: (theta) => network.evaluate(theta),
        dispose: () => network.dispose(),
      };
  }
  // The tensor route keeps one [n] float32 tensor per instruction of the Euler–Lagrange program
  // for the backward pass (an 11 kB Lagrangian: 5.8 GB and 4 minutes a step): refused up front.
  if (model.eom)
    checkBudget(
      model.eom.program.instructions.length * n * 4 * 3,
      `one training step on the tensor route: ${model.eom.program.instructions.length.toLocaleString('en-US')} instructions × ${n.toLocaleString('en-US')} points`,
    );
  const samples = tensorSamples(data.q, data.qd);
  const target = data.qdd.map((c) => tf.tensor1d(toF32(c)));
  const wT = weights ? tf.tensor1d(toF32(weights)) : null;
  const vg = tf.valueAndGrad((theta: tf.Tensor) =>
    lossTensor(model.accelerations(theta as tf.Tensor1D, samples), target, loss, wT, n),
  );
  return {
    route,
    p,
    evaluate(theta) {
      const { value, grad } = tf.tidy(() => vg(tf.tensor1d(toF32(theta))));
      return readBack(value, grad);
    },
    dispose() {
      [...samples.q, ...samples.qd, ...target].forEach((t) => t.dispose());
      wT?.dispose();
    },
  };
}

export function linearFormOf(
  model: CompiledModel,
  data: Pick<PhaseSamples, 'q' | 'qd'>,
): LinearForm {
  if (!model.linear || !model.eom)
    throw new EngineError('invalid-route', 'This model is not linear in its parameters');
  return evaluateLinearForm(model.eom, model.linear, data.q, data.qd);
}

/** loss(θ) = θᵀGθ − 2bᵀθ + c, exactly, for q̈ = a0 + Aθ. */
export interface QuadraticForm {
  readonly p: number;
  readonly G: Float64Array; // p×p row-major
  readonly b: Float64Array;
  readonly c: number;
}

export function quadraticForm(
  form: LinearForm,
  data: Pick<PhaseSamples, 'qdd'>,
  loss: LossSpec,
  weights = pointWeights(data.qdd, loss),
): QuadraticForm {
  const { n, d, p } = form;
  const N = d * n;
  const scale = loss.reduction === 'mean' ? 1 / n : 1;
  const t = new Float64Array(N);
  data.qdd.forEach((col, i) => {
    for (let s = 0; s < n; s++) t[i * n + s] = col[s]! - form.offset[i * n + s]!;
  });
  const w = weights ? Float64Array.from({ length: N }, (_, r) => weights[r % n]!) : null;
  const G = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    const ca = form.columns[a]!;
    for (let bb = a; bb < p; bb++) {
      const cb = form.columns[bb]!;
      let sum = 0;
      if (w) for (let r = 0; r < N; r++) sum += w[r]! * ca[r]! * cb[r]!;
      else for (let r = 0; r < N; r++) sum += ca[r]! * cb[r]!;
      G[a * p + bb] = sum * scale;
      G[bb * p + a] = sum * scale;
    }
    let sb = 0;
    if (w) for (let r = 0; r < N; r++) sb += w[r]! * ca[r]! * t[r]!;
    else for (let r = 0; r < N; r++) sb += ca[r]! * t[r]!;
    b[a] = sb * scale;
  }
  let c = 0;
  if (w) for (let r = 0; r < N; r++) c += w[r]! * t[r]! * t[r]!;
  else for (let r = 0; r < N; r++) c += t[r]! * t[r]!;
  return { p, G, b, c: c * scale };
}

export function quadraticLoss(
  qf: QuadraticForm,
  theta: Float64Array,
): { loss: number; gradient: Float64Array } {
  const { p, G, b, c } = qf;
  const gradient = new Float64Array(p);
  let quad = 0;
  let lin = 0;
  for (let i = 0; i < p; i++) {
    let gi = 0;
    for (let j = 0; j < p; j++) gi += G[i * p + j]! * theta[j]!;
    quad += theta[i]! * gi;
    lin += b[i]! * theta[i]!;
    gradient[i] = 2 * (gi - b[i]!); // ∇ = 2(Gθ − b)
  }
  return { loss: quad - 2 * lin + c, gradient };
}

/**
 * A point θ* near the optimum with its loss and gradient computed from the residuals directly.
 * θᵀGθ − 2bᵀθ + c loses every digit of a loss far below c (noise-free data: 10⁻²⁰ of c); about
 * θ* the same quadratic is L(θ) = L(θ*) + ∇L(θ*)ᵀδ + δᵀGδ, δ = θ − θ*, exact for any θ*, and
 * each term is small near the optimum, so the loss keeps its digits all the way down.
 */
interface GramAnchor {
  readonly theta: Float64Array;
  readonly loss: number;
  readonly gradient: Float64Array;
}

function anchorOf(
  form: LinearForm,
  data: Pick<PhaseSamples, 'qdd'>,
  loss: LossSpec,
  weights: Float64Array | null,
  qf: QuadraticForm,
): GramAnchor {
  const { n, d, p } = form;
  const theta = new Float64Array(p);
  // θ* solves Gθ = b where G is regular enough; θ* = 0 otherwise (the expansion stays exact)
  if (!solveInPlace(Float64Array.from(qf.G), Float64Array.from(qf.b), theta, p)) theta.fill(0);
  if (!theta.every(Number.isFinite)) theta.fill(0);
  const scale = loss.reduction === 'mean' ? 1 / n : 1;
  let total = 0;
  const gradient = new Float64Array(p);
  for (let r = 0; r < d * n; r++) {
    // residual Aθ* − t at row r, t = q̈ − a0
    let res = form.offset[r]! - data.qdd[Math.floor(r / n)]![r % n]!;
    for (let a = 0; a < p; a++) res += form.columns[a]![r]! * theta[a]!;
    const w = weights ? weights[r % n]! : 1;
    total += w * res * res;
    for (let a = 0; a < p; a++) gradient[a] = gradient[a]! + 2 * w * res * form.columns[a]![r]!;
  }
  return { theta, loss: total * scale, gradient: gradient.map((g) => g * scale) };
}

function gramObjective(qf: QuadraticForm, anchor: GramAnchor): Objective {
  const { p, G } = qf;
  return {
    route: 'gram',
    p,
    evaluate(theta) {
      // L = L* + g*ᵀδ + δᵀGδ, ∇L = g* + 2Gδ
      const delta = theta.map((t, i) => t - anchor.theta[i]!);
      const gradient = Float64Array.from(anchor.gradient);
      let loss = anchor.loss;
      for (let i = 0; i < p; i++) {
        let gd = 0;
        for (let j = 0; j < p; j++) gd += G[i * p + j]! * delta[j]!;
        loss += delta[i]! * (anchor.gradient[i]! + gd);
        gradient[i] = gradient[i]! + 2 * gd;
      }
      return { loss, gradient };
    },
    dispose() {},
  };
}

/** The design route through the fused kernel: r = Aθ − t in float32, sums in float64. */
function designKernelObjective(
  form: LinearForm,
  data: PhaseSamples,
  loss: LossSpec,
  weights: Float64Array | null,
): Objective {
  const n = data.q[0]!.length;
  const d = form.d;
  const target = new Float64Array(d * n);
  data.qdd.forEach((c, i) => {
    for (let s = 0; s < n; s++) target[i * n + s] = c[s]! - form.offset[i * n + s]!;
  });
  const kernel = new DesignKernel({
    columns: form.columns,
    target,
    weights: weights ? Float64Array.from({ length: d * n }, (_, r) => weights[r % n]!) : null,
    scale: loss.reduction === 'mean' ? 1 / n : 1,
  });
  return {
    route: 'design',
    p: form.columns.length,
    evaluate: (theta) => kernel.evaluate(theta),
    dispose() {},
  };
}
