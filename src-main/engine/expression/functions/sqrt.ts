import type { ElementaryFunction } from './rules';
import { Simd } from '../../wasm/wasm-writer';
/** sqrt′ = 1/(2 sqrt) */
export const sqrt: ElementaryFunction = {
  name: 'sqrt',
  value: Math.sqrt,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]!);
  },
  tensor: (tf, a) => tf.sqrt(a),
  derivative: (a, e) => e.div(e.num(0.5), e.fn('sqrt', a)),
  simd: { f32: Simd.f32x4Sqrt, f64: Simd.f64x2Sqrt },
  slope: (l, _x, fx) => l.div(l.constant(0.5), fx),
};
