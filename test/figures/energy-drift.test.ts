import { describe, expect, it } from 'vitest';
import { energyDriftOption } from '../../src-shared/charts/training';
import { energyDrift, kineticScale } from '../../src-main/engine/analysis/rollout';

// Issue 30.10: energy plots of two Lagrangians side by side must not depend on either's factor
// or additive constant (a learned L has both free): |E(t) − E(0)| / max|T| on a log axis.
describe('the energy drift figure', () => {
  const t = Array.from({ length: 200 }, (_, i) => i * 0.01);
  const kinetic = t.map((x) => 0.5 * Math.cos(x) ** 2);
  const energy = t.map((x) => -1 + 1e-6 * x ** 2); // a slow numerical drift
  const seriesOf = (o: ReturnType<typeof energyDriftOption>) =>
    (o.series as Array<{ data: Array<[number, number]> }>).map((s) => s.data);

  it('is the same for L and 3L + 7 (scale and offset free), and zeros stay off the log axis', () => {
    const scaled = energy.map((e) => 3 * e + 7);
    const o = energyDriftOption([
      { name: 'L', t, energy, scale: kineticScale({ kinetic }) },
      {
        name: '3L + 7',
        t,
        energy: scaled,
        scale: kineticScale({ kinetic: kinetic.map((k) => 3 * k) }),
      },
    ]);
    const [a, b] = seriesOf(o);
    expect(a!.length).toBe(199); // t = 0 has |E − E0| = 0
    a!.forEach(([x, y], i) => {
      expect(b![i]![0]).toBe(x);
      expect(Math.abs(b![i]![1] - y) / y).toBeLessThan(1e-6);
    });
    expect((o.yAxis as { type: string }).type).toBe('log');
  });

  it("its largest value is the run's reported drift (energyDrift)", () => {
    const o = energyDriftOption([{ name: 'L', t, energy, scale: kineticScale({ kinetic }) }]);
    const largest = Math.max(...seriesOf(o)[0]!.map((p) => p[1]));
    // hand-derived: (1e-6 · 1.99²) / 0.5
    expect(largest).toBeCloseTo((1e-6 * 1.99 ** 2) / 0.5, 15);
    expect(largest).toBeCloseTo(energyDrift({ energy, kinetic }), 15);
  });
});
