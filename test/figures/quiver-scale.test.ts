import { expect, it } from 'vitest';
import { quiverOption } from '../../src-shared/charts/quiver';
import { dotsScaleOf, dotLevel } from '../../src-shared/charts/dots-series';

it('the |q̈| colour scale ignores zeros and a stray tiny value (issue 30.6: it spanned 10⁻³⁰⁰…10⁰)', () => {
  // 400 magnitudes 10^(−2 … 0) evenly in log, one exact zero (an equilibrium) and one 10⁻³⁰⁰
  const mags = [...Array.from({ length: 400 }, (_, i) => 10 ** (-2 + (2 * i) / 399)), 0, 1e-300];
  const field = {
    label: 'data',
    x: mags.map((_, i) => i),
    y: mags.map(() => 0),
    ax: mags,
    ay: mags.map(() => 0),
  };
  const option = quiverOption([field]) as { series: Array<{ data: number[][] }> };
  const dots = option.series[0]!;
  const scale = dotsScaleOf(dots)!;
  // the 0.5th percentile of the 401 positive logs: the 3rd smallest, −2 + 2·1/399 (one is −300)
  expect(scale.min).toBeCloseTo(-2 + 2 / 399, 12);
  expect(scale.max).toBeCloseTo(0, 12);
  // the zero and the stray value take the lowest colour, the largest magnitude the highest
  const levels = dots.data.map((d) => dotLevel(d[2]!, scale));
  expect(levels.slice(-2)).toEqual([0, 0]);
  expect(levels[399]).toBe(63);
  expect(levels[200]).toBe(Math.round((199 / 398) * 63)); // (v₂₀₀ − v₁) / (v₃₉₉ − v₁)
});
