import type { ElementaryFunction } from './rules';

/** sin′ = cos */
export const sin: ElementaryFunction = {
  name: 'sin',
  value: Math.sin,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]!);
  },
  tensor: (tf, a) => tf.sin(a),
  derivative: (a, e) => e.fn('cos', a),
  slope: (l, x) => l.host('cos', x),
};
