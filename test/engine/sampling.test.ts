import { describe, expect, it } from 'vitest';
import { sampleWindow, type SamplingSpec } from '../../src-main/engine/sampling';
import { generateDataset } from '../../src-main/engine/dataset';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

const origin: SamplingSpec = {
  window: reportOriginWindow(),
  count: 1000,
  seed: 1,
};

describe('sampling windows', () => {
  it('same seed gives the identical points, another seed other points', () => {
    const a = sampleWindow(origin);
    const b = sampleWindow(origin);
    const c = sampleWindow({ ...origin, seed: 2 });
    expect(a.q[0]).toEqual(b.q[0]);
    expect(a.qd[1]).toEqual(b.qd[1]);
    expect(a.q[0]).not.toEqual(c.q[0]);
  });

  it('returns the requested count after rejection, all outside the exclusion band', () => {
    const s = sampleWindow(origin);
    expect(s.q[0]!.length).toBe(1000);
    for (let i = 0; i < 1000; i++)
      expect(Math.abs(s.q[0]![i]! - s.q[1]![i]!)).toBeGreaterThanOrEqual(0.1);
    expect(s.rejected).toBeGreaterThan(0);
  });

  it("'drawn' mode drops the band from n draws: P(|q0−q1| < 0.1) = 1 − 1.9²/4 = 0.0975", () => {
    const s = sampleWindow({ ...origin, count: 10000, countMode: 'drawn' });
    expect(s.drawn).toBe(10000);
    const kept = s.q[0]!.length;
    // binomial: mean 9025, σ ≈ 29.7; 5σ band
    expect(Math.abs(kept - 9025)).toBeLessThan(150);
  });

  it('centre ± width/2 windows work down to 1e-4 wide', () => {
    const s = sampleWindow({
      window: {
        q: [
          { centre: -0.39685, width: 1e-4 },
          { centre: 0.39685, width: 1e-4 },
        ],
        qd: [
          { centre: 0, width: 1e-4 },
          { centre: 0, width: 1e-4 },
        ],
      },
      count: 500,
      seed: 3,
    });
    for (const x of s.q[0]!) expect(Math.abs(x + 0.39685)).toBeLessThanOrEqual(5e-5);
    const spread = Math.max(...s.q[1]!) - Math.min(...s.q[1]!);
    expect(spread).toBeGreaterThan(0.9e-4);
  });

  it('a half-plane keeps one side of q1 = q0 + ε', () => {
    const s = sampleWindow({
      ...origin,
      window: { ...origin.window, halfPlanes: [{ i: 0, j: 1, epsilon: 0.1 }] },
    });
    for (let i = 0; i < 1000; i++) expect(s.q[1]![i]!).toBeGreaterThan(s.q[0]![i]! + 0.1);
  });

  it('a window with no admissible point gives a clear error', () => {
    const spec: SamplingSpec = {
      window: {
        q: [
          { min: 0, max: 0.01 },
          { min: 0, max: 0.01 },
        ],
        qd: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
        exclusionBands: [{ i: 0, j: 1, epsilon: 0.1 }],
      },
      count: 10,
      seed: 1,
    };
    expect(() => sampleWindow(spec)).toThrow(
      expect.objectContaining({
        code: 'empty-window',
        message: expect.stringMatching(/no admissible point/),
      }),
    );
  });

  it('zero-width and inverted windows are refused by name', () => {
    expect(() =>
      sampleWindow({
        ...origin,
        window: {
          ...origin.window,
          q: [
            { min: 1, max: 1 },
            { min: -1, max: 1 },
          ],
        },
      }),
    ).toThrow(/window for q0 .* width must be positive/);
    expect(() =>
      sampleWindow({
        ...origin,
        window: {
          ...origin.window,
          qd: [
            { min: -1, max: 1 },
            { centre: 0, width: -1 },
          ],
        },
      }),
    ).toThrow(/qd1/);
    expect(() => sampleWindow({ ...origin, count: 0 })).toThrow(/count/);
  });
});

describe('datasets', () => {
  it('regenerate exactly from their recipe and carry q̈ from the true Lagrangian', () => {
    const recipe = { system: coulombPair, sampling: origin };
    const a = generateDataset(recipe);
    const b = generateDataset(JSON.parse(JSON.stringify(recipe)));
    expect(a.n).toBe(1000);
    expect(a.qdd[0]).toEqual(b.qdd[0]);
    // hand formula at the first sample: q̈0 = −4 q0 + sgn(q0−q1)/(q0−q1)²
    const r = a.q[0]![0]! - a.q[1]![0]!;
    expect(a.qdd[0]![0]).toBeCloseTo(-4 * a.q[0]![0]! + Math.sign(r) / (r * r), 12);
  });

  it('uses overridden parameter values', () => {
    const a = generateDataset({
      system: coulombPair,
      parameterValues: { k: 1, alpha: 0 },
      sampling: origin,
    });
    for (let s = 0; s < 10; s++) expect(a.qdd[1]![s]).toBeCloseTo(-a.q[1]![s]!, 12);
  });
});

describe('dropped points by cause', () => {
  it('counts band and half-plane rejections apart, at their analytic rates', () => {
    // q uniform on [−1, 1]²: P(|q0 − q1| < ε) = ε − ε²/4; P(q1 ≤ q0 + δ | outside the band) by
    // the same geometry. 200 000 draws: each count within 5σ of its expectation.
    const N = 200_000;
    const eps = 0.1;
    const s = sampleWindow({
      window: {
        q: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
        qd: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
        exclusionBands: [{ i: 0, j: 1, epsilon: eps }],
        halfPlanes: [{ i: 0, j: 1, epsilon: 0 }],
      },
      count: N,
      seed: 7,
      countMode: 'drawn',
    });
    const pBand = eps - (eps * eps) / 4;
    // outside the band, half of the area lies below the diagonal: q1 ≤ q0
    const pPlane = (1 - pBand) / 2;
    const within = (count: number, p: number) =>
      Math.abs(count - N * p) < 5 * Math.sqrt(N * p * (1 - p));
    expect(s.rejectedBy.band + s.rejectedBy.halfPlane).toBe(s.rejected);
    expect(within(s.rejectedBy.band, pBand)).toBe(true);
    expect(within(s.rejectedBy.halfPlane, pPlane)).toBe(true);
  });
});
