import { afterEach, beforeAll, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { doublePendulum } from '../../src-main/engine/systems/presets';
import {
  NEURAL_BLOCK,
  networkKernelBytes,
  splitNeuralKernel,
} from '../../src-main/engine/training/fused/neural-kernel';
import { samplesOf } from './nonlinear-systems';
import { useBackend } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});
afterEach(() => {
  delete process.env.LAGRANGE_RUN_BUDGET_MB;
});

// Issue 29: the network kernel's memory is budgeted before it is taken, like every large
// allocation of a run (issue 32.3).
it('counts 176 bytes a point for a plain network on 2 coordinates, and refuses past the budget', () => {
  const model = compileModel(
    { family: 'neural', hidden: [32, 32], activation: 'softplus', seed: 1 },
    doublePendulum,
  );
  const structure = model.network!;
  // a block more of points: 11 channels (the value, q̇ and q tangents, the second-order ones)
  // × 4 inputs (q, q̇) × 4 bytes (float32) = 176 bytes a point
  const one = networkKernelBytes(structure, 2, NEURAL_BLOCK, 1);
  const two = networkKernelBytes(structure, 2, 2 * NEURAL_BLOCK, 1);
  expect(two - one).toBe(176 * NEURAL_BLOCK);
  // a second thread adds its own workspace, not the points again
  const workspace = networkKernelBytes(structure, 2, 0, 1);
  expect(networkKernelBytes(structure, 2, NEURAL_BLOCK, 2)).toBe(one + workspace);
  // past the run's budget: refused in words, before any memory is taken
  process.env.LAGRANGE_RUN_BUDGET_MB = '1';
  const data = samplesOf(doublePendulum, 20_000, 1, 1);
  expect(() => splitNeuralKernel(model, data, { reduction: 'mean' }, undefined)).toThrow(
    /about .* GiB for the network kernel: 20,000 points, 1 thread; the limit is 0\.0 GiB/,
  );
  delete process.env.LAGRANGE_RUN_BUDGET_MB;
  const k = splitNeuralKernel(model, data, { reduction: 'mean' }, undefined)!;
  expect(Number.isFinite(k.evaluate(model.initial).loss)).toBe(true);
  k.dispose();
});
