import { beforeAll, describe, expect, it } from 'vitest';
import {
  energyDrift,
  expressionRolloutSystem,
  modelRolloutSystem,
  rollout,
  rolloutError,
} from '../../src-main/engine/analysis/rollout';
import { parseSystem } from '../../src-main/engine/systems/system';
import { coulombPair, harmonicOscillator } from '../../src-main/engine/systems/presets';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { exactSolve } from '../../src-main/engine/training/exact-solve';
import { createObjective, linearFormOf } from '../../src-main/engine/training/objective';
import { train } from '../../src-main/engine/training/train';
import { useBackend } from './helpers';
import {
  coulombDataset,
  fixedPointWindow,
  FIXED_POINT_HALF_SEPARATION,
  originWindow,
} from './fixtures';

const truthSystem = (def: typeof coulombPair, values?: Record<string, number>) => {
  const p = parseSystem(def);
  return expressionRolloutSystem(p.lagrangian, def.coordinates, def.velocities, {
    ...p.parameterValues,
    ...values,
  });
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('trajectory rollouts', () => {
  it('compares two adaptive rollouts on one time grid: oscillators k and k(1+ε) against the formula', () => {
    // q(t) = A cos ω t with ω = √k: truth k = 4, fit k = 4.01 (ε = 0.0025), A = 0.5, 10 s.
    // Their difference A|cos ω't − cos ω t| grows like the phase drift A·(ω' − ω)·t ≈ A εω t / 2.
    const options = {
      duration: 10,
      method: 'rk45',
      dt: 0.01,
      tolerance: 1e-11,
      maxSamples: 500,
    } as const;
    const truth = rollout(truthSystem(harmonicOscillator, { k: 4, m: 1 }), [0.5], [0], options);
    const fit = rollout(truthSystem(harmonicOscillator, { k: 4.01, m: 1 }), [0.5], [0], options);
    expect(fit.t).toEqual(truth.t); // the same output grid whatever the adaptive steps
    expect(truth.t).toHaveLength(501);
    expect(truth.t[500]).toBe(10);
    const [w, wFit] = [2, Math.sqrt(4.01)];
    const formula = truth.t.map((t) => 0.5 * Math.abs(Math.cos(wFit * t) - Math.cos(w * t)));
    const { maxDeviation, finalDeviation } = rolloutError(fit, truth);
    expect(maxDeviation).toBeCloseTo(Math.max(...formula), 6);
    expect(finalDeviation).toBeCloseTo(formula[500]!, 6);
    // early on, the drift follows A·εω t/2 · |sin ωt| (at t = 1 s: 0.5 · 0.0025 · |sin 2|)
    const k = truth.t.indexOf(1);
    expect(Math.abs(fit.q[0]![k]! - truth.q[0]![k]!)).toBeCloseTo(
      0.5 * (wFit - w) * 1 * Math.abs(Math.sin(w * 1)),
      5,
    );
  });

  it.each(['rk4', 'rk45'] as const)(
    '%s follows q(t) = A cos ωt of the oscillator (ω = 2) for 10 periods and conserves energy',
    (method) => {
      const sys = truthSystem(harmonicOscillator, { k: 4, m: 1 });
      const tr = rollout(sys, [0.5], [0], {
        duration: 10 * Math.PI,
        method,
        dt: method === 'rk4' ? 1e-3 : 1e-2,
        tolerance: 1e-11,
      });
      const err = Math.max(...tr.t.map((t, k) => Math.abs(tr.q[0]![k]! - 0.5 * Math.cos(2 * t))));
      expect(err).toBeLessThan(1e-8);
      // E = ½q̇² + ½k q² = ½·4·0.25 = 0.5
      expect(tr.energy[0]).toBeCloseTo(0.5, 12);
      expect(energyDrift(tr)).toBeLessThan(1e-8);
      expect(tr.t.at(-1)).toBeCloseTo(10 * Math.PI, 9);
      if (method === 'rk45') expect(tr.steps).toBeLessThan(20000);
    },
  );

  it('the exact-form fit stays within 1e-3 of the true trajectory over 10 periods', () => {
    const data = coulombDataset(originWindow(3000));
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const fit = exactSolve(linearFormOf(model, data), data, { reduction: 'mean' });
    const c = FIXED_POINT_HALF_SEPARATION;
    const start = { q: [-c + 0.05, c + 0.02], qd: [0.1, -0.05] };
    const options = { duration: 10 * Math.PI, method: 'rk45' as const, dt: 1e-2, tolerance: 1e-10 };
    const truth = rollout(truthSystem(coulombPair), start.q, start.qd, options);
    const learned = rollout(
      modelRolloutSystem(model, fit.parameters, coulombPair.coordinates, coulombPair.velocities),
      start.q,
      start.qd,
      options,
    );
    expect(rolloutError(learned, truth).maxDeviation).toBeLessThan(1e-3);
    // relative to max T along the path (≈ ½(0.1² + 0.05²) here, not |E0|, issue 28.9)
    expect(energyDrift(truth)).toBeLessThan(1e-6);
  });

  it('the narrow-window polynomial fit (Adam, as in the report) visibly diverges from the truth once the trajectory leaves its window', async () => {
    const narrow = coulombDataset(fixedPointWindow(0.0003, 2000, 3));
    const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
    const objective = createObjective(model, narrow, { reduction: 'mean' }, 'design');
    const fit = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.001 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    objective.dispose();
    const c = FIXED_POINT_HALF_SEPARATION;
    const start = { q: [-c + 0.1, c], qd: [0, 0] };
    const options = { duration: 2 * Math.PI, method: 'rk4' as const, dt: 1e-3 };
    const truth = rollout(truthSystem(coulombPair), start.q, start.qd, options);
    let deviation = Infinity;
    try {
      deviation = rolloutError(
        rollout(
          modelRolloutSystem(
            model,
            fit.parameters,
            coulombPair.coordinates,
            coulombPair.velocities,
          ),
          start.q,
          start.qd,
          options,
        ),
        truth,
      ).maxDeviation;
    } catch {
      // blowing up to non-finite values is diverging too
    }
    expect(deviation).toBeGreaterThan(0.05);
  });
});

describe('energy drift does not depend on the potential’s additive constant (issue 28.9)', () => {
  it('the oscillator with V = 2q² and with V = 2q² + 1000: the same drift, on the scale of T', () => {
    const oscillator = (offset: number) => ({
      d: 1,
      acceleration: (q: Float64Array) => Float64Array.of(-4 * q[0]!),
      energy: (q: Float64Array, qd: Float64Array) => 0.5 * qd[0]! ** 2 + 2 * q[0]! ** 2 + offset,
    });
    const options = { duration: 10, method: 'rk4' as const, dt: 0.05 };
    const plain = rollout(oscillator(0), [1], [0], options);
    const shifted = rollout(oscillator(1000), [1], [0], options);
    expect(energyDrift(shifted)).toBeCloseTo(energyDrift(plain), 9);
    // T = E(q, q̇) − E(q, 0) peaks at the total energy 2 (q = 1 at rest): drift / 2
    const absolute = Math.max(...plain.energy.map((e) => Math.abs(e - plain.energy[0]!)));
    expect(energyDrift(plain)).toBeCloseTo(absolute / 2, 6);
  });
});

describe('a diverging rollout stops with a message instead of crawling', () => {
  it('q̈ = 2q³ from q = 1, q̇ = 1 blows up at t = 1 (q = 1/(1 − t)): RK45 stops there', () => {
    // q = 1/(1 − t) solves q̈ = 2q³ with q(0) = 1, q̇(0) = 1; it reaches infinity at t = 1.
    const blowUp = {
      d: 1,
      acceleration: (q: Float64Array) => Float64Array.of(2 * q[0]! ** 3),
      energy: () => 0,
    };
    const t0 = performance.now();
    const tr = rollout(blowUp, [1], [1], {
      duration: 5,
      method: 'rk45',
      dt: 0.01,
      tolerance: 1e-9,
      maxSamples: 1000,
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    // stopped by the step-size floor (or a non-finite state) just before t = 1, and the
    // trajectory up to there is kept (issue 28.8): it follows q = 1/(1 − t)
    expect(tr.failure?.reason).toMatch(/diverges|finite/);
    expect(tr.failure!.time).toBeGreaterThan(0.99);
    expect(tr.failure!.time).toBeLessThanOrEqual(1);
    const last = tr.t.length - 1;
    expect(tr.t[last]).toBeGreaterThan(0.99);
    tr.t.forEach((time, k) => expect(tr.q[0]![k]).toBeCloseTo(1 / (1 - time), 3));
  });
});
