// Neural Lagrangians beyond training: float64 jets for rollouts, energies and fixed points, and
// the structured family L = ½q̇ᵀM(q)q̇ − V(q), M = LLᵀ + εI (Deep Lagrangian Networks).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src-main/engine/tf';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { generateDataset } from '../../src-main/engine/dataset';
import { doublePendulum, harmonicOscillator } from '../../src-main/engine/systems/presets';
import { createObjective } from '../../src-main/engine/training/objective';
import { train } from '../../src-main/engine/training/train';
import { blocksAt, numericRolloutSystem } from '../../src-main/engine/analysis/numeric-lagrangian';
import { energyDrift, rollout } from '../../src-main/engine/analysis/rollout';
import { findFixedPointsOf } from '../../src-main/engine/fixed-points';
import type { ModelSpec } from '../../src-main/engine/models/model';
import { useBackend } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

const structured = (seed: number, extra: Partial<ModelSpec> = {}) =>
  ({
    family: 'structured-neural',
    hidden: [16, 16],
    activation: 'softplus',
    seed,
    ...extra,
  }) as ModelSpec;

/** A random θ (not the initial one): the structure must hold for any weights. */
function randomTheta(count: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: count }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647 - 0.5) * 2;
  });
}

describe('the structured neural family', () => {
  it('M = ∂²L/∂q̇² is positive definite (≥ ε) at every state for any weights', () => {
    const model = compileModel(structured(1, { massFloor: 1e-3 }), doublePendulum);
    for (const seed of [3, 5, 7]) {
      const L = model.numeric!(randomTheta(model.initial.length, seed));
      for (let k = 0; k < 50; k++) {
        const q = [Math.sin(k) * 3, Math.cos(3 * k) * 3];
        const { M } = blocksAt(L, q);
        // eigenvalues of a symmetric 2×2: mean ± √(((a−c)/2)² + b²)
        const [a, b, c] = [M[0]![0]!, M[0]![1]!, M[1]![1]!];
        const low = (a + c) / 2 - Math.hypot((a - c) / 2, b);
        expect(M[1]![0]).toBeCloseTo(b, 12);
        expect(low).toBeGreaterThanOrEqual(1e-3 * (1 - 1e-9));
      }
    }
  });

  it('q̈ from the structure equals q̈ by autodiff of L and by float64 jets', () => {
    const theta64 = randomTheta(compileModel(structured(2), doublePendulum).initial.length, 11);
    const fast = compileModel(structured(2), doublePendulum);
    const slow = compileModel(structured(2, { route: 'autodiff' } as never), doublePendulum);
    const states = [
      [0.3, -0.2, 0.5, -1.1],
      [-1.2, 0.8, -0.3, 0.9],
      [2.0, 2.5, 1.5, 0.1],
    ];
    const samples = {
      q: [0, 1].map((i) => tf.tensor1d(states.map((s) => s[i]!))),
      qd: [2, 3].map((i) => tf.tensor1d(states.map((s) => s[i]!))),
    };
    const theta = tf.tensor1d(Float32Array.from(theta64));
    const [a, b] = [fast, slow].map((m) =>
      tf.tidy(() => m.accelerations(theta, samples).map((t) => Array.from(t.dataSync()))),
    );
    const jets = numericRolloutSystem(fast.numeric!(Float32Array.from(theta64)));
    states.forEach((s, k) => {
      const exact = jets.acceleration(Float64Array.of(s[0]!, s[1]!), Float64Array.of(s[2]!, s[3]!));
      for (let i = 0; i < 2; i++) {
        const scale = Math.max(1, Math.abs(exact[i]!));
        expect(Math.abs(a![i]![k]! - exact[i]!)).toBeLessThan(2e-4 * scale);
        expect(Math.abs(b![i]![k]! - exact[i]!)).toBeLessThan(2e-4 * scale);
      }
    });
    tf.dispose([theta, ...samples.q, ...samples.qd]);
  });

  it("jets give L's gradient and Hessian to 1e-6 of float64 finite differences", () => {
    for (const spec of [
      structured(4),
      { family: 'neural', hidden: [12, 12], activation: 'tanh', seed: 4 } as ModelSpec,
    ]) {
      const model = compileModel(spec, doublePendulum);
      const L = model.numeric!(randomTheta(model.initial.length, 9));
      const x = [0.4, -0.7, 0.9, 0.2];
      const value = (y: number[]) => L.at(y.slice(0, 2), y.slice(2)).value;
      const jet = L.at(x.slice(0, 2), x.slice(2));
      const h = 1e-4;
      for (let a = 0; a < 4; a++) {
        const e = (v: number[], i: number, t: number) => v.map((z, j) => (j === i ? z + t : z));
        const fd = (value(e(x, a, h)) - value(e(x, a, -h))) / (2 * h);
        expect(Math.abs(jet.gradient[a]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        for (let b = 0; b < 4; b++) {
          const f = (sa: number, sb: number) => value(e(e(x, a, sa * h), b, sb * h));
          const fd2 = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h * h);
          expect(Math.abs(jet.hessian[a * 4 + b]! - fd2)).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(fd2)),
          );
        }
      }
    }
  });

  it('a network with V = sin q has its equilibria at ∓π/2 (stable, unstable) and conserves its energy', () => {
    // hidden [1], sin: M.W0 M.b0 M.W1 M.b1 (mass network), V.W0 V.b0 V.W1 V.b1 (potential)
    const model = compileModel(
      { family: 'structured-neural', hidden: [1], activation: 'sin', seed: 1 },
      harmonicOscillator,
    );
    expect(model.parameterNames).toEqual([
      'M.W0[0,0]',
      'M.b0[0]',
      'M.W1[0,0]',
      'M.b1[0]',
      'V.W0[0,0]',
      'V.b0[0]',
      'V.W1[0,0]',
      'V.b1[0]',
    ]);
    const L = model.numeric!([0.5, 0.2, 0.7, 0.1, 1, 0, 1, 0]);
    const found = findFixedPointsOf((q) => blocksAt(L, q), [{ min: -3, max: 3 }]);
    expect(found.map((f) => f.q[0])).toEqual([
      expect.closeTo(-Math.PI / 2, 9),
      expect.closeTo(Math.PI / 2, 9),
    ]);
    // V'' = −sin q: a minimum at −π/2 (stable), a maximum at π/2
    expect(found.map((f) => f.stability)).toEqual(['stable', 'unstable']);
    // E = q̇ ∂L/∂q̇ − L is conserved along the network's own trajectory
    const path = rollout(numericRolloutSystem(L), [0.3], [0.4], {
      duration: 5,
      method: 'rk45',
      dt: 0.01,
      tolerance: 1e-10,
    });
    expect(energyDrift(path)).toBeLessThan(1e-6);
  });

  it('learns the harmonic oscillator: its rollout follows q0 cos t within 1e-2 over 2 s', async () => {
    const data = generateDataset({
      system: harmonicOscillator,
      sampling: {
        window: { q: [{ min: -1, max: 1 }], qd: [{ min: -1, max: 1 }] },
        count: 200,
        seed: 4,
      },
    });
    const model = compileModel(
      { family: 'structured-neural', hidden: [16], activation: 'softplus', seed: 1 },
      harmonicOscillator,
    );
    const objective = createObjective(model, data, { reduction: 'mean' });
    const r = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.02 },
      stopping: { maxSteps: 1500, lossTolerance: 1e-4 },
      initial: model.initial,
    });
    objective.dispose();
    const path = rollout(numericRolloutSystem(model.numeric!(r.parameters)), [0.5], [0], {
      duration: 2,
      method: 'rk45',
      dt: 0.01,
    });
    // truth: q = 0.5 cos t (m = k = 1)
    const worst = Math.max(...path.t.map((t, k) => Math.abs(path.q[0]![k]! - 0.5 * Math.cos(t))));
    expect(r.bestLoss).toBeLessThan(1e-3);
    expect(worst).toBeLessThan(1e-2);
  });
});
