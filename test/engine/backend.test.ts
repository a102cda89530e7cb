import { describe, expect, it } from 'vitest';
import * as tf from '../../src-main/engine/tf';
import { initBackend } from '../../src-main/engine/backend';

describe('compute backend selection', () => {
  it('picks the best backend present and says why each better one was skipped', async () => {
    const report = await initBackend();
    // tfjs-node(-gpu) cannot install on these machines (libtensorflow download), so wasm wins here.
    const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    const activeIndex = order.indexOf(report.active);
    expect(activeIndex).toBeGreaterThanOrEqual(0);
    for (const a of report.attempts.slice(0, activeIndex)) {
      expect(a.ok).toBe(false);
      expect(a.reason).toMatch(new RegExp(`^${a.module.replace(/[/@.-]/g, '.')}: .+`));
    }
    expect(report.attempts[activeIndex]!.ok).toBe(true);
    expect(report.summary).toContain(report.active);
    // It computes: Σ 2·[1, 2, 3] = 12
    expect(tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)).dataSync()[0]).toBe(12);
  });

  it('can be pinned to cpu', async () => {
    const report = await initBackend('cpu');
    expect(report.active).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.attempts.find((a) => a.backend === 'wasm')!.reason).toMatch(/not requested/);
  });
});
