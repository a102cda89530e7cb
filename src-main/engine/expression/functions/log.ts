import type { ElementaryFunction } from './rules';

/** log′ = 1/x */
export const log: ElementaryFunction = {
  name: 'log',
  value: Math.log,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log(a[i]!);
  },
  tensor: (tf, a) => tf.log(a),
  derivative: (a, e) => e.div(e.num(1), a),
  slope: (l, x) => l.div(l.constant(1), x),
};
