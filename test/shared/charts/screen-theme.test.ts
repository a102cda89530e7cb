import { describe, expect, it } from 'vitest';
import type { EChartsOption } from 'echarts';
import { coefficientOption } from '../../../src-shared/charts/coefficients';
import { landscapeOption } from '../../../src-shared/charts/landscape';
import { quiverOption } from '../../../src-shared/charts/quiver';
import { contrastRatio, DARK, forScreenTheme } from '../../../src-shared/charts/screen-theme';
import { lossCurveOption } from '../../../src-shared/charts/training';

const noImage = () => null as never;

/** Every text colour a reader sees: title, legend, colour bar, axis names and tick labels. */
function textColours(option: EChartsOption): string[] {
  const o = option as Record<string, unknown>;
  type Part = Record<string, { color?: unknown } | undefined>;
  const list = (v: unknown) => (Array.isArray(v) ? v : v ? [v] : []) as Part[];
  const colours: unknown[] = [];
  const fallback = (o.textStyle as { color?: unknown } | undefined)?.color;
  for (const t of list(o.title)) colours.push(t.textStyle?.color ?? fallback);
  for (const l of list(o.legend)) colours.push(l.textStyle?.color);
  for (const v of list(o.visualMap)) colours.push(v.textStyle?.color);
  for (const a of [...list(o.xAxis), ...list(o.yAxis)])
    colours.push(a.axisLabel?.color, a.nameTextStyle?.color);
  return colours.filter((c): c is string => typeof c === 'string');
}

const OPTIONS: Array<[string, EChartsOption]> = [
  [
    'loss curve',
    lossCurveOption([{ name: 'run', steps: [0, 1, 2], values: [1, 0.1, 0.01] }], 'Loss'),
  ],
  [
    'landscape',
    landscapeOption(
      {
        xName: 'k',
        yName: 'alpha',
        xValues: [0, 1, 2],
        yValues: [0, 1],
        loss: [1, 2, 3, 4, 5, 6],
        path: [[0, 0]],
        truth: [1, 1],
        exactOptimum: [1, 1],
      },
      noImage,
    ),
  ],
  [
    'quiver',
    quiverOption([{ label: 'data', x: [0, 1], y: [0, 0], ax: [3, 0], ay: [4, 0] }], {
      excludedBand: 0.1,
      extent: { x0: -1, x1: 1, y0: -1, y1: 1 },
    }),
  ],
  ['coefficients', coefficientOption(['c_0_0', 'c_0_1', 'c_1_0', 'c_1_1'], [1, 2, 3, 4])],
];

describe('charts in the dark screen theme', () => {
  it.each(OPTIONS)(
    '%s: every title, legend and axis text has contrast ≥ 4.5 on the dark panel',
    (_, option) => {
      const dark = forScreenTheme(option, 'dark');
      const colours = textColours(dark);
      expect(colours.length).toBeGreaterThanOrEqual(3);
      for (const c of colours) expect(contrastRatio(c, DARK.panel), c).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('the light theme is the paper option itself, unchanged', () => {
    const [, option] = OPTIONS[0]!;
    expect(forScreenTheme(option, 'light')).toBe(option);
  });

  it('computes WCAG contrast: black on white is 21, equal colours 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#777', '#777')).toBeCloseTo(1, 12);
    // the paper text on the dark panel is what the theme must fix
    expect(contrastRatio('#222', DARK.panel)).toBeLessThan(1.5);
  });
});
