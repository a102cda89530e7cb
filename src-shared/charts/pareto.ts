import type { EChartsOption } from 'echarts';
import type { DiscoveryCandidate } from '../dto/discovery';
import { chartTitle, PUBLICATION_TEXT, scientific } from './format';

/** Smallest positive value drawn on the log axis (exact data leaves errors near 10⁻²⁶). */
const FLOOR = 1e-30;

/**
 * The discovery path as a Pareto plot: number of terms against the q̈ error on the validation
 * data (log), one point per candidate; the chosen one drawn large and labelled. Series 0 holds
 * the candidates in path order, so a click's data index is the candidate's index.
 */
export function paretoOption(
  path: readonly DiscoveryCandidate[],
  selected: number,
  title?: string,
): EChartsOption {
  const point = (c: DiscoveryCandidate) => [
    c.support.length,
    Number.isFinite(c.validationError) ? Math.max(c.validationError, FLOOR) : null,
  ];
  const chosen = path[selected];
  // ∂²L/∂q̇² indefinite somewhere: not a mechanical Lagrangian (never chosen by default)
  const inadmissible = (c: DiscoveryCandidate) => (c.indefinitePoints ?? 0) > 0;
  return {
    title: chartTitle(title),
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { dataIndex } = p as { dataIndex: number };
        const c = path[dataIndex];
        return c
          ? `${c.support.length} terms · q̈ error ${scientific(c.validationError)} · BIC ${scientific(c.bic)}${inadmissible(c) ? ` · not admissible (∂²L/∂q̇² indefinite at ${c.indefinitePoints} of ${c.checkedPoints} points)` : ''}`
          : '';
      },
    },
    legend: { top: 30, textStyle: PUBLICATION_TEXT },
    grid: { left: 70, right: 30, top: 72, bottom: 50 },
    xAxis: {
      type: 'value',
      name: 'terms in L',
      nameLocation: 'middle',
      nameGap: 28,
      minInterval: 1,
    },
    yAxis: {
      type: 'log',
      name: 'validation q̈ error',
      nameLocation: 'middle',
      nameGap: 55,
      axisLabel: { formatter: scientific },
    },
    series: [
      {
        type: 'scatter',
        name: 'candidates',
        symbolSize: 9,
        data: path.map(point),
      },
      {
        type: 'scatter',
        name: 'not admissible (∂²L/∂q̇² indefinite)',
        symbol: 'triangle',
        symbolSize: 12,
        silent: true,
        itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#e67700', borderWidth: 2 },
        data: path.filter(inadmissible).map(point),
      },
      {
        type: 'scatter',
        name: 'chosen',
        symbolSize: 18,
        itemStyle: { color: '#c92a2a' },
        data: chosen ? [point(chosen)] : [],
        label: { show: true, position: 'right', formatter: 'chosen' },
      },
    ],
    animation: false,
  };
}
