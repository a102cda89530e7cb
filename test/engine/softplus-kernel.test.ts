// softplus and its three derivatives in float32 SIMD (exp and log1p by polynomials) against
// Math.exp and Math.log1p in float64, from deep in the negative tail to far past the kink.
import { expect, it } from 'vitest';
import { emitSoftplusKernel } from '../../src-main/engine/training/fused/softplus-kernel';
import { instantiateKernel } from '../../src-main/engine/wasm/kernel-memory';
import { wasm } from '../../src-main/engine/wasm/wasm-runtime';

it('softplus, σ, σ(1 − σ) and σ(1 − σ)(1 − 2σ) to float32 accuracy for every z', () => {
  const z = [-200, -100, -87.5, -80, -30, -10, -3, -1, -0.3, -1e-3, -1e-8, 0, 1e-8, 1e-3, 0.3];
  z.push(0.6931, 1, 2.5, 10, 17, 30, 88, 100, 1e4);
  for (let k = 0; k < 400; k++) z.push(-20 + k * 0.1 + 0.0123);
  while (z.length % 4) z.push(0.5);
  const n = z.length;
  const memory = new wasm.Memory({ initial: 1 });
  const f = new Float32Array(memory.buffer);
  f.set(z);
  const call = instantiateKernel(emitSoftplusKernel(), [], 0, memory).exports.softplus as (
    ...a: number[]
  ) => void;
  call(0, 4 * n, 8 * n, 12 * n, 16 * n, 4 * n);
  z.forEach((x0, i) => {
    const x = Math.fround(x0);
    const e = Math.exp(-Math.abs(x));
    const s = x >= 0 ? 1 / (1 + e) : e / (1 + e);
    // s(1 − s) = e/(1 + e)² and 1 − 2s = ∓(1 − e)/(1 + e): no cancellation in the reference
    const s2 = e / (1 + e) ** 2;
    const oneMinus2s = ((x >= 0 ? -1 : 1) * (1 - e)) / (1 + e);
    const expected = [Math.max(x, 0) + Math.log1p(e), s, s2, s2 * oneMinus2s];
    expected.forEach((want, j) => {
      const got = f[(j + 1) * n + i]!;
      // relative 1e-6, or absolute 1e-6 of the value's scale where it passes through 0
      const scale = j === 0 ? Math.max(Math.abs(want), 1e-30) : j === 3 ? 0.1 : Math.abs(want);
      expect(Math.abs(got - want), `${['h', 'σ', "σ'", "σ''"][j]} at z = ${x}`).toBeLessThanOrEqual(
        2e-6 * scale + 1e-37, // e^−87 for z < −87: float32 has nothing smaller that is normal
      );
    });
  });
});
