import type { ElementaryFunction } from './rules';
import { Simd } from '../../wasm/wasm-writer';
/** abs′ = sign (x ≠ 0) */
export const abs: ElementaryFunction = {
  name: 'abs',
  value: Math.abs,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      out[i] = x < 0 ? -x : x;
    }
  },
  tensor: (tf, a) => tf.abs(a),
  derivative: (a, e) => e.fn('sign', a),
  simd: { f32: Simd.f32x4Abs, f64: Simd.f64x2Abs },
  slope: (l, x) => l.host('sign', x),
};
