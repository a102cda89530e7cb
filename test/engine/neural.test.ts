import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src-main/engine/tf';
import { sigmoid, softplus, tanh, sin } from '../../src-main/engine/models/activations';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { generateDataset } from '../../src-main/engine/dataset';
import { harmonicOscillator } from '../../src-main/engine/systems/presets';
import { createObjective } from '../../src-main/engine/training/objective';
import { train } from '../../src-main/engine/training/train';
import { TEST_BACKENDS, useBackend } from './helpers';

const d = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => tf.grad(f)(x);

describe.each(TEST_BACKENDS)('activations to third order on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  const x0 = 0.3;
  const t = Math.tanh(x0);
  const s = 1 / (1 + Math.exp(-x0));
  // Hand derivatives: tanh' = 1 − t², tanh'' = −2t(1 − t²), tanh''' = −2(1 − t²)(1 − 3t²);
  // softplus' = σ, '' = σ(1 − σ), ''' = σ(1 − σ)(1 − 2σ); sin: cos, −sin, −cos.
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, number[]]> = [
    ['tanh', tanh, [t, 1 - t * t, -2 * t * (1 - t * t), -2 * (1 - t * t) * (1 - 3 * t * t)]],
    ['softplus', softplus, [Math.log1p(Math.exp(x0)), s, s * (1 - s), s * (1 - s) * (1 - 2 * s)]],
    [
      'sigmoid',
      sigmoid,
      [s, s * (1 - s), s * (1 - s) * (1 - 2 * s), s * (1 - s) * (1 - 6 * s + 6 * s * s)],
    ],
    ['sin', sin, [Math.sin(x0), Math.cos(x0), -Math.sin(x0), -Math.cos(x0)]],
  ];
  it.each(cases)('%s', (_name, f, expected) => {
    const fs = [f, d(f), d(d(f)), d(d(d(f)))];
    fs.forEach((g, order) => {
      const v = tf.tidy(() => g(tf.scalar(x0)).dataSync()[0]!);
      expect(Math.abs(v - expected[order]!)).toBeLessThan(2e-5);
    });
  });
  it('tanh stays finite for large |x| at every order', () => {
    const v = tf.tidy(() => d(d(d(tanh)))(tf.tensor1d([-80, 80])).dataSync());
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
  });
});

describe('neural Lagrangian', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('q̈ by nested autodiff matches (∂L/∂q − ∂²L/∂q̇∂q q̇)/∂²L/∂q̇² from float64 finite differences of the same network', () => {
    const model = compileModel(
      { family: 'neural', hidden: [8], activation: 'tanh', seed: 3 },
      harmonicOscillator,
    );
    const theta = tf.tensor1d(Float32Array.from(model.initial));
    const q = tf.tensor1d([0.2, -0.5]);
    const qd = tf.tensor1d([0.1, 0.7]);
    const qdd = tf.tidy(() => model.accelerations(theta, { q: [q], qd: [qd] })[0]!.dataSync());
    // Finite differences of L in float64 by re-evaluating the network in JS.
    const W0 = model.initial.slice(0, 16),
      b0 = model.initial.slice(16, 24),
      W1 = model.initial.slice(24, 32),
      b1 = model.initial[32]!;
    const L = (x: number, v: number) => {
      let out = b1;
      for (let j = 0; j < 8; j++) out += W1[j]! * Math.tanh(x * W0[j]! + v * W0[8 + j]! + b0[j]!);
      return out;
    };
    const h = 1e-4;
    [
      [0.2, 0.1],
      [-0.5, 0.7],
    ].forEach(([x, v], i) => {
      const Lvv = (L(x!, v! + h) - 2 * L(x!, v!) + L(x!, v! - h)) / (h * h);
      const Lq = (L(x! + h, v!) - L(x! - h, v!)) / (2 * h);
      const Lvq =
        (L(x! + h, v! + h) - L(x! + h, v! - h) - L(x! - h, v! + h) + L(x! - h, v! - h)) /
        (4 * h * h);
      const expected = (Lq - Lvq * v!) / Lvv;
      expect(Math.abs(qdd[i]! - expected)).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected)));
    });
    tf.dispose([theta, q, qd]);
  });

  it('fits the 1D harmonic oscillator to a mean loss below 1e-3', async () => {
    const data = generateDataset({
      system: harmonicOscillator,
      sampling: {
        window: { q: [{ min: -1, max: 1 }], qd: [{ min: -1, max: 1 }] },
        count: 256,
        seed: 4,
      },
    });
    const model = compileModel(
      { family: 'neural', hidden: [16, 16], activation: 'softplus', seed: 1 },
      harmonicOscillator,
    );
    const objective = createObjective(model, data, { reduction: 'mean' });
    expect(objective.route).toBe('graph');
    const r = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.01 },
      stopping: { maxSteps: 1500, lossTolerance: 5e-4 },
      initial: model.initial,
    });
    objective.dispose();
    expect(r.bestLoss).toBeLessThan(1e-3);
  });
});
