import { describe, expect, it } from 'vitest';
import {
  colourAt,
  colourStops,
  fieldBitmap,
  type ColourMapName,
} from '../../../src-shared/charts/colormap';
import { coefficientOption } from '../../../src-shared/charts/coefficients';
import { errorMapOption } from '../../../src-shared/charts/error-map';
import { quiverOption } from '../../../src-shared/charts/quiver';
import { COLOUR_BAR_ID } from '../../../src-shared/charts/colour-bar';
import type { ImageSourceFactory } from '../../../src-shared/charts/bitmap-series';

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const near = (a: number[], b: number[], tol: number) =>
  a.every((v, i) => Math.abs(v - b[i]!) <= tol);

describe('colour maps from d3-scale-chromatic', () => {
  // matplotlib's own tables (_cm_listed.py): entries 0, 128 and 255 rounded to 8 bits (d3's
  // cividis is a polynomial fit: within 15); ColorBrewer RdBu: its 11-class ends, 2nd class
  // and centre (inside, within one of 256 levels).
  const reference: Array<[ColourMapName, number, string, number]> = [
    ['viridis', 0, '#440154', 1],
    ['viridis', 128 / 255, '#21918c', 1],
    ['viridis', 1, '#fde725', 1],
    ['cividis', 0, '#00224e', 4],
    ['cividis', 1, '#fee838', 15],
    ['magma', 0, '#000004', 1],
    ['magma', 1, '#fcfdbf', 1],
    ['RdBu', 0, '#67001f', 0],
    ['RdBu', 0.5, '#f7f7f7', 3],
    ['RdBu', 0.1, '#b2182b', 3],
    ['RdBu', 1, '#053061', 0],
  ];
  it.each(reference)('%s at %f is %s (±%i)', (name, t, expected, tolerance) => {
    expect(near(colourAt(name, t), hex(expected), tolerance)).toBe(true);
  });

  it('clamps outside [0, 1] and maps non-finite to the low end', () => {
    expect(colourAt('magma', 2)).toEqual(colourAt('magma', 1));
    expect(colourAt('magma', -1)).toEqual(colourAt('magma', 0));
    expect(colourAt('magma', NaN)).toEqual(colourAt('magma', 0));
  });

  it('paints a field, its colour bar and a quiver scatter with the chosen map', () => {
    const b = fieldBitmap([1, 100], 2, 1, { log: true, colourMap: 'cividis' });
    expect(Array.from(b.rgba.slice(0, 3))).toEqual(colourAt('cividis', 0));
    expect(Array.from(b.rgba.slice(4, 7))).toEqual(colourAt('cividis', 1));
    const source: ImageSourceFactory = () => 'data:,';
    const map = errorMapOption(
      { xValues: [0, 1], yValues: [0, 1], values: [1, 2, 3, 4], colourMap: 'magma' },
      'absolute',
      source,
    );
    const series = map.series as Array<{ id?: string; renderItem?: unknown }>;
    const bar = series.find((s) => s.id === COLOUR_BAR_ID)!;
    const drawn = (bar.renderItem as (p: unknown, api: unknown) => { style: { fill: unknown } })(
      {},
      { coord: (p: number[]) => p },
    );
    const stops = (drawn.style.fill as { colorStops: Array<{ color: string }> }).colorStops;
    expect(stops.map((s) => s.color)).toEqual(colourStops('magma'));
    const quiver = quiverOption([{ label: 'a', x: [0, 1], y: [0, 1], ax: [1, 2], ay: [0, 1] }], {
      colourMap: 'magma',
    });
    // |q̈| = 1 and √5 (logs 0 and 0.35): the dots' two ends of magma, one path per colour
    const dots = (
      quiver.series as Array<{ renderItem: (p: unknown, api: unknown) => unknown }>
    )[0]!;
    const discs = dots.renderItem({ dataIndex: 0 }, { coord: (p: number[]) => p }) as {
      children: Array<{ style: { fill: string } }>;
    };
    const rgb = (c: number[]) => `rgb(${c.join(',')})`;
    expect(discs.children.map((c) => c.style.fill)).toEqual([
      rgb(colourAt('magma', 0)),
      rgb(colourAt('magma', 1)),
    ]);
  });

  it('colours signed coefficients with RdBu centred on zero', () => {
    const o = coefficientOption(['c_0_1', 'c_1_0'], [-2, 0.5]);
    const v = o.visualMap as { min: number; max: number; inRange: { color: string[] } };
    expect([v.min, v.max]).toEqual([-2, 2]);
    expect(v.inRange.color).toEqual(colourStops('RdBu'));
  });
});
