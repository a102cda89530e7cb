import { describe, expect, it } from 'vitest';
import { pointErrorOption } from '../../src-shared/charts/point-error';
import { renderSvg } from '../../src-main/figures/render';

// Issue 30.7: the measured-data error map drew its colour bar through the plot and had no
// title — the title's fields were spread into the option's root, where `left: 'center'` moved
// the bar's grid to the middle.
describe('the error map at measured points', () => {
  const x = Array.from({ length: 300 }, (_, i) => -0.9 + (1.7 * i) / 300);
  const option = pointErrorOption(
    { x, y: x.map((v) => Math.sin(3 * v)), error: x.map((v) => 1e-7 * (1 + Math.abs(v))) },
    { kind: 'absolute', title: 'The fit error at the imported points' },
  ) as Record<string, unknown>;

  it('has a title of its own and nothing of it at the root', () => {
    expect((option.title as { text: string }).text).toBe('The fit error at the imported points');
    for (const key of ['text', 'left', 'top', 'textStyle']) expect(option).not.toHaveProperty(key);
  });

  it('draws the title, and the bar right of the plot', () => {
    const svg = renderSvg(option);
    expect(svg).toContain('The fit error at the imported points');
    // the bar is a gradient-filled rectangle; its left edge is right of the plot's right edge
    const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);
    const gradientFill = /<path d="M(\d+(?:\.\d+)?) [^"]*"[^>]*fill="url\(#/.exec(svg);
    expect(gradientFill, 'the bar is drawn').not.toBeNull();
    const grid = (option.grid as Array<{ right: number }>)[0]!;
    expect(Number(gradientFill![1])).toBeGreaterThan(width - grid.right);
  });
});
