import type { ElementaryFunction } from './rules';

/** sinh′ = cosh */
export const sinh: ElementaryFunction = {
  name: 'sinh',
  value: Math.sinh,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sinh(a[i]!);
  },
  tensor: (tf, a) => tf.sinh(a),
  derivative: (a, e) => e.fn('cosh', a),
  slope: (l, x) => l.host('cosh', x),
};
