import type { ElementaryFunction } from './rules';

/** sign′ = 0 almost everywhere */
export const sign: ElementaryFunction = {
  name: 'sign',
  value: Math.sign,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      out[i] = x > 0 ? 1 : x < 0 ? -1 : x;
    }
  },
  tensor: (tf, a) => tf.sign(a),
  derivative: (_a, e) => e.num(0),
  slope: () => null,
};
