import { describe, expect, it } from 'vitest';
import {
  initialOptimizerState,
  learningRateAt,
  optimizerStep,
  validateOptimizer,
} from '../../src-main/engine/training/optimizers';
import { TrainingHistory } from '../../src-main/engine/training/history';
import { train } from '../../src-main/engine/training/train';
import type { Objective } from '../../src-main/engine/training/objective';
import type { OptimizerSpec } from '../../src-shared/dto/training';

/** f(θ) = Σ a_i (θ_i − t_i)², optimum t (a known quadratic). */
function quadratic(a: number[], t: number[]): Objective {
  return {
    route: 'gram',
    p: a.length,
    evaluate(theta) {
      let loss = 0;
      const gradient = new Float64Array(a.length);
      a.forEach((ai, i) => {
        const r = theta[i]! - t[i]!;
        loss += ai * r * r;
        gradient[i] = 2 * ai * r;
      });
      return { loss, gradient };
    },
    dispose() {},
  };
}

describe('optimizer updates, one step by hand', () => {
  const g = Float64Array.of(2, -4);
  const cases: Array<[OptimizerSpec, number[]]> = [
    [{ algorithm: 'gd', learningRate: 0.1 }, [1 - 0.2, 1 + 0.4]],
    // v = g; θ − lr v
    [{ algorithm: 'momentum', learningRate: 0.1, momentum: 0.9 }, [1 - 0.2, 1 + 0.4]],
    // m̂ = g, v̂ = g² ⇒ step lr·sign(g) (up to ε)
    [{ algorithm: 'adam', learningRate: 0.1 }, [0.9, 1.1]],
    // G = 0.1 + g² ⇒ θ − lr g/√G
    [
      { algorithm: 'adagrad', learningRate: 0.1 },
      [1 - (0.1 * 2) / Math.sqrt(4.1), 1 + (0.1 * 4) / Math.sqrt(16.1)],
    ],
    // s = 0.1 g² ⇒ θ − lr g/√s = θ − lr·sign(g)/√0.1
    [
      { algorithm: 'rmsprop', learningRate: 0.1, decay: 0.9 },
      [1 - 0.1 / Math.sqrt(0.1), 1 + 0.1 / Math.sqrt(0.1)],
    ],
  ];
  it.each(cases)('%j', (spec, expected) => {
    const theta = Float64Array.of(1, 1);
    optimizerStep(spec, initialOptimizerState(2, spec), theta, g, 1);
    expect(theta[0]).toBeCloseTo(expected[0]!, 6);
    expect(theta[1]).toBeCloseTo(expected[1]!, 6);
  });
});

describe('training loop', () => {
  it.each([
    { algorithm: 'gd', learningRate: 0.1 },
    { algorithm: 'momentum', learningRate: 0.05 },
    { algorithm: 'adam', learningRate: 0.05 },
    { algorithm: 'adagrad', learningRate: 0.5 },
    { algorithm: 'rmsprop', learningRate: 0.01 },
  ] as OptimizerSpec[])(
    '$algorithm reaches the optimum (3, −2) of a known quadratic',
    async (optimizer) => {
      const r = await train(quadratic([1, 2], [3, -2]), {
        optimizer,
        stopping: { maxSteps: 5000, lossTolerance: 1e-10 },
        initial: Float64Array.of(0, 0),
      });
      expect(r.status).toBe('converged');
      expect(r.parameters[0]).toBeCloseTo(3, 4);
      expect(r.parameters[1]).toBeCloseTo(-2, 4);
    },
  );

  it('stops on a parameter tolerance', async () => {
    const r = await train(quadratic([1], [1]), {
      optimizer: { algorithm: 'gd', learningRate: 0.1 },
      stopping: { maxSteps: 100000, parameterTolerance: 1e-9 },
      initial: Float64Array.of(0),
    });
    expect(r.status).toBe('converged');
    expect(r.message).toMatch(/parameters moved/);
    // θ_s = 1 − 0.8^s: the step 0.2·0.8^s ≤ 1e-9·(1+θ) at s ≈ 90
    expect(r.steps).toBeGreaterThan(80);
    expect(r.steps).toBeLessThan(100);
  });

  it('GD diverges above 2/λ: f = (θ−1)², λ = 2, lr 1.5 multiplies the error by −2 a step', async () => {
    const r = await train(quadratic([1], [1]), {
      optimizer: { algorithm: 'gd', learningRate: 1.5 },
      stopping: { maxSteps: 1000 },
      initial: Float64Array.of(0),
    });
    expect(r.status).toBe('diverged');
    // loss_s = 4^s; 4^s > 1e6 first at s = 10
    expect(r.message).toMatch(/^diverged at step 10:/);
    expect(Math.abs(r.parameters[0]! - 1)).toBe(Math.pow(2, 9));
  });

  it('a NaN loss stops with a clear status and keeps the last good parameters', async () => {
    let calls = 0;
    const poisoned: Objective = {
      ...quadratic([1], [1]),
      evaluate(theta) {
        calls++;
        return calls > 5
          ? { loss: NaN, gradient: Float64Array.of(NaN) }
          : quadratic([1], [1]).evaluate(theta);
      },
    };
    const r = await train(poisoned, {
      optimizer: { algorithm: 'gd', learningRate: 0.1 },
      stopping: { maxSteps: 100 },
      initial: Float64Array.of(0),
    });
    expect(r.status).toBe('diverged');
    expect(r.message).toMatch(/not finite/);
    expect(r.parameters[0]).toBeCloseTo(1 - Math.pow(0.8, 4), 12);
  });

  it('a learning rate of 0 or 1e9 is handled: 0 refused, 1e9 diverges at once', async () => {
    await expect(
      train(quadratic([1], [1]), {
        optimizer: { algorithm: 'gd', learningRate: 0 },
        stopping: { maxSteps: 10 },
        initial: Float64Array.of(0),
      }),
    ).rejects.toThrow(/learning rate must be a positive/);
    const r = await train(quadratic([1], [1]), {
      optimizer: { algorithm: 'gd', learningRate: 1e9 },
      stopping: { maxSteps: 10 },
      initial: Float64Array.of(0),
    });
    expect(r.status).toBe('diverged');
  });

  it('can be cancelled between steps and resumed from its checkpoint with the same result', async () => {
    const objective = quadratic([1, 3], [2, 5]);
    const optimizer = { algorithm: 'adam', learningRate: 0.01 } as const;
    const full = await train(objective, {
      optimizer,
      stopping: { maxSteps: 400 },
      initial: Float64Array.of(0, 0),
    });
    let steps = 0;
    const first = await train(
      objective,
      { optimizer, stopping: { maxSteps: 400 }, initial: Float64Array.of(0, 0) },
      { shouldStop: () => ++steps > 150 },
    );
    expect(first.status).toBe('cancelled');
    expect(first.steps).toBe(150);
    const resumed = await train(objective, {
      optimizer,
      stopping: { maxSteps: 400 },
      initial: Float64Array.of(0, 0),
      resumeFrom: JSON.parse(JSON.stringify(first.checkpoint)),
    });
    expect(resumed.steps).toBe(400);
    expect(Array.from(resumed.parameters)).toEqual(Array.from(full.parameters));
    expect(resumed.history.steps[0]).toBe(0);
  });
});

describe('learning-rate schedules', () => {
  it('step: lr·factor^⌊s/every⌋', () => {
    const spec: OptimizerSpec = {
      algorithm: 'gd',
      learningRate: 1,
      schedule: { kind: 'step', every: 10, factor: 0.5 },
    };
    const state = initialOptimizerState(1, spec);
    state.step = 25;
    expect(learningRateAt(spec, state, 1)).toBe(0.25);
  });
  it('loss-adaptive (the report): the rate grows as the loss falls, capped', () => {
    const spec: OptimizerSpec = {
      algorithm: 'gd',
      learningRate: 0.001,
      schedule: { kind: 'loss-adaptive', power: 0.5, maxFactor: 100 },
    };
    const state = initialOptimizerState(1, spec);
    state.initialLoss = 100;
    expect(learningRateAt(spec, state, 100)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(spec, state, 1)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(spec, state, 1e-8)).toBeCloseTo(0.1, 12);
  });
  it('refuses invalid settings', () => {
    expect(() => validateOptimizer({ algorithm: 'gd', learningRate: NaN })).toThrow(
      /learning rate/,
    );
    expect(() => validateOptimizer({ algorithm: 'lbfgs' as 'gd', learningRate: 1 })).toThrow(
      /Unknown optimizer/,
    );
  });
});

describe('history thinning', () => {
  it('keeps memory bounded for a million steps of 81 parameters', () => {
    const h = new TrainingHistory(500);
    const theta = new Float64Array(81);
    for (let s = 0; s < 1_000_000; s++) h.record(s, 1 / (s + 1), theta, theta);
    h.record(1_000_000, 1e-6, theta, theta, true);
    const snap = h.snapshot();
    expect(snap.steps.length).toBeLessThanOrEqual(500);
    expect(snap.steps[0]).toBe(0);
    expect(snap.steps[snap.steps.length - 1]).toBe(1_000_000);
    // evenly thinned: stride a power of two, steps multiples of it
    // thinning doubles the stride until 10⁶/stride < 500: stride 2048, 489 records
    expect(snap.stride).toBe(2048);
    expect(snap.steps.slice(0, -1).every((s) => s % snap.stride === 0)).toBe(true);
  });
});

describe('loss forms', () => {
  it('mean, sum and relative squared q̈ error match a hand computation', async () => {
    const { lossF64 } = await import('../../src-main/engine/training/loss');
    // two points, two components: errors (1, 2) and (0, 3); data |q̈|² = 4 + 0 and 9 + 16
    const pred = [Float64Array.of(3, 3), Float64Array.of(2, 7)];
    const data = [Float64Array.of(2, 3), Float64Array.of(0, 4)];
    expect(lossF64(pred, data, { reduction: 'sum' })).toBe(1 + 4 + 0 + 9);
    expect(lossF64(pred, data, { reduction: 'mean' })).toBe(14 / 2);
    expect(lossF64(pred, data, { reduction: 'sum', relative: true })).toBeCloseTo(
      5 / 4 + 9 / 25,
      14,
    );
  });
});
