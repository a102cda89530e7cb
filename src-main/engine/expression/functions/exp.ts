import type { ElementaryFunction } from './rules';

/** exp′ = exp */
export const exp: ElementaryFunction = {
  name: 'exp',
  value: Math.exp,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!);
  },
  tensor: (tf, a) => tf.exp(a),
  derivative: (a, e) => e.fn('exp', a),
  slope: (_l, _x, fx) => fx,
};
