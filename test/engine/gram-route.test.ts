import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair } from '../../src-main/engine/systems/presets';
import {
  chooseRoute,
  createObjective,
  linearFormOf,
  quadraticForm,
  quadraticLoss,
} from '../../src-main/engine/training/objective';
import type { LossSpec } from '../../src-shared/dto/training';
import { exactSolve } from '../../src-main/engine/training/exact-solve';
import { coulombDataset, originWindow } from './fixtures';
import { useBackend } from './helpers';

// Issue 29.6: for models affine in θ, 'auto' takes the float64 Gram route, which must be exact
// at every loss scale: checked against the graph route's float64 forward-mode kernel (a second
// method: q̈ through the Euler–Lagrange program, not through the quadratic form).
beforeAll(async () => {
  await useBackend('wasm');
});

describe('the Gram route as the default for linear models', () => {
  const data = coulombDataset(originWindow(1200));
  const exact = compileModel(
    { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
    coulombPair,
  );

  it("'auto' is Gram for models affine in θ and graph otherwise", () => {
    expect(chooseRoute(exact)).toBe('gram');
    expect(chooseRoute(compileModel({ family: 'polynomial', order: 2 }, coulombPair))).toBe('gram');
    const massive = compileModel(
      { family: 'exact-form', learnable: ['m', 'k'], initial: { m: 1, k: 1 } },
      coulombPair,
    );
    expect(massive.linear).toBeFalsy();
    expect(chooseRoute(massive)).toBe('graph');
  });

  for (const loss of [
    { reduction: 'mean' },
    { reduction: 'sum', relative: true },
  ] satisfies LossSpec[])
    it(`keeps its digits down to the optimum (${loss.reduction}${loss.relative ? ', relative' : ''})`, () => {
      const gram = createObjective(exact, data, loss, 'gram');
      const graph = createObjective(exact, data, loss, 'graph');
      expect(gram.route).toBe('gram');
      // noise-free data: the loss at the truth (k, α) = (4, 1) is rounding, and grows as δ²
      for (const offset of [1e-1, 1e-4, 1e-7, 1e-10]) {
        const theta = Float64Array.of(4 + offset, 1 - 0.5 * offset);
        const a = gram.evaluate(theta);
        const b = graph.evaluate(theta);
        expect(Math.abs(a.loss - b.loss) / b.loss, `δ = ${offset}`).toBeLessThan(1e-6);
        const gmax = Math.max(...b.gradient.map(Math.abs));
        b.gradient.forEach((g, i) =>
          expect(Math.abs(a.gradient[i]! - g)).toBeLessThan(1e-6 * gmax),
        );
      }
      // the plain θᵀGθ − 2bᵀθ + c cannot: at δ = 10⁻¹⁰ its loss is rounding of c
      const plain = quadraticLoss(
        quadraticForm(linearFormOf(exact, data), data, loss),
        Float64Array.of(4 + 1e-10, 1 - 0.5e-10),
      );
      const truth = graph.evaluate(Float64Array.of(4 + 1e-10, 1 - 0.5e-10)).loss;
      expect(Math.abs(plain.loss - truth) / truth).toBeGreaterThan(1e-2);
      gram.dispose();
      graph.dispose();
    });

  it('an Adam trajectory on the Gram route is the float64 graph route’s to 1e-9', () => {
    const gram = createObjective(exact, data, { reduction: 'mean' }, 'gram');
    const graph = createObjective(exact, data, { reduction: 'mean' }, 'graph');
    const adam = () => {
      const m = [0, 0];
      const v = [0, 0];
      return (theta: Float64Array, g: Float64Array, t: number) =>
        theta.map((x, i) => {
          m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
          v[i] = 0.999 * v[i]! + 0.001 * g[i]! ** 2;
          const mh = m[i] / (1 - 0.9 ** t);
          const vh = v[i] / (1 - 0.999 ** t);
          return x - (0.01 * mh) / (Math.sqrt(vh) + 1e-8);
        });
    };
    let a = Float64Array.of(1, 0.2);
    let b = Float64Array.of(1, 0.2);
    const stepA = adam();
    const stepB = adam();
    for (let t = 1; t <= 300; t++) {
      a = stepA(a, gram.evaluate(a).gradient, t);
      b = stepB(b, graph.evaluate(b).gradient, t);
    }
    a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-9));
  });

  it('keeps its digits at the optimum of an ill-conditioned model (order-8 coupling polynomial)', () => {
    // G squares the design's condition number here; the loss near the optimum is checked against
    // Σ (Aθ + a0 − q̈)²/n summed row by row in float64 (no quadratic form at all)
    const poly = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
    const form = linearFormOf(poly, data);
    const direct = (theta: Float64Array) => {
      let total = 0;
      for (let r = 0; r < form.d * form.n; r++) {
        let res = form.offset[r]! - data.qdd[Math.floor(r / form.n)]![r % form.n]!;
        for (let a = 0; a < form.p; a++) res += form.columns[a]![r]! * theta[a]!;
        total += res * res;
      }
      return total / form.n;
    };
    const gram = createObjective(poly, data, { reduction: 'mean' }, 'gram');
    const optimum = exactSolve(form, data, { reduction: 'mean' }).parameters;
    for (const offset of [1e-2, 1e-5, 1e-8]) {
      const theta = Float64Array.from(optimum, (t, i) => t + offset * Math.sin(i + 1));
      const truth = direct(theta);
      expect(Math.abs(gram.evaluate(theta).loss - truth) / truth, `δ = ${offset}`).toBeLessThan(
        1e-6,
      );
    }
  });
});
