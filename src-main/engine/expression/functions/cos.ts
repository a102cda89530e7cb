import type { ElementaryFunction } from './rules';

/** cos′ = −sin */
export const cos: ElementaryFunction = {
  name: 'cos',
  value: Math.cos,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]!);
  },
  tensor: (tf, a) => tf.cos(a),
  derivative: (a, e) => e.neg(e.fn('sin', a)),
  slope: (l, x) => l.neg(l.host('sin', x)),
};
