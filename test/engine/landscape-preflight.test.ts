import { beforeAll, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair } from '../../src-main/engine/systems/presets';
import { fusedLandscapeRefusal } from '../../src-main/engine/analysis/fused/fused-landscape';
import { planLayout } from '../../src-main/engine/analysis/fused/kernel-layout';
import { useBackend } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

// Issue 31.1: what a study asks for is checked before it trains. A float64 general landscape
// runs only on the fused kernel: one it cannot serve is refused in words, up front.
it('a float64 landscape the kernel can serve passes; one past its memory is refused, naming the size', () => {
  const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
  const axes = {
    x: { parameter: 'k', min: 3, max: 5, count: 200 },
    y: { parameter: 'alpha', min: 0.5, max: 1.5, count: 200 },
    loss: { reduction: 'mean' as const },
  };
  expect(fusedLandscapeRefusal(model, axes, 10_000, 'float64')).toBeNull();
  // 2·10⁸ points: each float64 point column alone is 1.6 GB, past the kernel's 1 GiB
  expect(
    planLayout({
      precision: 'float64',
      n: 2e8,
      cells: 1,
      dimensions: 2,
      kinds: [],
      pointSlots: [],
      cellSlots: [],
      uniformValues: new Map(),
      weighted: false,
      scale: 1,
    }).bytes,
  ).toBeGreaterThan(2e8 * 8);
  expect(fusedLandscapeRefusal(model, axes, 2e8, 'float64')).toMatch(
    /^its memory would be \d+\.\d GiB \(at most 1 GiB\): use fewer points or grid cells$/,
  );
});
