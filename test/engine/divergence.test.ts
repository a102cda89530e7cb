import { describe, expect, it } from 'vitest';
import { train } from '../../src-main/engine/training/train';
import type { Objective } from '../../src-main/engine/training/objective';

/*
 * Issue 28.7: a fit started at its optimum (loss 4·10⁻²⁶) whose first Adam step moves it by the
 * learning rate (loss ~10⁻⁶) was "diverged: 10⁶ × the initial loss". Divergence is judged against
 * an absolute scale: the larger of the initial loss and the loss of predicting q̈ = 0.
 */
const bowl: Objective = {
  route: 'graph',
  p: 1,
  // loss (θ − 1)², gradient 2(θ − 1): the optimum θ = 1, loss 0
  evaluate: (theta) => ({
    loss: (theta[0]! - 1) ** 2,
    gradient: Float64Array.of(2 * (theta[0]! - 1)),
  }),
  dispose: () => {},
};
const options = {
  optimizer: { algorithm: 'adam' as const, learningRate: 1e-3 },
  stopping: { maxSteps: 20 },
  initial: Float64Array.of(1 + 2e-13), // loss 4e-26
};

describe('divergence on an absolute scale', () => {
  it('relative to the initial loss alone, Adam’s first step from the optimum reads as divergence', async () => {
    const r = await train(bowl, options);
    expect(r.status).toBe('diverged');
  });

  it('against the loss of predicting q̈ = 0 it does not, and the fit stays at the optimum', async () => {
    const r = await train(bowl, { ...options, referenceLoss: 1 });
    expect(r.status).not.toBe('diverged');
    // Adam's steps are at most the learning rate: 20 steps stay within 0.02 of θ = 1
    expect(Math.abs(r.parameters[0]! - 1)).toBeLessThanOrEqual(20e-3 + 1e-12);
  });

  it('a loss far above both scales is still divergence, named against the larger scale', async () => {
    const r = await train(bowl, {
      ...options,
      optimizer: { algorithm: 'gd', learningRate: 5 }, // θ ← θ − 10(θ − 1): ×9 each step
      initial: Float64Array.of(2),
      referenceLoss: 4,
    });
    expect(r.status).toBe('diverged');
    expect(r.message).toMatch(/exceeds 1e\+6 × the loss of predicting q̈ = 0, 4\.000e\+0/);
  });
});
