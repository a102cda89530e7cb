import type { ElementaryFunction } from './rules';

/** tan′ = 1/cos² (= 1 + tan² in a kernel, from the value at hand) */
export const tan: ElementaryFunction = {
  name: 'tan',
  value: Math.tan,
  column: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.tan(a[i]!);
  },
  tensor: (tf, a) => tf.tan(a),
  derivative: (a, e) => e.div(e.num(1), e.pow(e.fn('cos', a), e.num(2))),
  slope: (l, _x, fx) => l.add(l.constant(1), l.mul(fx, fx)),
};
