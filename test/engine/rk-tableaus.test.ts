import { describe, expect, it } from 'vitest';
import { DOPRI5, RK4, type Tableau } from '../../src-main/engine/analysis/runge-kutta';

/*
 * The rollout's Runge–Kutta methods are data (issue 31.5, after SciPy's rk.py): a typo in a
 * coefficient would still integrate, less accurately. The order conditions (Butcher) check every
 * coefficient against numbers derived by hand: Σb = 1, Σb c = 1/2, Σb c² = 1/3, Σb A c = 1/6,
 * Σb c³ = 1/4, Σb c (A c) = 1/8, Σb A c² = 1/12, Σb A A c = 1/24 (order 4), with c = A·1.
 */
function orderConditions(a: readonly (readonly number[])[], b: readonly number[]) {
  const s = b.length;
  const row = (i: number) => Array.from({ length: s }, (_, j) => a[i]?.[j] ?? 0);
  const A = Array.from({ length: s }, (_, i) => row(i));
  const c = A.map((r) => r.reduce((x, y) => x + y, 0));
  const Av = (v: number[]) => A.map((r) => r.reduce((x, aij, j) => x + aij * v[j]!, 0));
  const dot = (u: number[], v: number[]) => u.reduce((x, ui, i) => x + ui * v[i]!, 0);
  const bb = [...b];
  const pow = (k: number) => c.map((ci) => ci ** k);
  return {
    1: dot(bb, pow(0)),
    2: dot(bb, c),
    3: [dot(bb, pow(2)), dot(bb, Av(c))],
    4: [
      dot(bb, pow(3)),
      dot(
        bb,
        c.map((ci, i) => ci * Av(c)[i]!),
      ),
      dot(bb, Av(pow(2))),
      dot(bb, Av(Av(c))),
    ],
    5: dot(bb, pow(4)),
  };
}

function expectOrder4(t: Pick<Tableau, 'a'>, b: readonly number[]) {
  const o = orderConditions(t.a, b);
  expect(o[1]).toBeCloseTo(1, 14);
  expect(o[2]).toBeCloseTo(1 / 2, 14);
  expect(o[3][0]).toBeCloseTo(1 / 3, 14);
  expect(o[3][1]).toBeCloseTo(1 / 6, 14);
  [1 / 4, 1 / 8, 1 / 12, 1 / 24].forEach((v, k) => expect(o[4][k]).toBeCloseTo(v, 14));
  return o;
}

describe('Runge–Kutta tableaus', () => {
  it('RK4 meets the order-4 conditions', () => {
    expectOrder4(RK4, RK4.b);
  });

  it('Dormand–Prince: b is order 5 (Σb c⁴ = 1/5), b̂ = b − E (with the FSAL stage) order 4', () => {
    expect(expectOrder4(DOPRI5, DOPRI5.b)[5]).toBeCloseTo(1 / 5, 14);
    // the FSAL stage f(y₁) is stage 7: its row of A is b
    const a7 = [...DOPRI5.a, DOPRI5.b];
    const bHat = [...DOPRI5.b, 0].map((bj, j) => bj - DOPRI5.e![j]!);
    const o = expectOrder4({ a: a7 }, bHat);
    // b̂ is only order 4: Σb̂ c⁴ misses 1/5 (else the error estimate would be zero)
    expect(Math.abs(o[5] - 1 / 5)).toBeGreaterThan(1e-4);
    expect(DOPRI5.e!.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 15);
  });
});
