import { describe, expect, it } from 'vitest';
import { crc32, resolutionOf, withResolution } from '../../../src-shared/charts/png-resolution';
import { fieldBitmap, viridis, type Bitmap } from '../../../src-shared/charts/colormap';
import { errorMapOption } from '../../../src-shared/charts/error-map';
import { physicsLabel } from '../../../src-shared/charts/format';
import { figureFileName, optionToCsv, stretchSvgImages } from '../../../src-shared/charts/export';
import { landscapeOption } from '../../../src-shared/charts/landscape';
import { lossCurveOption, xyLinesOption } from '../../../src-shared/charts/training';
import { quiverOption } from '../../../src-shared/charts/quiver';
import {
  ARROW_STRIDE,
  ARROWS_SHAPE,
  arrowPoints,
  traceArrows,
} from '../../../src-shared/charts/shapes';
import { coefficientOption } from '../../../src-shared/charts/coefficients';
import { emaSmooth, configTable } from '../../../src-shared/figures/compare';

const noImage = () => 'image';

describe('chart option builders', () => {
  it('loss curve: log y labelled at whole decades (10ⁿ), non-positive losses dropped', () => {
    const o = lossCurveOption([{ name: 'run', steps: [0, 1, 2, 3], values: [10, 1, 0, 1e-6] }]) as {
      yAxis: {
        type: string;
        min: number;
        max: number;
        axisLabel: { customValues: number[]; formatter: (v: number) => string };
      };
      series: Array<{ data: number[][] }>;
    };
    expect(o.yAxis.type).toBe('log');
    // 1e-6 … 10 spans 7 decades: labels every 2nd decade (at most 6), as 10ⁿ
    expect(o.yAxis.min).toBeCloseTo(1e-6, 18);
    expect(o.yAxis.max).toBe(10);
    expect(o.yAxis.axisLabel.customValues.map((v) => Math.round(Math.log10(v)))).toEqual([
      -6, -4, -2, 0,
    ]);
    expect(o.yAxis.axisLabel.formatter(1e-6)).toBe('10⁻⁶');
    expect(o.yAxis.axisLabel.formatter(10)).toBe('10¹');
    expect(o.series[0]!.data).toEqual([
      [0, 10],
      [1, 1],
      [3, 1e-6],
    ]);
  });

  it('landscape: bitmap, path, truth and exact solve; extent covers the cells', () => {
    const o = landscapeOption(
      {
        xName: 'k',
        yName: 'alpha',
        xValues: [0, 1, 2],
        yValues: [0, 1],
        loss: [1, 2, 3, 4, 5, 6],
        path: [
          [0, 0],
          [1, 1],
        ],
        truth: [1, 1],
        exactOptimum: [1, 1],
      },
      noImage,
    ) as {
      series: Array<{ id?: string }>;
      xAxis: Array<{ min: number; max: number }>;
      yAxis: Array<{ name: string; min: number; max: number }>;
    };
    // bitmap, path, truth, exact solve, and the colour bar's gradient last
    expect(o.series).toHaveLength(5);
    expect(o.series[4]!.id).toBe('colour-bar');
    // half a cell beyond the first and last nodes
    expect(o.xAxis[0]!.min).toBe(-0.5);
    expect(o.xAxis[0]!.max).toBe(2.5);
    // Greek axis names; the bar's axis spans log₁₀ of the loss range [1, 6]
    expect(o.yAxis[0]!.name).toBe('α');
    expect(o.yAxis[1]!.name).toBe('loss');
    expect(o.yAxis[1]!.min).toBe(0);
    expect(o.yAxis[1]!.max).toBeCloseTo(Math.log10(6), 12);
  });

  it('quiver: unit vectors q̈/|q̈|, zero vectors skipped, band drawn', () => {
    const o = quiverOption([{ label: 'data', x: [0, 1], y: [0, 0], ax: [3, 0], ay: [4, 0] }], {
      excludedBand: 0.1,
      extent: { x0: -1, x1: 1, y0: -1, y1: 1 },
    }) as { series: Array<{ name: string; data: number[][] }> };
    const arrows = o.series.find((s) => s.name === 'data')!;
    expect(arrows.data).toEqual([[0, 0, 0.6, 0.8]]);
    expect(o.series.some((s) => s.name.startsWith('excluded'))).toBe(true);
  });

  it('quiver arrows: one path, shaft len px along u (screen y down) and a head at the tip', () => {
    // u = (0.6, 0.8) from the screen point (100, 200), len 10: the tip at (106, 192); the head
    // strokes start 3.5 px back along −u, ±1.75 px across: (106 − 2.1 ∓ 1.4, 192 + 2.8 ∓ 1.05)
    const numbers = Array.from(
      arrowPoints([[1, 2, 0.6, 0.8]], ([x, y]) => [100 * x!, 100 * y!], 10),
    );
    const expected = [100, 200, 106, 192, 106 - 2.1 - 1.4, 192 + 2.8 - 1.05];
    expected.push(106 - 2.1 + 1.4, 192 + 2.8 + 1.05);
    expect(numbers).toHaveLength(ARROW_STRIDE);
    numbers.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    // traced as shaft start → tip, head point → tip → other head point
    const moves: string[] = [];
    const sink = {
      moveTo: (x: number, y: number) => moves.push(`M${x} ${y}`),
      lineTo: (x: number, y: number) => moves.push(`L${x} ${y}`),
      arc: () => moves.push('A'),
    };
    traceArrows(sink, numbers);
    const at = (i: number) => `${numbers[i]} ${numbers[i + 1]}`;
    expect(moves).toEqual([`M${at(0)}`, `L${at(2)}`, `M${at(4)}`, `L${at(2)}`, `L${at(6)}`]);
    type Render = (p: { dataIndex: number }, a: unknown) => unknown;
    const o = quiverOption([{ label: 'data', x: [0, 1], y: [0, 1], ax: [1, 0], ay: [0, 1] }]) as {
      series: Array<{ name: string; renderItem?: Render }>;
    };
    const arrows = o.series.find((s) => s.name === 'data')!;
    const api = { coord: (p: number[]) => p };
    // the first item draws every arrow; the others draw nothing
    const first = arrows.renderItem!({ dataIndex: 0 }, api) as {
      type: string;
      shape: { points: Float64Array };
    };
    expect(first.type).toBe(ARROWS_SHAPE);
    expect(first.shape.points).toHaveLength(2 * ARROW_STRIDE);
    expect(arrows.renderItem!({ dataIndex: 1 }, api)).toBeNull();
  });

  it('coefficients: c_i_j placed at (j, i)', () => {
    const o = coefficientOption(['c_0_0', 'c_0_1', 'c_1_0', 'c_1_1'], [1, 2, 3, 4]) as {
      series: Array<{ data: number[][] }>;
    };
    expect(o.series[0]!.data).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [0, 1, 3],
      [1, 1, 4],
    ]);
  });
});

describe('dense fields as bitmaps', () => {
  it('maps min to viridis purple and max to yellow, log scaled, highest y on the top row, NaN transparent', () => {
    // 2 × 2 grid, iy = 0 is the lowest y
    const b = fieldBitmap([1, 10, 100, NaN], 2, 2, { log: true });
    expect([b.min, b.max]).toEqual([0, 2]);
    const px = (row: number, col: number) =>
      Array.from(b.rgba.slice((row * 2 + col) * 4, (row * 2 + col) * 4 + 4));
    expect(px(1, 0)).toEqual([...viridis(0), 255]); // value 1 at (ix 0, iy 0) → bottom row
    expect(px(0, 0)).toEqual([...viridis(1), 255]); // value 100 at (ix 0, iy 1) → top row
    expect(px(0, 1)[3]).toBe(0); // NaN
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
  });
});

describe('exports', () => {
  it('CSV has one row per plotted point, and one per cell for dense fields', () => {
    const loss = optionToCsv(
      lossCurveOption([
        { name: 'a', steps: [0, 1, 2], values: [3, 2, 1] },
        { name: 'b', steps: [0, 1], values: [5, 4] },
      ]),
    );
    expect(loss.trim().split('\n')).toEqual([
      'series,step,loss',
      'a,0,3',
      'a,1,2',
      'a,2,1',
      'b,0,5',
      'b,1,4',
    ]);
    const land = optionToCsv(
      landscapeOption(
        {
          xName: 'k',
          yName: 'alpha',
          xValues: [0, 1, 2],
          yValues: [0, 1],
          loss: [1, 2, 3, 4, 5, 6],
        },
        noImage,
      ),
    );
    const lines = land.trim().split('\n');
    expect(lines[0]).toBe('series,k,alpha,loss');
    expect(lines).toHaveLength(1 + 6);
    expect(lines[4]).toBe('log₁₀ loss,0,1,4');
  });

  it('file names carry the run id, the run name and the figure kind', () => {
    expect(figureFileName('Origin window, exact form', 'landscape', 'svg')).toBe(
      'origin-window-exact-form-landscape.svg',
    );
    expect(figureFileName('Origin window, exact form', 'landscape', 'svg', 12)).toBe(
      'run-12-origin-window-exact-form-landscape.svg',
    );
  });

  it('SVG images stretch to their extent', () => {
    expect(stretchSvgImages('<image href="x"/>')).toBe(
      '<image preserveAspectRatio="none" href="x"/>',
    );
  });
});

describe('comparison helpers', () => {
  it('EMA with debiasing: a constant stays constant; two steps by hand', () => {
    expect(emaSmooth([5, 5, 5], 0.9)).toEqual([5, 5, 5].map(() => expect.closeTo(5, 12)));
    // s1 = 0.1·1 = 0.1 → /0.1 = 1; s2 = 0.09 + 0.1·3 = 0.39 → /0.19
    const [a, b] = emaSmooth([1, 3], 0.9);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(0.39 / 0.19, 12);
  });

  it('configuration table: differences only', () => {
    const rows = configTable(
      [
        { optimizer: { algorithm: 'adam', learningRate: 0.01 }, seed: 1 },
        { optimizer: { algorithm: 'adam', learningRate: 0.001 }, seed: 1 },
      ],
      true,
    );
    expect(rows).toEqual([{ key: 'optimizer.learningRate', values: ['0.01', '0.001'] }]);
  });
});

describe('PNG resolution (pHYs)', () => {
  // The smallest valid PNG header: signature, IHDR (1×1 RGBA), IEND (chunks with their CRCs).
  const ihdr = [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];
  const chunk = (type: string, data: number[]) => {
    const body = Uint8Array.from([...type].map((c) => c.charCodeAt(0)).concat(data));
    const crc = crc32(body);
    return [
      0,
      0,
      0,
      data.length,
      ...body,
      crc >>> 24,
      (crc >>> 16) & 255,
      (crc >>> 8) & 255,
      crc & 255,
    ];
  };
  const png = Uint8Array.from([
    137,
    80,
    78,
    71,
    13,
    10,
    26,
    10,
    ...chunk('IHDR', ihdr),
    ...chunk('IEND', []),
  ]);

  it('CRC-32 matches its check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('300 dpi is 11811 px/m after IHDR, 600 dpi replaces it', () => {
    const at300 = withResolution(png, 300);
    expect(resolutionOf(png)).toBeNull();
    expect(resolutionOf(at300)).toBe(300);
    const view = new DataView(at300.buffer);
    // signature 8 + IHDR 25 → pHYs length 9, "pHYs", x ppm, y ppm, unit 1
    expect(view.getUint32(33)).toBe(9);
    expect(view.getUint32(41)).toBe(11811);
    expect(view.getUint32(45)).toBe(11811);
    expect(at300[49]).toBe(1);
    // the chunk's CRC covers its type and data
    expect(view.getUint32(50)).toBe(crc32(at300.subarray(37, 50)));
    const at600 = withResolution(at300, 600);
    expect(resolutionOf(at600)).toBe(600);
    expect(at600.length).toBe(at300.length);
  });
});

describe('honest maps', () => {
  it('an error map greys out the half-plane the model never saw, with a legend entry', () => {
    const xs = [-1, 0, 1];
    const ys = [-1, 0, 1];
    const bitmaps: Bitmap[] = [];
    const o = errorMapOption(
      { xValues: xs, yValues: ys, values: Array(9).fill(1e-3) },
      'absolute',
      (b) => bitmaps.push(b),
      undefined,
      undefined,
      { bands: [], halfPlanes: [{ i: 0, j: 1, epsilon: 0.1 }] },
    ) as {
      legend: { data: Array<{ name: string }> };
      series: Array<{ renderItem?: (p: unknown, api: unknown) => unknown }>;
    };
    expect(o.legend.data[0]!.name).toBe('not trained (q₁ ≤ q₀ + 0.1)');
    // draw both bitmaps (field, then mask) through their series
    const api = { coord: (p: number[]) => p };
    o.series[0]!.renderItem!({}, api);
    o.series[1]!.renderItem!({}, api);
    const [field, mask] = bitmaps as [Bitmap, Bitmap];
    // alpha of the cell at (x, y): row 0 is the top (y = 1)
    const alpha = (b: Bitmap, ix: number, iy: number) => b.rgba[((2 - iy) * 3 + ix) * 4 + 3];
    // (−1, 1): q₁ > q₀ + 0.1, trained: the error shows, no grey
    expect([alpha(field, 0, 2), alpha(mask, 0, 2)]).toEqual([255, 0]);
    // (1, −1) and the diagonal (0, 0): untrained, grey instead of an error
    expect([alpha(field, 2, 0), alpha(mask, 2, 0)]).toEqual([0, 255]);
    expect([alpha(field, 1, 1), alpha(mask, 1, 1)]).toEqual([0, 255]);
  });

  it('physics labels: Greek letters, subscripts and dots', () => {
    expect(['alpha', 'omega1', 'q0', 'qd1', 'qdd0', 'k', 'loss'].map(physicsLabel)).toEqual([
      'α',
      'ω₁',
      'q₀',
      'q̇₁',
      'q̈₀',
      'k',
      'loss',
    ]);
  });
});

describe('narrow windows', () => {
  it('a quiver 0.0002 wide around q₀ = 0.39685 is labelled by offset, ticks as differences', () => {
    const xs = [0.39675, 0.39685, 0.39695];
    const o = quiverOption(
      [{ label: 'zoom', x: xs, y: [-0.39695, -0.39685, -0.39675], ax: [1, 1, 1], ay: [1, 1, 1] }],
      { scatterMagnitude: false },
    ) as { xAxis: { name: string; axisLabel: { formatter: (v: number) => string } } };
    expect(o.xAxis.name).toBe('q₀ − 0.3969');
    const f = o.xAxis.axisLabel.formatter;
    // 0.39685 − 0.3969 = −5e-5: a short, distinct label for each tick
    expect([0.39675, 0.39685, 0.39695].map(f)).toEqual(['-1.5e-4', '-5e-5', '5e-5']);
  });

  it('an energy conserved to 1e-9 is labelled by offset, not six equal ticks', () => {
    const t = [0, 1, 2, 3];
    const e = [1.9040000012, 1.9040000008, 1.9039999995, 1.904000001];
    const o = xyLinesOption([{ name: 'learned', x: t, y: e }], {
      xName: 't',
      yName: 'E',
    }) as { yAxis: { name: string; axisLabel: { formatter: (v: number) => string } } };
    expect(o.yAxis.name).toBe('E − 1.904');
    const labels = [1.9039999995, 1.904, 1.9040000005, 1.904000001].map(
      o.yAxis.axisLabel.formatter,
    );
    expect(labels).toEqual(['-5e-10', '0', '5e-10', '1e-9']);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
