import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { estimateRunBytes } from '../../src-main/study/memory-budget';
import { runStudy } from '../../src-main/study/run-study';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

/* Issue 32.3: a budget refusal before any large allocation, naming the figure and the limit. */
const d = 8;
const system = {
  name: 'eight oscillators',
  coordinates: Array.from({ length: d }, (_, i) => `q${i}`),
  velocities: Array.from({ length: d }, (_, i) => `qd${i}`),
  parameters: [],
  lagrangian: Array.from({ length: d }, (_, i) => `0.5*qd${i}^2 - 0.5*q${i}^2`).join(' + '),
};
const study = (model: StudySpec['model'], count: number): StudySpec =>
  parseStudy({
    name: 'big',
    system,
    sampling: {
      window: {
        q: Array.from({ length: d }, () => ({ min: -1, max: 1 })),
        qd: Array.from({ length: d }, () => ({ min: -1, max: 1 })),
      },
      count,
      seed: 1,
    },
    model,
    optimizer: { algorithm: 'adam', learningRate: 0.01 },
    stopping: { maxSteps: 10 },
  });

describe('memory is budgeted before it is spent', () => {
  it('polynomial order 12 on 8 coordinates, 20 000 points: refused at once, nothing allocated', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    await expect(runStudy(study({ family: 'polynomial', order: 12 }, 20_000))).rejects.toThrow(
      /about 9\.3 GiB for the design matrix: 160,000 rows × 5,184 parameters; the limit is 4\.0 GiB/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('the estimate counts the parameters the compiled model really has', () => {
    for (const order of [1, 2, 3]) {
      const s = study({ family: 'polynomial', order }, 100);
      const p = compileModel(s.model, s.system).parameterNames.length;
      const design = estimateRunBytes(s).find((e) => e.what.startsWith('the design matrix'))!;
      expect(design.bytes).toBe(100 * d * p * 12);
    }
  });
});

describe('one training step on the tensor route is budgeted (issue 32.5)', () => {
  it('refused before any tensor exists when instructions × points pass the budget', async () => {
    const { createObjective } = await import('../../src-main/engine/training/objective');
    const { coulombPair } = await import('../../src-main/engine/systems/presets');
    const { coulombDataset, originWindow } = await import('../engine/fixtures');
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const data = coulombDataset(originWindow(20_000));
    const instructions = model.eom!.program.instructions.length;
    // the estimate: instructions × n float32 tensors, ×3 for the backward pass
    const needed = instructions * data.q[0]!.length * 4 * 3;
    process.env.LAGRANGE_RUN_BUDGET_MB = String(Math.floor(needed / 2 ** 20 / 2));
    try {
      expect(() =>
        createObjective(model, data, { reduction: 'mean' }, 'graph', { kernel: 'tensor' }),
      ).toThrow(/one training step on the tensor route: \d+ instructions × [\d,]+ points/);
      process.env.LAGRANGE_RUN_BUDGET_MB = String(Math.ceil((needed / 2 ** 20) * 2));
      createObjective(model, data, { reduction: 'mean' }, 'graph', { kernel: 'tensor' }).dispose();
    } finally {
      delete process.env.LAGRANGE_RUN_BUDGET_MB;
    }
  });
});
