import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair, doublePendulum } from '../../src-main/engine/systems/presets';
import { parseSystem, type SystemDefinition } from '../../src-main/engine/systems/system';
import { accelerationsF64 } from '../../src-main/engine/dynamics';
import { createObjective } from '../../src-main/engine/training/objective';
import { lossF64 } from '../../src-main/engine/training/loss';
import type { PhaseSamples } from '../../src-main/engine/training/samples';
import { uniforms, useBackend } from './helpers';
import { anharmonic, elasticPendulum, quartic, samplesOf, threeBody } from './nonlinear-systems';
import type { LossSpec } from '../../src-shared/dto/training';

/**
 * The graph route's fused forward-mode kernel: its loss against a plain float64 evaluation
 * (accelerationsF64 + lossF64), its gradient against central differences of that loss and
 * against tfjs autodiff of the float32 tensor route.
 */
beforeAll(async () => {
  await useBackend('wasm');
});

interface Case {
  readonly system: SystemDefinition;
  readonly learnable: string[];
  readonly loss: LossSpec;
  readonly n: number;
}

const CASES: Record<string, Case> = {
  'Coulomb pair with a learnable mass (M = m·I depends on θ)': {
    system: coulombPair,
    learnable: ['m', 'k', 'alpha'],
    loss: { reduction: 'mean' },
    n: 801,
  },
  'elastic pendulum: k and l0': {
    system: elasticPendulum,
    learnable: ['k', 'l0', 'g'],
    loss: { reduction: 'mean' },
    n: 600,
  },
  'double pendulum: every parameter (mixed mass matrix)': {
    system: doublePendulum,
    learnable: ['m1', 'm2', 'l1', 'l2', 'g'],
    loss: { reduction: 'sum', relative: true },
    n: 401,
  },
  'three coordinates (LU of M reused for every tangent)': {
    system: threeBody,
    learnable: ['a', 'b', 'c'],
    loss: { reduction: 'mean' },
    n: 333,
  },
  'parameters inside cos and in an exponent': {
    system: anharmonic,
    learnable: ['k', 'w', 'p'],
    loss: { reduction: 'mean', relative: true },
    n: 500,
  },
  'integer powers of a mixed value': {
    system: quartic,
    learnable: ['k', 's'],
    loss: { reduction: 'mean' },
    n: 257,
  },
};

function referenceLoss(c: Case, data: PhaseSamples, theta: Float64Array): number {
  const model = compileModel({ family: 'exact-form', learnable: c.learnable }, c.system);
  const params = Object.fromEntries(c.learnable.map((name, i) => [name, theta[i]!]));
  const pred = accelerationsF64(model.eom!, data.q, data.qd, params).accelerations;
  return lossF64(pred, data.qdd, c.loss);
}

describe('the fused graph-route kernel (forward mode, float64)', () => {
  for (const [title, c] of Object.entries(CASES)) {
    it(title, () => {
      const data = samplesOf(c.system, c.n, 0.9, 1);
      const model = compileModel({ family: 'exact-form', learnable: c.learnable }, c.system);
      const fused = createObjective(model, data, c.loss, 'graph');
      const tensor = createObjective(model, data, c.loss, 'graph', { kernel: 'tensor' });
      const truth = parseSystem(c.system).parameterValues;
      for (const seed of [1, 2]) {
        // θ within ±20% of the truth: the loss is well away from zero.
        const wiggle = uniforms(seed, c.learnable.length, 0.8, 1.2);
        const theta = Float64Array.from(c.learnable, (name, i) => truth[name]! * wiggle[i]!);
        const got = fused.evaluate(theta);
        const ref = referenceLoss(c, data, theta);
        expect(Math.abs(got.loss - ref) / ref).toBeLessThan(1e-12);
        const auto = tensor.evaluate(theta);
        // float32 tensors: a pair at distance r has q̈ ~ 1/r², so rounding grows near the band.
        expect(Math.abs(auto.loss - ref) / ref).toBeLessThan(1e-3);
        const gmax = Math.max(...got.gradient.map(Math.abs));
        theta.forEach((v, j) => {
          // Central difference, step ~ (ε_64)^(1/3) · |θ_j|: error ~ 1e-10 relative.
          const h = 1e-5 * Math.abs(v);
          const up = Float64Array.from(theta, (x, k) => (k === j ? x + h : x));
          const down = Float64Array.from(theta, (x, k) => (k === j ? x - h : x));
          const fd = (referenceLoss(c, data, up) - referenceLoss(c, data, down)) / (2 * h);
          expect(Math.abs(got.gradient[j]! - fd), `∂/∂${c.learnable[j]}`).toBeLessThan(1e-6 * gmax);
          expect(Math.abs(auto.gradient[j]! - got.gradient[j]!)).toBeLessThan(2e-3 * gmax);
        });
      }
      tensor.dispose();
    });
  }
});
