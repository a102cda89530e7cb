// tanh and its three derivatives in float32 SIMD (exp by a polynomial, e^y − 1 kept apart from
// its 1) against Math.tanh in float64, from 0 and the smallest arguments to far in both tails.
import { expect, it } from 'vitest';
import { emitTanhKernel } from '../../src-main/engine/training/fused/tanh-kernel';
import { instantiateKernel } from '../../src-main/engine/wasm/kernel-memory';
import { wasm } from '../../src-main/engine/wasm/wasm-runtime';

it('tanh, 1 − t², −2t(1 − t²) and (6t² − 2)(1 − t²) to float32 accuracy for every z', () => {
  const z = [0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-4, -1e-4, 0.1, -0.1, 0.17, 0.3466, -0.3466, 0.35];
  z.push(0.5, -0.7, 1, -1, 2.5, -3, 9, -9, 10, 20, -20, 43, 44, -44, 50, 100, -1e4, 1e4);
  for (let k = 0; k < 400; k++) z.push(-10 + k * 0.05 + 0.0123);
  while (z.length % 4) z.push(0.25);
  const n = z.length;
  const memory = new wasm.Memory({ initial: 1 });
  const f = new Float32Array(memory.buffer);
  f.set(z);
  const call = instantiateKernel(emitTanhKernel(), [], 0, memory).exports.tanh as (
    ...a: number[]
  ) => void;
  call(0, 4 * n, 8 * n, 12 * n, 16 * n, 4 * n);
  z.forEach((x0, i) => {
    const x = Math.fround(x0);
    const t = Math.tanh(x);
    // 1 − t² = 1/cosh² without cancellation in the reference either
    const d1 = 1 / Math.cosh(x) ** 2;
    const expected = [t, d1, -2 * t * d1, (6 * t * t - 2) * d1];
    expected.forEach((want, j) => {
      const got = f[(j + 1) * n + i]!;
      // relative 2e-6 (the exp polynomial's 2e-7 and a few roundings); past |z| = 43.5 the clamp
      // y ≥ −87 leaves slopes of 4e⁻⁸⁷ ≈ 7e−38 where the truth is smaller still
      const scale = j === 3 ? Math.max(Math.abs(want), 2 * d1) : Math.abs(want);
      expect(
        Math.abs(got - want),
        `${['tanh', "σ'", "σ''", "σ'''"][j]} at z = ${x}: ${got} vs ${want}`,
      ).toBeLessThanOrEqual(2e-6 * scale + 3e-37);
    });
  });
});
