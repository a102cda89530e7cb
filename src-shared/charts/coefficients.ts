import type { EChartsOption } from 'echarts';
import { colourStops } from './colormap';
import { chartTitle } from './format';

/**
 * Coefficient heatmap of the coupling terms q0^i q1^j (figures 10, 12, 17): c_i_j of the coupling
 * polynomial, or c_0_1_i_j of the full polynomial (its (m, n) = (0, 1) slice).
 */
export function coefficientOption(
  names: readonly string[],
  values: ArrayLike<number>,
  title?: string,
): EChartsOption {
  const cells: number[][] = [];
  let order = 0;
  names.forEach((n, k) => {
    const m = /^c_(?:0_1_)?(\d+)_(\d+)$/.exec(n);
    if (!m) return;
    const i = Number(m[1]),
      j = Number(m[2]);
    order = Math.max(order, i, j);
    cells.push([j, i, values[k]!]);
  });
  const maxAbs = Math.max(1e-12, ...cells.map((c) => Math.abs(c[2]!)));
  const labels = Array.from({ length: order + 1 }, (_, i) => String(i));
  return {
    title: chartTitle(title),
    tooltip: {
      formatter: (p: unknown) => {
        const v = (p as { value: number[] }).value;
        return `c_${v[1]}_${v[0]} = ${v[2]!.toPrecision(4)}`;
      },
    },
    grid: { left: 60, right: 90, top: 50, bottom: 50 },
    xAxis: {
      type: 'category',
      data: labels,
      name: 'j (power of q₁)',
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: {
      type: 'category',
      data: labels,
      name: 'i (power of q₀)',
      nameLocation: 'middle',
      nameGap: 35,
    },
    visualMap: {
      min: -maxAbs,
      max: maxAbs,
      right: 5,
      top: 'middle',
      calculable: true,
      // Diverging, centred on 0: negative red, positive blue (ColorBrewer RdBu).
      inRange: { color: colourStops('RdBu') },
      text: ['cᵢⱼ', ''],
    },
    series: [{ type: 'heatmap', name: 'c_ij', data: cells, progressive: 0 }],
    animation: false,
  };
}
