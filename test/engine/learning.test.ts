import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair } from '../../src-main/engine/systems/presets';
import { createObjective, linearFormOf } from '../../src-main/engine/training/objective';
import { train } from '../../src-main/engine/training/train';
import { exactSolve } from '../../src-main/engine/training/exact-solve';
import {
  identifiability,
  lossHessian,
  pairRatioSeries,
  gradientMagnitudes,
} from '../../src-main/engine/analysis/diagnostics';
import { errorGrid, errorField } from '../../src-main/engine/analysis/error-fields';
import { predictF64 } from '../../src-main/engine/analysis/predict';
import {
  coulombDataset,
  originWindow,
  fixedPointWindow,
  FIXED_POINT_HALF_SEPARATION,
} from './fixtures';
import { useBackend } from './helpers';
import type { Dataset } from '../../src-main/engine/dataset';

const exactForm = () =>
  compileModel(
    { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1.0, alpha: 0.2 } },
    coulombPair,
  );
const MEAN = { reduction: 'mean' } as const;

let origin: Dataset;
beforeAll(async () => {
  await useBackend('wasm');
  origin = coulombDataset(originWindow(10000));
});

describe('exact-form fits on the origin window (report section 1.1)', () => {
  it.each(['graph', 'design'] as const)(
    'Adam (lr 0.01, 1000 steps) reaches k = 4, alpha = 1 within 1e-3 on the %s route',
    async (route) => {
      const model = exactForm();
      const objective = createObjective(model, origin, MEAN, route);
      const r = await train(objective, {
        optimizer: { algorithm: 'adam', learningRate: 0.01 },
        stopping: { maxSteps: 1000 },
        initial: model.initial,
      });
      objective.dispose();
      expect(r.status).toBe('completed');
      expect(Math.abs(r.parameters[0]! - 4)).toBeLessThan(1e-3);
      expect(Math.abs(r.parameters[1]! - 1)).toBeLessThan(1e-3);
      expect(r.history.loss[0]).toBeGreaterThan(1e5 * r.finalLoss);
    },
  );

  it('plain gradient descent diverges at lr 0.01 and keeps the last good parameters', async () => {
    const model = exactForm();
    const objective = createObjective(model, origin, MEAN, 'graph');
    const r = await train(objective, {
      optimizer: { algorithm: 'gd', learningRate: 0.01 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    objective.dispose();
    // lr·λmax = 0.01·1435 ≫ 2: the stiff direction grows ×13 a step
    expect(r.status).toBe('diverged');
    expect(r.message).toMatch(/^diverged at step \d+/);
    expect(r.parameters.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
  });

  it('plain gradient descent at lr 0.001 creeps: alpha fits first, k lags (PyTorch: k ≈ 3.20, alpha ≈ 0.998)', async () => {
    const model = exactForm();
    const graph = createObjective(model, origin, MEAN, 'graph');
    const r = await train(graph, {
      optimizer: { algorithm: 'gd', learningRate: 0.001 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    graph.dispose();
    expect(r.parameters[0]).toBeGreaterThan(3.1);
    expect(r.parameters[0]).toBeLessThan(3.3);
    expect(Math.abs(r.parameters[1]! - 0.998)).toBeLessThan(5e-3);
    // The same 1000 steps on the float64 quadratic form (an independent computation of the loss)
    const gram = createObjective(model, origin, MEAN, 'gram');
    const g = await train(gram, {
      optimizer: { algorithm: 'gd', learningRate: 0.001 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    expect(Math.abs(g.parameters[0]! - r.parameters[0]!)).toBeLessThan(1e-3);
    // Slow mode: k's error decays as (1 − lr·λmin)^steps with λmin ≈ 1.33 (BENCH-1):
    // k(1000) ≈ 4 − 3·(1 − 0.00133)^1000 ≈ 4 − 3·0.264 ≈ 3.21
    expect(g.parameters[0]).toBeCloseTo(4 - 3 * Math.pow(1 - 0.001 * 1.33, 1000), 1);
  });

  it('the exact solve returns (4, 1) to 1e-6, and the Hessian explains the stable learning rate', () => {
    const model = exactForm();
    const solution = exactSolve(linearFormOf(model, origin), origin, MEAN);
    expect(Math.abs(solution.parameters[0]! - 4)).toBeLessThan(1e-6);
    expect(Math.abs(solution.parameters[1]! - 1)).toBeLessThan(1e-6);
    expect(solution.loss).toBeLessThan(1e-20);
    const H = lossHessian(model, origin, MEAN, solution.parameters);
    // By hand: q̈ is linear in (k, α) with ∂q̈/∂k = (−q0, −q1), ∂q̈/∂α = (s/r², −s/r²), r = q0 −
    // q1, s = sgn r,
    // so H = (2/n) Σ JᵀJ.
    let hkk = 0,
      hka = 0,
      haa = 0;
    for (let i = 0; i < origin.n; i++) {
      const q0 = origin.q[0]![i]!,
        q1 = origin.q[1]![i]!,
        r = q0 - q1;
      const c = Math.sign(r) / (r * r);
      hkk += q0 * q0 + q1 * q1;
      hka += -q0 * c + q1 * c;
      haa += 2 * c * c;
    }
    const scale = 2 / origin.n;
    expect(H[0]![0]! / (scale * hkk)).toBeCloseTo(1, 9);
    expect(H[0]![1]! / (scale * hka)).toBeCloseTo(1, 9);
    expect(H[1]![1]! / (scale * haa)).toBeCloseTo(1, 9);
    const id = identifiability(H);
    // BENCH-1's sample gives eigenvalues ≈ 1.33 and 1435: λmax depends on how close points come to
    // the band
    expect(id.eigenvalues[0]).toBeGreaterThan(1.2);
    expect(id.eigenvalues[0]).toBeLessThan(1.45);
    expect(id.eigenvalues[1]).toBeGreaterThan(1100);
    expect(id.eigenvalues[1]).toBeLessThan(1700);
    expect(id.maxStableLearningRate).toBeCloseTo(2 / id.eigenvalues[1]!, 12);
    expect(id.conditionNumber).toBeCloseTo(id.eigenvalues[1]! / id.eigenvalues[0]!, 6);
  });

  it('records gradient magnitudes and the (k/alpha) fit/true ratio per step', async () => {
    const model = exactForm();
    const objective = createObjective(model, origin, MEAN, 'gram');
    const r = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.01 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    const ratio = pairRatioSeries(r.history, model.parameterNames, 'k', 'alpha', {
      k: 4,
      alpha: 1,
    });
    expect(ratio[0]).toBeCloseTo(1 / 0.2 / 4, 10); // (1/0.2)/(4/1) = 1.25
    expect(ratio[ratio.length - 1]).toBeCloseTo(1, 3);
    const g = gradientMagnitudes(r.history);
    // At the start the alpha gradient dominates (the report's mismatch): compare with the Gram
    // gradient 2(Gθ − b)
    const start = objective.evaluate(model.initial).gradient;
    expect(g.magnitudes[0]![0]).toBeCloseTo(Math.abs(start[0]!), 8);
    expect(g.magnitudes[1]![0]).toBeCloseTo(Math.abs(start[1]!), 8);
  });
});

describe("the report's window findings", () => {
  it('far apart (q0 in [−6, −4], q1 in [4, 6]): GD at its largest stable rate fits k, alpha stays far off', async () => {
    const far = coulombDataset({
      window: {
        q: [
          { min: -6, max: -4 },
          { min: 4, max: 6 },
        ],
        qd: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
      },
      count: 2000,
      seed: 5,
    });
    const model = exactForm();
    const id = identifiability(lossHessian(model, far, MEAN, [4, 1]));
    const objective = createObjective(model, far, MEAN, 'graph');
    const lr = 0.9 * id.maxStableLearningRate;
    const r = await train(objective, {
      optimizer: { algorithm: 'gd', learningRate: lr },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    objective.dispose();
    expect(r.status).toBe('completed');
    expect(Math.abs(r.parameters[0]! - 4)).toBeLessThan(1e-2);
    expect(Math.abs(r.parameters[1]! - 1)).toBeGreaterThan(0.5);
    // The Coulomb gradient is tiny here: the condition number is in the millions (float64: ≈ 3.6e6)
    expect(id.conditionNumber).toBeGreaterThan(1e5);
  });

  it('in a window 0.1 wide around a fixed point Adam converges to truth within 1e-3', async () => {
    const near = coulombDataset(fixedPointWindow(0.1, 2000, 2));
    const model = exactForm();
    const objective = createObjective(model, near, MEAN, 'graph');
    const r = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.01 },
      stopping: { maxSteps: 4000 },
      initial: model.initial,
    });
    objective.dispose();
    expect(Math.abs(r.parameters[0]! - 4)).toBeLessThan(1e-3);
    expect(Math.abs(r.parameters[1]! - 1)).toBeLessThan(1e-3);
  });

  it('a coupling polynomial fitted on a 0.0003-wide window fails on the wide window (≥ 100× the training error)', async () => {
    const narrow = coulombDataset(fixedPointWindow(0.0003, 2000, 3));
    const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
    const objective = createObjective(model, narrow, MEAN, 'design');
    const r = await train(objective, {
      optimizer: { algorithm: 'adam', learningRate: 0.001 },
      stopping: { maxSteps: 1000 },
      initial: model.initial,
    });
    objective.dispose();
    const training = errorField(
      predictF64(model, r.parameters, narrow.q, narrow.qd),
      narrow.qdd,
    ).summary;
    const c = FIXED_POINT_HALF_SEPARATION;
    // Validation: a window covering both fixed points (one side of q0 = q1 is enough to fail)
    const wide = errorGrid(model, r.parameters, coulombPair, undefined, {
      x: { coordinate: 0, min: -c - 0.3, max: -c + 0.3, count: 40 },
      y: { coordinate: 1, min: c - 0.3, max: c + 0.3, count: 40 },
    });
    expect(wide.summary.meanSquared).toBeGreaterThan(100 * training.meanSquared);
  });
});

describe('exact solve for the coupling polynomial', () => {
  it("its loss is not above any optimizer run's", async () => {
    const side = coulombDataset({
      ...originWindow(3000),
      window: {
        ...originWindow(3000).window,
        exclusionBands: [],
        halfPlanes: [{ i: 0, j: 1, epsilon: 0.1 }],
      },
    });
    const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
    const solution = exactSolve(linearFormOf(model, side), side, MEAN);
    // c_00 never enters q̈ (a constant in L): rank 80 of 81
    expect(solution.rank).toBe(80);
    const objective = createObjective(model, side, MEAN, 'design');
    for (const optimizer of [
      { algorithm: 'adam', learningRate: 0.001 },
      { algorithm: 'rmsprop', learningRate: 0.001 },
    ] as const) {
      const r = await train(objective, {
        optimizer,
        stopping: { maxSteps: 300 },
        initial: model.initial,
      });
      expect(solution.loss).toBeLessThanOrEqual(r.bestLoss * (1 + 1e-9));
    }
    objective.dispose();
    // and the float64 loss at θ* matches the exact-solve's own figure
    const check = errorField(predictF64(model, solution.parameters, side.q, side.qd), side.qdd)
      .summary.meanSquared;
    expect(check).toBeCloseTo(solution.loss, 8);
  });
});

describe('error fields', () => {
  it('a k error of δ gives |Δq̈| = δ·|q| exactly on a grid', () => {
    const model = exactForm();
    const grid = errorGrid(model, [4.5, 1], coulombPair, undefined, {
      x: { coordinate: 0, min: -1, max: -0.2, count: 9 },
      y: { coordinate: 1, min: 0.2, max: 1, count: 9 },
    });
    for (let s = 0; s < 81; s++) {
      const ix = s % 9,
        iy = Math.floor(s / 9);
      const q0 = grid.xValues[ix]!,
        q1 = grid.yValues[iy]!;
      expect(grid.absolute[s]).toBeCloseTo(0.5 * Math.hypot(q0, q1), 12);
    }
  });
});
