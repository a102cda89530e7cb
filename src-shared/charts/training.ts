import type { EChartsOption } from 'echarts';
import { decadeTicks } from './colour-bar';
import { chartTitle, decadeLabel, offsetLabels, PUBLICATION_TEXT, scientific } from './format';

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
    // whole steps only: no fractional ticks on a 3-step run
    xAxis: {
      type: 'value',
      name: 'step',
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      minInterval: 1,
    },
    yAxis: logY
      ? {
          type: 'log',
          name: yName,
          nameLocation: 'middle',
          nameGap: 55,
          ...logAxisDecades(series),
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

/**
 * A log axis labelled at whole decades (10ⁿ, every 1st, 2nd, 5th … so at most 6 labels), spanning
 * the data's decades, with unlabelled ticks at 2…9 × 10ⁿ when few decades are shown.
 */
function logAxisDecades(series: unknown[]) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series as Array<{ data: number[][] }>)
    for (const d of s.data)
      if (d[1]! > 0) {
        lo = Math.min(lo, d[1]!);
        hi = Math.max(hi, d[1]!);
      }
  if (!Number.isFinite(lo)) return { axisLabel: { formatter: scientific } };
  const n0 = Math.floor(Math.log10(lo));
  const n1 = Math.max(n0 + 1, Math.ceil(Math.log10(hi)));
  const majors = decadeTicks(n0, n1);
  const minors =
    n1 - n0 <= 4
      ? Array.from({ length: n1 - n0 }, (_, i) =>
          [2, 3, 4, 5, 6, 7, 8, 9].map((m) => m * 10 ** (n0 + i)),
        ).flat()
      : [];
  return {
    min: 10 ** n0,
    max: 10 ** n1,
    axisLabel: {
      customValues: majors.map((n) => 10 ** n),
      formatter: (v: number) => decadeLabel(Math.round(Math.log10(v))),
    },
    axisTick: { customValues: [...majors.map((n) => 10 ** n), ...minors] },
    splitLine: { show: true },
  };
}

/** Loss against step, log y with scientific labels (figures 18a, 25–27). */
export function lossCurveOption(
  series: readonly Series[],
  title?: string,
  options: { logY?: boolean; raw?: readonly Series[] } = {},
): EChartsOption {
  const logY = options.logY ?? true;
  // The raw curves faint behind the smoothed ones: the same names, so they share the colour and
  // the legend toggles both.
  const raw = (options.raw ? lines(options.raw, logY) : []).map((s) => ({
    ...(s as object),
    lineStyle: { opacity: 0.25 },
    silent: true,
    z: 1,
  }));
  return base(title, 'loss', logY, [...raw, ...lines(series, logY)]);
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
  // A conserved energy (or any nearly constant curve) is labelled by offset, not by six equal
  // rounded ticks.
  const ys = series.flatMap((s) => Array.from(s.y));
  const xs = series.flatMap((s) => Array.from(s.x));
  const yOffset = offsetLabels(axes.yName, ys);
  const xOffset = offsetLabels(axes.xName, xs);
  return {
    ...o,
    xAxis: {
      type: 'value',
      name: axes.xName,
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...(xOffset ?? {}),
    },
    ...(yOffset ? { yAxis: { ...(o.yAxis as object), ...yOffset } } : {}),
  };
}

/**
 * Energy drift of each Lagrangian along its rollout: |E(t) − E(0)| / max|T| on a log axis. A
 * learned L is defined up to a factor and an additive constant, so absolute energies of two
 * Lagrangians say nothing side by side; this ratio is free of both. Exact zeros (t = 0) are left
 * out of the log axis. Without a stored scale (older runs) the drift is shown unscaled.
 */
export function energyDriftOption(
  curves: ReadonlyArray<{
    name: string;
    t: ArrayLike<number>;
    energy: ArrayLike<number>;
    scale?: number;
  }>,
  title?: string,
): EChartsOption {
  const scaled = curves.every((c) => c.scale !== undefined && c.scale > 0);
  const series = curves.map((c) => {
    const e0 = c.energy[0] ?? 0;
    const s = scaled ? c.scale! : 1;
    const points: Array<[number, number]> = [];
    for (let i = 0; i < Math.min(c.t.length, c.energy.length); i++) {
      const v = Math.abs(c.energy[i]! - e0) / s;
      if (v > 0 && Number.isFinite(v) && Number.isFinite(c.t[i]!)) points.push([c.t[i]!, v]);
    }
    return { type: 'line', name: c.name, showSymbol: false, progressive: 0, data: points };
  });
  const yName = scaled ? '|E(t) − E(0)| / max|T|' : '|E(t) − E(0)|';
  const o = base(title, yName, true, series);
  return {
    ...o,
    xAxis: { type: 'value', name: 't', nameLocation: 'middle', nameGap: 28, scale: true },
  };
}
