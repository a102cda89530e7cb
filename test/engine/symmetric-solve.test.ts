import { expect, it } from 'vitest';
import { symmetricSolver, type Arithmetic } from '../../src-main/engine/symmetric-solve';
import { uniforms } from './helpers';

const numbers: Arithmetic<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};

// Issue 31.2: the mass-matrix solve of the tensor route and both kernels is written once; here
// over numbers, against right-hand sides built from known solutions (r = M x).
it('solves M x = r for symmetric positive definite M, d = 1 … 5, several right-hand sides', () => {
  for (let d = 1; d <= 5; d++) {
    // M = B Bᵀ + d·I: symmetric positive definite
    const B = Array.from({ length: d }, (_, i) => Array.from(uniforms(7 * d + i, d, -1, 1)));
    const M = B.map((bi, i) =>
      B.map((bk, k) => bi.reduce((s, v, j) => s + v * bk[j]!, 0) + (i === k ? d : 0)),
    );
    const solve = symmetricSolver(numbers, d, (i, k) => {
      expect(i).toBeLessThanOrEqual(k); // only the upper triangle is read
      return M[i]![k]!;
    });
    for (let trial = 0; trial < 3; trial++) {
      const x = Array.from(uniforms(100 * d + trial, d, -2, 2));
      const r = M.map((row) => row.reduce((s, v, k) => s + v * x[k]!, 0));
      solve(r).forEach((xi, i) => expect(xi).toBeCloseTo(x[i]!, 12));
    }
  }
});
