// Hash-consed expressions with memoised derivatives: inputs that blew up the old tree engine
// (40 factors of sin(q0+qd0): 3.9 s; 80: 57 s and 2.2 GB; sin nested 199 deep: out of memory)
// derive in milliseconds with correct numbers, and a derivation that would still blow up is
// refused quickly with `too-complex`, naming the size.
import { describe, expect, it } from 'vitest';
import { accelerationsF64, equationsOfMotion } from '../../src-main/engine/dynamics';
import { differentiate } from '../../src-main/engine/expression/differentiate';
import { dagSize, num, withNodeBudget } from '../../src-main/engine/expression/ir';
import { parseExpression } from '../../src-main/engine/expression/parse';

const vars = ['q0', 'qd0'];
const parse = (text: string) => parseExpression(text, vars);
const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

/** q̈ of L = S^n + ½q̇², S = sin(q + q̇), C = cos(q + q̇), derived by hand:
 *  ∂L/∂q = n S^(n−1) C,  ∂²L/∂q̇² = 1 + n(n−1) S^(n−2) C² − n S^n = 1 + ∂²L/∂q̇∂q,
 *  so q̈ = (n S^(n−1) C − (M − 1) q̇) / M. */
function handAcceleration(n: number, q: number, qd: number): number {
  const S = Math.sin(q + qd);
  const C = Math.cos(q + qd);
  const mixed = n * (n - 1) * S ** (n - 2) * C ** 2 - n * S ** n;
  return (n * S ** (n - 1) * C - mixed * qd) / (1 + mixed);
}

describe('the symbolic engine under hostile input', () => {
  it('shares equal subexpressions: one node each', () => {
    const e = parse('sin(q0+qd0)*sin(q0+qd0)');
    expect(e.kind).toBe('mul');
    if (e.kind === 'mul') expect(e.a).toBe(e.b);
    expect(num(2)).toBe(num(2));
    expect(parse('q0*qd0 + q0*qd0').kind).toBe('add');
    // 40 factors of the same sine: a chain of 40 products over one shared sine
    expect(dagSize([parse(Array(40).fill('sin(q0+qd0)').join('*'))])).toBeLessThan(50);
  });

  it.each([40, 80])(
    '%i factors of sin(q0+qd0) derive in milliseconds, with the hand-derived q̈',
    (n) => {
      const L = parse(`${Array(n).fill('sin(q0+qd0)').join('*')} + 0.5*qd0^2`);
      const { value: eom, ms } = timed(() => equationsOfMotion(L, ['q0'], ['qd0'], {}));
      expect(ms).toBeLessThan(2000);
      const q = [0.9, 1.2, 1.45];
      const qd = [0.6, 0.3, 0.1];
      const got = accelerationsF64(eom, [Float64Array.from(q)], [Float64Array.from(qd)]);
      for (let s = 0; s < q.length; s++) {
        const want = handAcceleration(n, q[s]!, qd[s]!);
        expect(Math.abs(got.accelerations[0]![s]! - want)).toBeLessThan(
          1e-9 * (1 + Math.abs(want)),
        );
      }
    },
  );

  it.each([80, 120, 199])('sin nested %i deep derives in milliseconds', (depth) => {
    const text = `${'sin('.repeat(depth)}q0+qd0${')'.repeat(depth)} + 0.5*qd0^2`;
    const { value: eom, ms } = timed(() => equationsOfMotion(parse(text), ['q0'], ['qd0'], {}));
    expect(ms).toBeLessThan(2000);
    // At q + q̇ = 0 every sine is 0 and every cosine 1, so ∂L/∂q = ∂L/∂q̇ − q̇ = 1 and the second
    // derivatives of the nest vanish (sin″(0) = 0 at each level): M = 1, q̈ = 1.
    const got = accelerationsF64(eom, [Float64Array.of(0.25)], [Float64Array.of(-0.25)]);
    expect(got.accelerations[0]![0]).toBeCloseTo(1, 12);
  });

  it('a derivation past its node budget ends with too-complex, naming the size, at once', () => {
    const L = parse('exp(q0*qd0)*sin(q0^2+qd0^3)/(1+q0^4+qd0^6) + 0.5*qd0^2');
    const { value: error, ms } = timed(() => {
      try {
        withNodeBudget(20, 'This test derivation', () =>
          differentiate(differentiate(L, 'q0'), 'qd0'),
        );
        return null;
      } catch (err) {
        return err as { code: string; message: string };
      }
    });
    expect(ms).toBeLessThan(1000); // a few ms on a quiet machine
    expect(error?.code).toBe('too-complex');
    expect(error?.message).toMatch(/This test derivation needs more than 20 distinct terms/);
    // without the small budget the same derivation succeeds
    expect(() => differentiate(differentiate(L, 'q0'), 'qd0')).not.toThrow();
  });
});
