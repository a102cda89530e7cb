import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair } from '../../src-main/engine/systems/presets';
import { createObjective } from '../../src-main/engine/training/objective';
import type { LossSpec } from '../../src-shared/dto/training';
import { coulombDataset, originWindow } from './fixtures';
import { uniforms, useBackend } from './helpers';

/**
 * The design route's fused WebAssembly step against the float64 Gram route (the exact loss
 * θᵀGθ − 2bᵀθ + c and its gradient) and against the tfjs design route (matmul + autodiff).
 */
beforeAll(async () => {
  await useBackend('wasm');
});

describe('the fused design-route kernel', () => {
  const data = coulombDataset(originWindow(1500));
  const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
  const p = model.parameterNames.length;

  for (const loss of [
    { reduction: 'mean' },
    { reduction: 'sum', relative: true },
  ] satisfies LossSpec[]) {
    it(`loss and gradient of all ${p} coefficients (${loss.reduction}${loss.relative ? ', relative' : ''})`, () => {
      expect(p).toBe(81);
      // d·n rows, not a whole number of 128-row blocks: the padding must add nothing.
      expect((2 * data.q[0]!.length) % 128).not.toBe(0);
      const fused = createObjective(model, data, loss, 'design');
      const tensor = createObjective(model, data, loss, 'design', { kernel: 'tensor' });
      const exact = createObjective(model, data, loss, 'gram');
      for (const seed of [1, 2, 3]) {
        // Small coefficients: q^i q^j terms up to order 16 stay O(1) in the window.
        const theta = uniforms(seed, p, -0.05, 0.05);
        const a = fused.evaluate(theta);
        const b = exact.evaluate(theta);
        const c = tensor.evaluate(theta);
        expect(Math.abs(a.loss - b.loss) / b.loss).toBeLessThan(1e-5);
        expect(Math.abs(c.loss - b.loss) / b.loss).toBeLessThan(1e-4);
        const gmax = Math.max(...b.gradient.map(Math.abs));
        for (let k = 0; k < p; k++) {
          expect(Math.abs(a.gradient[k]! - b.gradient[k]!)).toBeLessThan(1e-5 * gmax);
          expect(Math.abs(c.gradient[k]! - b.gradient[k]!)).toBeLessThan(1e-4 * gmax);
        }
      }
      fused.dispose();
      tensor.dispose();
      exact.dispose();
    });
  }
});
