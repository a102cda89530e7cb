// The fused network kernel (training/fused/neural-kernel.ts) against two independent routes: tfjs
// autodiff of the float32 tensor route (loss and gradient), and central differences of a float64
// loss built from the models' float64 jets (numericRolloutSystem), on networks of several shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import type { ModelSpec } from '../../src-main/engine/models/model';
import type { SystemDefinition } from '../../src-main/engine/systems/system';
import { numericRolloutSystem } from '../../src-main/engine/analysis/numeric-lagrangian';
import { createObjective } from '../../src-main/engine/training/objective';
import {
  networkAccelerations,
  neuralKernel,
} from '../../src-main/engine/training/fused/neural-kernel';
import { pointWeights } from '../../src-main/engine/training/loss';
import type { PhaseSamples } from '../../src-main/engine/training/samples';
import { solveInPlace } from '../../src-main/engine/dynamics';
import { uniforms, useBackend } from './helpers';
import type { LossSpec } from '../../src-shared/dto/training';

beforeAll(async () => {
  await useBackend('wasm');
});

/** d free coordinates: the networks only need their count. */
function coordinates(d: number): SystemDefinition {
  const i = Array.from({ length: d }, (_, k) => k);
  return {
    name: `${d} coordinates`,
    description: '',
    coordinates: i.map((k) => `q${k}`),
    velocities: i.map((k) => `qd${k}`),
    parameters: [],
    lagrangian: i.map((k) => `0.5*qd${k}^2 - 0.5*q${k}^2`).join(' + '),
  };
}

/** States in [−1, 1]⁴ and smooth targets (any q̈ will do: the loss is what is compared). */
function samples(d: number, n: number): PhaseSamples {
  const q = Array.from({ length: d }, (_, i) => uniforms(5 + i, n, -1, 1));
  const qd = Array.from({ length: d }, (_, i) => uniforms(25 + i, n, -1, 1));
  const qdd = q.map((c, i) => c.map((x, s) => -x + 0.3 * Math.sin(qd[i]![s]! + i)));
  return { q, qd, qdd };
}

/** The loss in float64 from the model's float64 jets: q̈ = M⁻¹(∂L/∂q − ∂²L/∂q̇∂q q̇). */
function lossF64Jets(
  model: ReturnType<typeof compileModel>,
  data: PhaseSamples,
  loss: LossSpec,
  theta: Float64Array,
): number {
  const system = numericRolloutSystem(model.numeric!(theta));
  const d = data.q.length;
  const n = data.q[0]!.length;
  const w = pointWeights(data.qdd, loss);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const a = system.acceleration(
      Float64Array.from(data.q, (c) => c[s]!),
      Float64Array.from(data.qd, (c) => c[s]!),
    );
    let sq = 0;
    for (let i = 0; i < d; i++) sq += (a[i]! - data.qdd[i]![s]!) ** 2;
    total += (w ? w[s]! : 1) * sq;
  }
  return loss.reduction === 'mean' ? total / n : total;
}

/**
 * The points where H = ∂²L/∂q̇² has condition number ≤ 100 (‖H‖_F ‖H⁻¹‖_F): a random plain
 * LNN's H crosses singularity inside the window, where q̈ and the loss are too steep for central
 * differences or float32 to mean anything. The kernel is checked on the rest.
 */
function wellConditioned(
  model: ReturnType<typeof compileModel>,
  data: PhaseSamples,
  theta: Float64Array,
): PhaseSamples {
  const L = model.numeric!(theta);
  const d = data.q.length;
  const keep: number[] = [];
  const norms: Array<[number, number]> = [];
  for (let s = 0; s < data.q[0]!.length; s++) {
    const jet = L.at(
      data.q.map((c) => c[s]!),
      data.qd.map((c) => c[s]!),
    );
    const H = (i: number, j: number) => jet.hessian[(d + i) * 2 * d + d + j]!;
    let normH = 0;
    let normInverse = 0;
    for (let j = 0; j < d; j++) {
      const M = Float64Array.from({ length: d * d }, (_, k) => H(Math.floor(k / d), k % d));
      const e = Float64Array.from({ length: d }, (_, i) => (i === j ? 1 : 0));
      const x = new Float64Array(d);
      if (!solveInPlace(M, e, x, d)) normInverse = Infinity;
      for (let i = 0; i < d; i++) {
        normH += H(i, j) ** 2;
        normInverse += x[i]! ** 2;
      }
    }
    norms.push([Math.sqrt(normH), Math.sqrt(normInverse)]);
  }
  // ‖H⁻¹‖ against the typical ‖H‖ too: a 1×1 H is always well conditioned, yet crosses 0
  const typical = norms.map(([h]) => h).sort((a, b) => a - b)[norms.length >> 1]!;
  norms.forEach(([h, inverse], s) => {
    if (h * inverse <= 100 && typical * inverse <= 100) keep.push(s);
  });
  const pick = (cols: readonly Float64Array[]) =>
    cols.map((c) => Float64Array.from(keep, (s) => c[s]!));
  return { q: pick(data.q), qd: pick(data.qd), qdd: pick(data.qdd) };
}

interface Case {
  readonly spec: ModelSpec;
  readonly d: number;
  readonly n: number;
  readonly loss: LossSpec;
  readonly block?: number;
}

const plain = (hidden: number[], activation: string, seed = 1) =>
  ({ family: 'neural', hidden, activation, seed }) as ModelSpec;
const structured = (hidden: number[], activation: string, seed = 1) =>
  ({ family: 'structured-neural', hidden, activation, seed }) as ModelSpec;

const CASES: Record<string, Case> = {
  'plain, d = 1, one layer of 8, tanh': {
    spec: plain([8], 'tanh'),
    d: 1,
    n: 301,
    loss: { reduction: 'mean' },
  },
  'plain, d = 2, (32, 32) softplus, blocks of 32 with a partial last block': {
    spec: plain([32, 32], 'softplus'),
    d: 2,
    n: 250,
    loss: { reduction: 'mean' },
    block: 32,
  },
  'plain, d = 3, three layers (10, 7, 12) sin, relative sum loss': {
    spec: plain([10, 7, 12], 'sin', 3),
    d: 3,
    n: 200,
    loss: { reduction: 'sum', relative: true },
  },
  'plain, d = 4, (20, 20) tanh': {
    spec: plain([20, 20], 'tanh', 4),
    d: 4,
    n: 150,
    loss: { reduction: 'mean' },
  },
  'plain, d = 1, width 128 softplus': {
    spec: plain([128], 'softplus', 5),
    d: 1,
    n: 130,
    loss: { reduction: 'mean' },
  },
  'structured, d = 1, (8) softplus': {
    spec: structured([8], 'softplus'),
    d: 1,
    n: 300,
    loss: { reduction: 'mean' },
  },
  'structured, d = 2, (32, 32) tanh, blocks of 16': {
    spec: structured([32, 32], 'tanh', 2),
    d: 2,
    n: 333,
    loss: { reduction: 'mean' },
    block: 16,
  },
  'structured, d = 3, three layers (12, 9, 5) sin, relative loss': {
    spec: structured([12, 9, 5], 'sin', 3),
    d: 3,
    n: 200,
    loss: { reduction: 'mean', relative: true },
  },
  'structured, d = 4, (64) softplus': {
    spec: structured([64], 'softplus', 4),
    d: 4,
    n: 160,
    loss: { reduction: 'sum' },
  },
};

/** A direction in θ of unit length from a seed. */
function direction(p: number, seed: number): Float64Array {
  const u = uniforms(seed, p, -1, 1);
  const norm = Math.hypot(...u);
  return u.map((x) => x / norm);
}

describe('the fused network kernel (jets and reverse pass in SIMD)', () => {
  for (const [title, c] of Object.entries(CASES)) {
    it(title, () => {
      const model = compileModel(c.spec, coordinates(c.d));
      expect(model.network).toBeDefined();
      // a θ away from the initial one: the kernel must hold for any weights
      const theta = model.initial.map((x, i) => x * 1.3 + 0.05 * Math.sin(i));
      const data = wellConditioned(model, samples(c.d, c.n), theta);
      expect(data.q[0]!.length).toBeGreaterThan(c.n / 4);
      const exact = lossF64Jets(model, data, c.loss, theta);
      // float64 lanes: the loss of the float64 jets, and its central differences along three
      // directions
      const f64 = neuralKernel(model, data, c.loss, { block: c.block, precision: 'float64' })!;
      const mine64 = f64.evaluate(theta);
      expect(Math.abs(mine64.loss - exact) / exact).toBeLessThan(1e-9);
      // its forward pass alone (predictions, fields): q̈ of the float64 jets point by point
      const predicted = networkAccelerations(model.network!, theta, data.q, data.qd);
      const jets = numericRolloutSystem(model.numeric!(theta));
      data.q[0]!.forEach((_, s) => {
        const want = jets.acceleration(
          Float64Array.from(data.q, (c) => c[s]!),
          Float64Array.from(data.qd, (c) => c[s]!),
        );
        want.forEach((a, i) =>
          expect(Math.abs(predicted[i]![s]! - a)).toBeLessThan(1e-9 * (1 + Math.abs(a))),
        );
      });
      const norm = Math.hypot(...mine64.gradient);
      for (const seed of [71, 72, 73]) {
        const u = direction(theta.length, seed);
        const h = 1e-5;
        const at = (t: number) =>
          lossF64Jets(
            model,
            data,
            c.loss,
            theta.map((x, i) => x + t * u[i]!),
          );
        const slope = (at(h) - at(-h)) / (2 * h);
        const mineSlope = mine64.gradient.reduce((s, g, i) => s + g * u[i]!, 0);
        expect(Math.abs(mineSlope - slope)).toBeLessThan(1e-6 * norm);
      }
      // float32 lanes (the default): against tfjs autodiff of the float32 tensor route and the
      // float64 kernel, on the scale their rounding allows
      const fused = neuralKernel(model, data, c.loss, { block: c.block })!;
      const tensor = createObjective(model, data, c.loss, 'graph', { kernel: 'tensor' });
      const mine = fused.evaluate(theta);
      const reference = tensor.evaluate(theta);
      tensor.dispose();
      const tolerance = 1e-3;
      expect(Math.abs(mine.loss - exact) / exact).toBeLessThan(tolerance);
      expect(Math.abs(reference.loss - exact) / exact).toBeLessThan(tolerance);
      mine.gradient.forEach((g, i) => {
        expect(Math.abs(g - reference.gradient[i]!)).toBeLessThan(tolerance * norm);
        expect(Math.abs(g - mine64.gradient[i]!)).toBeLessThan(tolerance * norm);
      });
    });
  }

  it('is the graph route of neural models by default, and says so', () => {
    const data = samples(2, 64);
    const model = compileModel(plain([8], 'tanh'), coordinates(2));
    const objective = createObjective(model, data, { reduction: 'mean' }, 'auto');
    const theta = model.initial;
    expect(objective.evaluate(theta).loss).toBeCloseTo(
      neuralKernel(model, data, { reduction: 'mean' })!.evaluate(theta).loss,
      10,
    );
  });
});
