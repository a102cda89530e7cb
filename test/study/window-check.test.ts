import { describe, expect, it } from 'vitest';
import { checkWindow, WINDOW_PROBES } from '../../src-main/study/window-check';
import type { SystemDefinition } from '../../src-main/engine/systems/system';

// L = ½q̇² − √q: f = −1/(2√q) is real for q > 0 only, so q̈ is NaN wherever q < 0.
const rootWell: SystemDefinition = {
  name: 'root well',
  coordinates: ['q0'],
  velocities: ['qd0'],
  parameters: [],
  lagrangian: '0.5*qd0^2 - sqrt(q0)',
};
const window = (min: number, max: number) => ({
  q: [{ min, max }],
  qd: [{ min: -1, max: 1 }],
});

describe('the sampling window against the domain of L', () => {
  it('inside the domain: every probe finite', () => {
    expect(checkWindow(rootWell, window(0.1, 2))).toEqual({
      probes: WINDOW_PROBES,
      undefinedAt: 0,
    });
  });

  it('outside it: every probe undefined, with an example point where q < 0', () => {
    const r = checkWindow(rootWell, window(-2, -1));
    expect(r.undefinedAt).toBe(WINDOW_PROBES);
    expect(r.example!.q[0]).toBeLessThan(-1);
  });

  it('straddling it: the undefined share is the share of the window below 0 (uniform draw)', () => {
    // q ∈ [−1, 3]: a quarter of the window; 256 probes: 64 ± 4σ (σ = √(256·¼·¾) ≈ 6.9)
    const r = checkWindow(rootWell, window(-1, 3));
    expect(Math.abs(r.undefinedAt - 64)).toBeLessThan(28);
    expect(r.example!.q[0]).toBeLessThan(0);
  });

  it('a point where only the mass matrix is singular is not counted (the dataset drops it)', () => {
    // L = ½ q0² q̇0² − ½ q0²: M = q0², singular at q0 = 0; in |q0| < 1e-200, q0² underflows to 0
    const massive: SystemDefinition = { ...rootWell, lagrangian: '0.5*q0^2*qd0^2 - 0.5*q0^2' };
    expect(checkWindow(massive, window(-1e-200, 1e-200))).toEqual({
      probes: WINDOW_PROBES,
      undefinedAt: 0,
    });
  });
});
