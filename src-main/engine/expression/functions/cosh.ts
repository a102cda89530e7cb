import type { ElementaryFunction } from './rules';

/** cosh′ = sinh */
export const cosh: ElementaryFunction = {
  name: 'cosh',
  value: Math.cosh,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.cosh(a[i]!);
  },
  tensor: (tf, a) => tf.cosh(a),
  derivative: (a, e) => e.fn('sinh', a),
  slope: (l, x) => l.host('sinh', x),
};
