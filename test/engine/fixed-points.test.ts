import { describe, expect, it } from 'vitest';
import { findFixedPoints } from '../../src-main/engine/fixed-points';
import { parseSystem } from '../../src-main/engine/systems/system';
import { PRESETS } from '../../src-main/engine/systems/presets';
import { bounds } from '../../src-shared/dto/sampling';
import { parseStudy } from '../../src-shared/study/study-schema';
import { fixedPointRegion } from '../../src-main/study/phases/fixed-points';

function fixedPointsOf(
  id: keyof typeof PRESETS,
  window: Array<{ min: number; max: number }>,
  values?: Record<string, number>,
) {
  const def = PRESETS[id];
  const parsed = parseSystem(def);
  return findFixedPoints(
    parsed.lagrangian,
    def.coordinates,
    def.velocities,
    { ...parsed.parameterValues, ...values },
    window,
  );
}

describe('fixed points', () => {
  it('the report system has exactly the two analytic equilibria (∓r/2, ±r/2), r = (2α/k)^(1/3)', () => {
    const points = fixedPointsOf(
      'coulomb-pair',
      [
        { min: -1, max: 1 },
        { min: -1, max: 1 },
      ],
      { k: 4, alpha: 1, m: 1 },
    );
    // Force balance: k·(r/2) = α/r²  ⇒  r³ = 2α/k
    const r = Math.cbrt((2 * 1) / 4);
    expect(r).toBeCloseTo(0.7937, 4);
    expect(points).toHaveLength(2);
    expect(points[0]!.q[0]).toBeCloseTo(-r / 2, 9);
    expect(points[0]!.q[1]).toBeCloseTo(r / 2, 9);
    expect(points[1]!.q[0]).toBeCloseTo(r / 2, 9);
    expect(points[1]!.q[1]).toBeCloseTo(-r / 2, 9);
    for (const p of points) {
      expect(Math.abs(p.q[0]! - (p === points[0] ? -r / 2 : r / 2))).toBeLessThan(1e-6);
      // Both are minima of the potential: centres, eigenvalues ±i·ω with
      // ω² = k (centre of mass) and ω² = k + 4α/r³ = 3k (relative motion).
      expect(p.stability).toBe('stable');
      const omegas = p.eigenvalues.map((e) => Math.abs(e.im)).sort((a, b) => a - b);
      expect(omegas[0]).toBeCloseTo(Math.sqrt(4), 6);
      expect(omegas[3]).toBeCloseTo(Math.sqrt(12), 6);
      p.eigenvalues.forEach((e) => expect(Math.abs(e.re)).toBeLessThan(1e-8));
    }
  });

  it('the harmonic oscillator rests at the origin, stably, with ω = √(k/m)', () => {
    const points = fixedPointsOf('harmonic-oscillator', [{ min: -2, max: 3 }], { k: 9, m: 1 });
    expect(points).toHaveLength(1);
    expect(Math.abs(points[0]!.q[0]!)).toBeLessThan(1e-12);
    expect(points[0]!.stability).toBe('stable');
    expect(Math.abs(points[0]!.eigenvalues[0]!.im)).toBeCloseTo(3, 9);
  });

  it('the double pendulum has one stable and three unstable equilibria in [−0.5, 3.5]²', () => {
    const points = fixedPointsOf('double-pendulum', [
      { min: -0.5, max: 3.5 },
      { min: -0.5, max: 3.5 },
    ]);
    expect(points.map((p) => p.q.map((x) => Math.round((x / Math.PI) * 1e6) / 1e6))).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(points.map((p) => p.stability)).toEqual(['stable', 'unstable', 'unstable', 'unstable']);
  });

  it('a gyroscopic (magnetic) term keeps the trapped charge stable: frequencies ω± = √(k/m + (qB/2m)²) ± qB/2m', () => {
    const points = fixedPointsOf(
      'magnetic-field',
      [
        { min: -1, max: 1 },
        { min: -1, max: 1 },
      ],
      { m: 1, charge: 1, B: 2, k: 1 },
    );
    expect(points).toHaveLength(1);
    expect(points[0]!.stability).toBe('stable');
    const omegas = points[0]!.eigenvalues.map((e) => Math.abs(e.im)).sort((a, b) => a - b);
    const w0 = Math.sqrt(1 + 1);
    expect(omegas[0]).toBeCloseTo(w0 - 1, 8);
    expect(omegas[3]).toBeCloseTo(w0 + 1, 8);
  });
});

describe('fixed points in a search region beyond the data window', () => {
  // Elastic pendulum: L = ½m(ṙ² + r²θ̇²) + m g r cos θ − ½k(r − l0)²; at rest θ = 0 and
  // k(r − l0) = m g, so r* = l0 + m g / k = 1 + 9.81/15.376 = 1.638 (outside r ∈ [0.5, 1.5]).
  const elastic = {
    name: 'elastic pendulum',
    coordinates: ['q0', 'q1'],
    velocities: ['qd0', 'qd1'],
    parameters: [
      { name: 'm', value: 1 },
      { name: 'g', value: 9.81 },
      { name: 'k', value: 15.376 },
      { name: 'l0', value: 1 },
    ],
    lagrangian: '0.5*m*(qd0^2 + q0^2*qd1^2) + m*g*q0*cos(q1) - 0.5*k*(q0 - l0)^2',
  };
  const study = {
    name: 'elastic',
    system: elastic,
    sampling: {
      window: {
        q: [
          { min: 0.5, max: 1.5 },
          { min: -1, max: 1 },
        ],
        qd: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
      },
      count: 100,
      seed: 1,
    },
    model: { family: 'exact-form', learnable: ['k'] },
    optimizer: { algorithm: 'adam', learningRate: 0.01 },
    stopping: { maxSteps: 1 },
  };
  const find = (fixedPoints: unknown) => {
    const s = parseStudy({ ...study, fixedPoints });
    const parsed = parseSystem(s.system);
    return findFixedPoints(
      parsed.lagrangian,
      s.system.coordinates,
      s.system.velocities,
      parsed.parameterValues,
      fixedPointRegion(s).map(bounds),
    );
  };

  it('the sampling window alone misses r* = l0 + m g / k; a region finds it, stable', () => {
    expect(find(true)).toEqual([]);
    const points = find({
      region: [
        { min: 0.5, max: 3 },
        { min: -1, max: 1 },
      ],
    });
    expect(points).toHaveLength(1);
    expect(points[0]!.q[0]).toBeCloseTo(1 + 9.81 / 15.376, 9);
    expect(points[0]!.q[1]).toBeCloseTo(0, 9);
    expect(points[0]!.stability).toBe('stable');
  });
});
