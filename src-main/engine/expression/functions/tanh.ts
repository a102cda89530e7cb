import type { ElementaryFunction } from './rules';

/** tanh′ = 1 − tanh² */
export const tanh: ElementaryFunction = {
  name: 'tanh',
  value: Math.tanh,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]!);
  },
  tensor: (tf, a) => tf.tanh(a),
  derivative: (a, e) => e.sub(e.num(1), e.pow(e.fn('tanh', a), e.num(2))),
  slope: (l, _x, fx) => l.sub(l.constant(1), l.mul(fx, fx)),
};
