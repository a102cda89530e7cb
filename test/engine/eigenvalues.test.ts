import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { eigenvalues } from '../../src-main/engine/analysis/eigenvalues';
import { findFixedPoints } from '../../src-main/engine/fixed-points';
import { PRESETS } from '../../src-main/engine/systems/presets';
import { parseSystem } from '../../src-main/engine/systems/system';
import { gaussianSource } from '../../src-main/engine/noise';

const sorted = (v: Array<{ re: number; im: number }>) =>
  [...v].sort((a, b) => a.re - b.re || a.im - b.im);

describe('eigenvalues of small real matrices (QR that always returns)', () => {
  it('hand-derived: a rotation-dilation, a triangular matrix, a defective Jordan block', () => {
    // [[a, −b], [b, a]] has a ± ib
    expect(
      sorted(
        eigenvalues([
          [0.5, -2],
          [2, 0.5],
        ])!,
      ),
    ).toEqual([
      { re: expect.closeTo(0.5, 12), im: expect.closeTo(-2, 12) },
      { re: expect.closeTo(0.5, 12), im: expect.closeTo(2, 12) },
    ]);
    const tri = eigenvalues([
      [3, 1, 4],
      [0, -1, 5],
      [0, 0, 2],
    ])!;
    expect(sorted(tri).map((e) => e.re)).toEqual([
      expect.closeTo(-1, 12),
      expect.closeTo(2, 12),
      expect.closeTo(3, 12),
    ]);
    // a Jordan block: λ = 1 twice (rounding splits a defective pair by √ε)
    const jordan = eigenvalues([
      [1, 1],
      [0, 1],
    ])!;
    for (const e of jordan) expect(Math.hypot(e.re - 1, e.im)).toBeLessThan(1e-7);
  });

  it('agrees with ml-matrix on 200 random matrices of sizes 2–8 (a second method)', () => {
    const gaussian = gaussianSource(11);
    for (let t = 0; t < 200; t++) {
      const n = 2 + (t % 7);
      const A = Array.from({ length: n }, () => Array.from({ length: n }, () => gaussian()));
      const ours = eigenvalues(A)!;
      const evd = new EigenvalueDecomposition(new Matrix(A));
      const theirs = evd.realEigenvalues.map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i]! }));
      expect(ours).toHaveLength(n);
      // each of ours matches one of theirs (nearest, taken once)
      for (const e of ours) {
        const k = theirs.reduce(
          (best, x, i) =>
            Math.hypot(x.re - e.re, x.im - e.im) <
            Math.hypot(theirs[best]!.re - e.re, theirs[best]!.im - e.im)
              ? i
              : best,
          0,
        );
        expect(Math.hypot(theirs[k]!.re - e.re, theirs[k]!.im - e.im)).toBeLessThan(1e-9);
        theirs.splice(k, 1);
      }
    }
  });

  it("returns on the matrix that froze ml-matrix's hqr2 (a charge in B at a fitted q·B ≈ 2)", () => {
    // before: the fixed-point phase of this fit never returned (a measured-data study hung)
    const system = PRESETS['magnetic-field'];
    const parsed = parseSystem({ ...system, parameters: system.parameters.map((p) => ({ ...p })) });
    const values = { ...parsed.parameterValues, charge: 1.4142137483514992, B: 1.4142137483514992 };
    const found = findFixedPoints(
      parsed.lagrangian,
      system.coordinates,
      system.velocities,
      values,
      [
        { min: -1, max: 1 },
        { min: -1, max: 1 },
      ],
    );
    expect(found).toHaveLength(1);
    // at rest at the origin, ẍ = qB ẏ − k x, ÿ = −qB ẋ − k y (m = k = 1):
    // λ = ±i(√(1 + (qB/2)²) ± qB/2)
    const qB = values.charge * values.B;
    const w = Math.sqrt(1 + (qB / 2) ** 2);
    const expected = [w + qB / 2, w - qB / 2, -(w - qB / 2), -(w + qB / 2)].sort((a, b) => a - b);
    const ims = found[0]!.eigenvalues.map((e) => e.im).sort((a, b) => a - b);
    ims.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 9));
    expect(found[0]!.stability).toBe('stable');
  });
});
