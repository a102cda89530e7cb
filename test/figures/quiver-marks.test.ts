import { expect, it } from 'vitest';
import { renderSvg } from '../../src-main/figures/render';
import { quiverOption } from '../../src-shared/charts/quiver';
import { FIGURE_STYLES } from '../../src-shared/figures/figure-style';

/** The numbers of an SVG path's d attribute, command by command ("M", "L", "A"). */
function commands(d: string): Array<{ op: string; args: number[] }> {
  return [...d.matchAll(/([MLA])([^MLA]*)/g)].map((m) => ({
    op: m[1]!,
    args: m[2]!
      .trim()
      .split(/[\s,]+/)
      .map(Number),
  }));
}

const pathsOf = (svg: string, attribute: RegExp) =>
  [...svg.matchAll(/<path d="([^"]*)"([^>]*)>/g)].filter((m) => attribute.test(m[2]!));

// The quiver's marks are shapes registered with ECharts (no SVG path text per mark): the SVG the
// server writes must still hold every arrow and dot, where the data put them.
it('a quiver in SVG: a 10 px arrow along each unit vector and a disc under each arrow', () => {
  const field = { label: 'data', x: [0, 1, 0], y: [0, 1, 1], ax: [1, 0, -3], ay: [0, 2, 4] };
  const extent = { x0: 0, x1: 1, y0: 0, y1: 1 };
  const svg = renderSvg(quiverOption([field], { extent }));
  const arrows = pathsOf(svg, /stroke="#1f5fbf"/);
  expect(arrows).toHaveLength(1);
  const strokes = commands(arrows[0]![1]!);
  expect(strokes.map((c) => c.op).join('')).toBe('MLMLL'.repeat(3));
  const starts: number[][] = [];
  field.x.forEach((_, i) => {
    const [start, tip] = [strokes[5 * i]!.args, strokes[5 * i + 1]!.args];
    starts.push(start);
    // screen y grows downwards: the tip is at start + 10 (ux, −uy)/|u|, to the SVG's 0.1 px
    const m = Math.hypot(field.ax[i]!, field.ay[i]!);
    expect(tip[0]! - start[0]!).toBeCloseTo((10 * field.ax[i]!) / m, 0);
    expect(tip[1]! - start[1]!).toBeCloseTo((-10 * field.ay[i]!) / m, 0);
  });
  // |q̈| = 1, 2, 5 are three colour levels: three disc paths, each one circle at an arrow's start
  const dots = /fill="rgb\(.*ecmeta_ssr_type="chart"/; // the series' marks, not the legend's
  const discs = pathsOf(svg, dots);
  const centres = discs.flatMap((m) => {
    const c = commands(m[1]!);
    return c.filter((x) => x.op === 'M').map((x) => [x.args[0]! - 1.5, x.args[1]!]);
  });
  expect(centres).toHaveLength(3);
  for (const s of starts)
    expect(centres.some((c) => Math.hypot(c[0]! - s[0]!, c[1]! - s[1]!) < 0.15)).toBe(true);
  // a journal column draws the dots smaller with the fonts (3 px at 12 px text, scaled)
  const paper = renderSvg(quiverOption([field], { extent }), FIGURE_STYLES.paper);
  const r = commands(pathsOf(paper, dots)[0]![1]!).find((c) => c.op === 'A')!.args[0]!;
  expect(r).toBeLessThan(1.5);
  expect(r).toBeGreaterThan(0.5);
});
