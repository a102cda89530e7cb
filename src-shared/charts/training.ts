import type { EChartsOption } from 'echarts';
import { chartTitle, PUBLICATION_TEXT, scientific } from './format';

export interface Series {
  readonly name: string;
  readonly steps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

function lines(series: readonly Series[], logY: boolean): unknown[] {
  return series.map((s) => ({
    type: 'line',
    name: s.name,
    showSymbol: false,
    progressive: 0,
    data: Array.from({ length: s.steps.length }, (_, i) => [s.steps[i]!, s.values[i]!]).filter(
      (d) => Number.isFinite(d[1]) && (!logY || d[1]! > 0),
    ),
  }));
}

function base(
  title: string | undefined,
  yName: string,
  logY: boolean,
  series: unknown[],
): EChartsOption {
  return {
    title: chartTitle(title),
    legend: { top: 30, textStyle: PUBLICATION_TEXT },
    tooltip: { trigger: 'axis' },
    grid: { left: 70, right: 30, top: 72, bottom: 50 },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: logY
      ? {
          type: 'log',
          name: yName,
          nameLocation: 'middle',
          nameGap: 55,
          axisLabel: { formatter: scientific },
        }
      : {
          type: 'value',
          name: yName,
          nameLocation: 'middle',
          nameGap: 55,
          scale: true,
          axisLabel: { formatter: scientific },
        },
    series: series as EChartsOption['series'],
    animation: false,
  };
}

/** Loss against step, log y with scientific labels (figures 18a, 25–27). */
export function lossCurveOption(series: readonly Series[], title?: string): EChartsOption {
  return base(title, 'loss', true, lines(series, true));
}

/** Parameter trajectories, or fitted/true ratios, against step (figure 18b). */
export function parameterOption(
  series: readonly Series[],
  title?: string,
  yName = 'value',
): EChartsOption {
  return base(title, yName, false, lines(series, false));
}

/** Per-parameter gradient magnitudes against step (the k-versus-alpha mismatch). */
export function gradientOption(series: readonly Series[], title?: string): EChartsOption {
  return base(title, '|∂loss/∂θ|', true, lines(series, true));
}

/** Lines over any x (time, a swept setting, q for a phase portrait). */
export function xyLinesOption(
  series: ReadonlyArray<{ name: string; x: ArrayLike<number>; y: ArrayLike<number> }>,
  axes: { title?: string; xName: string; yName: string },
): EChartsOption {
  const o = base(
    axes.title,
    axes.yName,
    false,
    series.map((s) => ({
      type: 'line',
      name: s.name,
      showSymbol: false,
      progressive: 0,
      data: Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, i) => [
        s.x[i]!,
        s.y[i]!,
      ]).filter((d) => Number.isFinite(d[1]) && Number.isFinite(d[0])),
    })),
  );
  return {
    ...o,
    xAxis: { type: 'value', name: axes.xName, nameLocation: 'middle', nameGap: 28, scale: true },
  };
}
