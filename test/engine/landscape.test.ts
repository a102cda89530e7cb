import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair } from '../../src-main/engine/systems/presets';
import {
  lossLandscape,
  landscapeDifference,
  zoomAround,
  type LandscapeSpec,
} from '../../src-main/engine/analysis/landscape';
import { exactSolve } from '../../src-main/engine/training/exact-solve';
import { linearFormOf } from '../../src-main/engine/training/objective';
import { lossF64 } from '../../src-main/engine/training/loss';
import { predictF64 } from '../../src-main/engine/analysis/predict';
import { coulombDataset, originWindow } from './fixtures';
import { useBackend } from './helpers';
import type { Dataset } from '../../src-main/engine/dataset';

const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
const spec = (path: 'general' | 'gram'): LandscapeSpec => ({
  x: { parameter: 'k', min: 0, max: 8, count: 200 },
  y: { parameter: 'alpha', min: 0, max: 2, count: 200 },
  parameters: { k: 4, alpha: 1 },
  loss: { reduction: 'sum' },
  path,
});

let data: Dataset;
beforeAll(async () => {
  await useBackend('wasm');
  data = coulombDataset(originWindow(2000));
});

describe('loss landscape over (k, alpha)', () => {
  it('both paths put the minimum at a node next to the truth: (4.0201, 1.00503) or its mirror image', () => {
    // Grid steps 8/199 and 2/199 put nodes 99 and 100 symmetrically about the truth
    // (3.9799 | 4.0201 and 0.99497 | 1.00503). The loss is quadratic in (k, alpha), so the two
    // diagonal nodes (δk, δα) and (−δk, −δα) have the same loss: float rounding picks one.
    // The k–alpha coupling (G_kα < 0) makes the diagonal pair beat the anti-diagonal one.
    for (const path of ['general', 'gram'] as const) {
      const l = lossLandscape(model, data, spec(path));
      expect(l.path).toBe(path);
      const node = [l.minimum.ix, l.minimum.iy];
      expect([
        [100, 100],
        [99, 99],
      ]).toContainEqual(node);
      expect(Math.abs(l.minimum.x - 4)).toBeLessThanOrEqual(8 / 199);
      expect(Math.abs(l.minimum.y - 1)).toBeLessThanOrEqual(2 / 199);
      if (path === 'gram') {
        const a = l.loss[100 * 200 + 100]!,
          b = l.loss[99 * 200 + 99]!,
          anti = l.loss[99 * 200 + 100]!;
        expect(a / b).toBeCloseTo(1, 9);
        expect(anti).toBeGreaterThan(a);
      }
    }
  });

  it('the float32 general path and the float64 Gram path agree to 1e-3 away from the minimum', () => {
    const general = lossLandscape(model, data, spec('general'));
    const gram = lossLandscape(model, data, spec('gram'));
    const diff = landscapeDifference(general, gram);
    let checked = 0;
    for (let c = 0; c < diff.length; c++) {
      if (gram.loss[c]! > 100 * gram.minimum.loss + 1) {
        expect(diff[c]).toBeLessThan(1e-3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(39000);
    // Spot check a cell against the float64 loss computed directly from q̈
    const cell = 123 * 200 + 45;
    const k = general.xValues[45]!,
      alpha = general.yValues[123]!;
    const direct = lossF64(predictF64(model, [k, alpha], data.q, data.qd), data.qdd, {
      reduction: 'sum',
    });
    expect(gram.loss[cell]! / direct).toBeCloseTo(1, 10);
  });

  it('zooms around the exact optimum', () => {
    const opt = exactSolve(linearFormOf(model, data), data, { reduction: 'sum' });
    const zoomed = lossLandscape(
      model,
      data,
      zoomAround(
        {
          ...spec('gram'),
          x: { ...spec('gram').x, count: 51 },
          y: { ...spec('gram').y, count: 51 },
        },
        { x: opt.parameters[0]!, y: opt.parameters[1]! },
        1e-3,
      ),
    );
    expect(zoomed.minimum.ix).toBe(25);
    expect(zoomed.minimum.iy).toBe(25);
    expect(zoomed.xValues[0]).toBeCloseTo(4 - 4e-3, 9);
  });

  it('refuses a one-cell grid and unknown parameters', () => {
    expect(() =>
      lossLandscape(model, data, {
        ...spec('gram'),
        x: { parameter: 'k', min: 0, max: 8, count: 1 },
      }),
    ).toThrow(/2 to 2000 grid values/);
    expect(() =>
      lossLandscape(model, data, {
        ...spec('gram'),
        x: { parameter: 'beta', min: 0, max: 8, count: 10 },
      }),
    ).toThrow(/"beta" is not a parameter/);
    expect(() =>
      lossLandscape(model, data, {
        ...spec('gram'),
        y: { parameter: 'alpha', min: 2, max: 0, count: 10 },
      }),
    ).toThrow(/max > min/);
  });
});
