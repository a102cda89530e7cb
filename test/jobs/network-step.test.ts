// A neural training step split over two threads (the network-step worker on shared memory)
// gives the single thread's loss and gradient; a helper that never answers is replaced by the
// training thread computing its half, and the worker is gone after dispose.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { doublePendulum } from '../../src-main/engine/systems/presets';
import {
  networkKernel,
  splitNeuralKernel,
} from '../../src-main/engine/training/fused/neural-kernel';
import { sharedStepBuffer, splitObjective } from '../../src-main/engine/training/fused/shared-step';
import { createObjective } from '../../src-main/engine/training/objective';
import { train } from '../../src-main/engine/training/train';
import { networkStepHelper } from '../../src-main/jobs/network-step-helper';
import { samplesOf } from '../engine/nonlinear-systems';
import { useBackend } from '../engine/helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

const model = compileModel(
  { family: 'structured-neural', hidden: [16, 16], activation: 'tanh', seed: 2 },
  doublePendulum,
);
const data = samplesOf(doublePendulum, 1500, 0.9, 1);

const close = (a: number, b: number, scale: number) =>
  expect(Math.abs(a - b)).toBeLessThan(1e-5 * scale);

describe('a neural step on two threads', () => {
  it('has the loss and gradient of one thread, step after step', async () => {
    for (const loss of [{ reduction: 'mean' }, { reduction: 'sum', relative: true }] as const) {
      const one = splitNeuralKernel(model, data, loss, undefined)!;
      const two = splitNeuralKernel(model, data, loss, networkStepHelper)!;
      expect([one.threads, two.threads]).toEqual([1, 2]);
      try {
        for (let step = 0; step < 3; step++) {
          const theta = model.initial.map((x, i) => x + 0.1 * step * Math.cos(i));
          const a = one.evaluate(theta);
          const b = two.evaluate(theta);
          close(b.loss, a.loss, a.loss);
          const largest = Math.max(...a.gradient.map(Math.abs));
          a.gradient.forEach((g, i) => close(b.gradient[i]!, g, largest));
        }
      } finally {
        two.dispose();
      }
    }
  });

  it('trains to the same parameters as one thread', async () => {
    const run = async (threads: 1 | 2) => {
      const objective = createObjective(model, data, { reduction: 'mean' }, 'graph', {
        ...(threads === 2 ? { helper: networkStepHelper } : {}),
      });
      try {
        expect(objective.threads).toBe(threads);
        return await train(objective, {
          optimizer: { algorithm: 'adam', learningRate: 0.01 },
          stopping: { maxSteps: 30 },
          initial: model.initial,
        });
      } finally {
        objective.dispose();
      }
    };
    const [a, b] = [await run(1), await run(2)];
    close(b.finalLoss, a.finalLoss, a.finalLoss);
    a.parameters.forEach((x, i) => close(b.parameters[i]!, x, 1));
  });

  it('computes the helper’s half itself when the helper does not answer', () => {
    const p = model.parameterNames.length;
    const loss = { reduction: 'mean' } as const;
    const half = 700;
    const part = (from: number, to: number) => ({
      q: data.q.map((c) => c.slice(from, to)),
      qd: data.qd.map((c) => c.slice(from, to)),
      qdd: data.qdd.map((c) => c.slice(from, to)),
    });
    const scaled = { scale: 1 / 1500 };
    let fellBack = 0;
    // nobody serves this buffer: the first step waits 50 ms, then falls back for good
    const split = splitObjective(
      sharedStepBuffer(p),
      p,
      networkKernel(model.network!, p, part(0, half), loss, scaled),
      () => {
        fellBack++;
        return networkKernel(model.network!, p, part(half, 1500), loss, scaled);
      },
      50,
    );
    const whole = networkKernel(model.network!, p, data, loss);
    for (let step = 0; step < 2; step++) {
      const a = whole.evaluate(model.initial);
      const b = split.evaluate(model.initial);
      close(b.loss, a.loss, a.loss);
    }
    expect(fellBack).toBe(1);
    expect(split.helped()).toBe(false);
  });
});
