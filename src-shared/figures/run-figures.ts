import { findGrid } from '../dto/results';
import { bounds } from '../dto/sampling';
import { parameterHistory, PLOTTED_PARAMETERS, type MetricsSeries } from '../dto/runs';
import type { EChartsOption } from 'echarts';
import type { FieldRequest, FieldResponse, RunDetail, StudySpec } from '../api/contract';

import { coefficientOption } from '../charts/coefficients';
import { errorMapOption } from '../charts/error-map';
import { type WindowMask } from '../charts/window-mask';
import { landscapeOption } from '../charts/landscape';
import { quiverOption } from '../charts/quiver';
import {
  gradientOption,
  lossCurveOption,
  parameterOption,
  xyLinesOption,
  energyDriftOption,
  type Series,
} from '../charts/training';
import type { ImageSourceFactory } from '../charts/bitmap-series';
import type { ColourMapName } from '../charts/colormap';

/** How fields are painted: the colour map of landscapes, error maps and |q̈| (viridis default). */
export interface FigurePaint {
  readonly colourMap?: ColourMapName;
}

/** Everything a run's figure panel shows, built from its stored detail by pure option builders. */
export interface RunFigures {
  readonly loss: EChartsOption;
  readonly parameters: EChartsOption;
  readonly ratios: EChartsOption | null;
  readonly gradients: EChartsOption;
  readonly landscape: EChartsOption | null;
  readonly coefficients: EChartsOption | null;
  readonly rollout: {
    readonly positions: EChartsOption;
    readonly phase: EChartsOption;
    readonly energy: EChartsOption;
  } | null;
  /** float32 general vs float64 exact landscape, and the float32 zoom on the optimum. */
  readonly roughness: { readonly difference: EChartsOption; readonly zoom: EChartsOption } | null;
}

/* eslint-disable-next-line max-lines-per-function --
   a table: one entry per figure of a run, each built on first read */
export function runFigures(
  detail: RunDetail,
  imageSource: ImageSourceFactory,
  paint: FigurePaint = {},
): RunFigures {
  const study = detail.run.config;
  const results = detail.run.results;
  const names = results?.model.parameterNames ?? [];
  const m = detail.metrics;
  const label = `${detail.run.name} (#${detail.run.id})`;
  const loss = lossCurveOption(
    [{ name: label, steps: m.steps, values: m.loss }],
    'Loss against step',
  );
  const shown = names.length <= PLOTTED_PARAMETERS ? names : [];
  const history = (n: string) => parameterHistory(m, names.indexOf(n)) ?? [];
  const paramSeries: Series[] = shown.map((n) => ({ name: n, steps: m.steps, values: history(n) }));
  const parameters = parameterOption(paramSeries, 'Parameters against step');
  const gradients = gradientOption(
    shown.map((n, i) => ({
      name: `|∂loss/∂${n}|`,
      steps: m.steps,
      values: (parameterHistory(m, i, 'gradients') ?? []).map(Math.abs),
    })),
    'Gradient magnitude per parameter',
  );
  let ratios: EChartsOption | null = null;
  if (study.model.family === 'exact-form') {
    const truth = Object.fromEntries(
      study.system.parameters.map((p) => [p.name, study.trueParameters?.[p.name] ?? p.value]),
    );
    const series: Series[] = shown
      .filter((n) => truth[n])
      .map((n) => ({
        name: `${n}/${n}_true`,
        steps: m.steps,
        values: history(n).map((v) => v / truth[n]!),
      }));
    if (shown.length >= 2 && truth[shown[0]!] && truth[shown[1]!]) {
      const [a, b] = [shown[0]!, shown[1]!];
      const t = truth[a]! / truth[b]!;
      const hb = history(b);
      series.push({
        name: `(${a}/${b})_fit / (${a}/${b})_true`,
        steps: m.steps,
        values: history(a).map((v, s) => v / hb[s]! / t),
      });
    }
    ratios = parameterOption(series, 'Fitted / true', 'ratio');
  }
  const landscape = landscapeFigure(detail, imageSource, true, paint);
  const coefficients =
    (study.model.family === 'coupling-polynomial' || study.model.family === 'polynomial') && results
      ? coefficientOption(names, results.training.parameters, 'Coupling coefficients cᵢⱼ')
      : null;
  const r = results?.rollout;
  const rollout = r
    ? {
        positions: xyLinesOption(
          r.qTrue.flatMap((qt, i) => [
            { name: `q${i} true`, x: r.t, y: qt },
            { name: `q${i} learned`, x: r.t, y: r.qFit[i]! },
          ]),
          {
            title: `Rollout: q(t) (max deviation ${r.maxDeviation.toExponential(2)})`,
            xName: 't',
            yName: 'q',
          },
        ),
        phase: xyLinesOption(
          [
            { name: 'true', x: r.qTrue[0]!, y: r.qdTrue[0]! },
            { name: 'learned', x: r.qFit[0]!, y: r.qdFit[0]! },
          ],
          { title: 'Phase portrait (q0, q̇0)', xName: 'q0', yName: 'q̇0' },
        ),
        energy: energyDriftOption(
          [
            { name: 'true', t: r.t, energy: r.energyTrue, scale: r.kineticScaleTrue },
            { name: 'learned', t: r.t, energy: r.energyFit, scale: r.kineticScaleFit },
          ],
          `Energy drift (largest: learned ${r.energyDriftFit.toExponential(2)}, true ${r.energyDriftTruth.toExponential(2)})`,
        ),
      }
    : null;
  const diff = findGrid(detail.grids, 'landscape-difference');
  const zoomGrid = findGrid(detail.grids, 'landscape-zoom');
  const roughness =
    diff && zoomGrid
      ? (() => {
          const dm = diff.meta;
          const zm = zoomGrid.meta;
          return {
            difference: errorMapOption(
              { xValues: dm.xValues, yValues: dm.yValues, values: diff.data, ...paint },
              'relative',
              imageSource,
              `|float32 general − float64 exact| / exact over (${dm.x}, ${dm.y})`,
              { x: dm.x, y: dm.y },
            ),
            zoom: landscapeOption(
              {
                xName: zm.x,
                yName: zm.y,
                xValues: zm.xValues,
                yValues: zm.yValues,
                loss: zoomGrid.data,
                title: 'Float32 loss, zoomed ±0.1% on the exact optimum',
                ...paint,
              },
              imageSource,
            ),
          };
        })()
      : null;
  return { loss, parameters, ratios, gradients, landscape, coefficients, rollout, roughness };
}

/** The coordinate window of a study as a grid request box. */
export function windowBox(study: StudySpec, which: 'training' | 'validation' = 'training') {
  const w =
    which === 'validation' && study.validation
      ? study.validation.sampling.window
      : study.sampling.window;
  return { x: bounds(w.q[0]!), y: bounds(w.q[1] ?? w.qd[0]!) };
}

/** Data and fit quivers plus error maps over a grid of the window (q̇ = 0). */
export function fieldFigures(
  field: FieldResponse,
  title: string,
  imageSource: ImageSourceFactory,
  band?: number,
  /** The window's untrained region, greyed out on the error maps. */
  mask?: WindowMask,
  paint: FigurePaint = {},
) {
  const nx = field.xValues.length;
  const xs: number[] = [],
    ys: number[] = [];
  field.yValues.forEach((y) =>
    field.xValues.forEach((x) => {
      xs.push(x);
      ys.push(y);
    }),
  );
  const extent = {
    x0: field.xValues[0]!,
    x1: field.xValues[nx - 1]!,
    y0: field.yValues[0]!,
    y1: field.yValues.at(-1)!,
  };
  const truth = {
    label: 'data (true q̈)',
    x: xs,
    y: ys,
    ax: field.truth[0]!,
    ay: field.truth[1] ?? field.truth[0]!,
    color: '#1f5fbf',
  };
  const fit = field.fit
    ? {
        label: 'fit',
        x: xs,
        y: ys,
        ax: field.fit[0]!,
        ay: field.fit[1] ?? field.fit[0]!,
        color: '#d9480f',
      }
    : null;
  const common = { extent, ...paint, ...(band ? { excludedBand: band } : {}) };
  const map = (values: number[] | undefined, kind: 'absolute' | 'relative') =>
    values
      ? errorMapOption(
          { xValues: field.xValues, yValues: field.yValues, values, ...paint },
          kind,
          imageSource,
          `${title}: ${kind} error`,
          undefined,
          mask,
        )
      : null;
  // Each figure is built when first read: a view shows the quivers of a coarse grid and the maps
  // of a fine one, and building the rest would cost a 14 400-arrow quiver for nothing.
  return lazyRecord({
    data: () => quiverOption([truth], { ...common, title: `${title}: data q̈/|q̈| (q̇ = 0)` }),
    fit: () => (fit ? quiverOption([fit], { ...common, title: `${title}: fit` }) : null),
    overlay: () =>
      fit
        ? quiverOption([truth, fit], {
            ...common,
            title: `${title}: data and fit`,
            scatterMagnitude: false,
          })
        : null,
    absolute: () => map(field.absolute, 'absolute'),
    relative: () => map(field.relative, 'relative'),
  });
}

/** An object whose properties are computed on first read, then kept. */
function lazyRecord<T extends Record<string, unknown>>(builders: {
  [K in keyof T]: () => T[K];
}): T {
  const out = {} as T;
  for (const key of Object.keys(builders) as Array<keyof T>) {
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        const value = builders[key]();
        Object.defineProperty(out, key, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return out;
}

/** A run's stored landscape, with or without the optimizer's path (report figures 2 and 3). */
export function landscapeFigure(
  detail: RunDetail,
  imageSource: ImageSourceFactory,
  withPath: boolean,
  paint: FigurePaint = {},
): EChartsOption | null {
  const study = detail.run.config;
  const results = detail.run.results;
  const names = results?.model.parameterNames ?? [];
  const grid = findGrid(detail.grids, 'landscape');
  if (!grid || !study.landscape) return null;
  const meta = grid.meta;
  const ix = names.indexOf(meta.x),
    iy = names.indexOf(meta.y);
  const truth = Object.fromEntries(
    study.system.parameters.map((p) => [p.name, study.trueParameters?.[p.name] ?? p.value]),
  );
  return landscapeOption(
    {
      xName: meta.x,
      yName: meta.y,
      xValues: meta.xValues,
      yValues: meta.yValues,
      loss: grid.data,
      ...(withPath ? { path: landscapePath(detail.metrics, ix, iy) } : {}),
      ...(truth[meta.x] !== undefined && truth[meta.y] !== undefined
        ? { truth: [truth[meta.x]!, truth[meta.y]!] as const }
        : {}),
      ...(withPath && results?.exact
        ? { exactOptimum: [results.exact.parameters[ix]!, results.exact.parameters[iy]!] as const }
        : {}),
      ...(withPath && results?.identifiability && names.length === 2
        ? {
            directions: [
              {
                label: 'stiff direction',
                vector: [
                  results.identifiability.stiffDirection[ix]!,
                  results.identifiability.stiffDirection[iy]!,
                ] as const,
              },
              {
                label: 'sloppy direction',
                vector: [
                  results.identifiability.sloppyDirection[ix]!,
                  results.identifiability.sloppyDirection[iy]!,
                ] as const,
              },
            ],
          }
        : {}),
      title: withPath
        ? `Loss landscape over (${meta.x}, ${meta.y}) with the optimizer's path`
        : `Loss landscape over (${meta.x}, ${meta.y})`,
      ...paint,
    },
    imageSource,
  );
}

/** Why a run has no loss landscape to draw ('' when it has one): Compare says it per run. */
export function landscapeAbsence(detail: RunDetail): string {
  if (findGrid(detail.grids, 'landscape') && detail.run.config.landscape) return '';
  if (!detail.run.config.landscape) return 'its study computes no loss landscape';
  if (!detail.run.results)
    return `it stopped before its landscape was computed (${detail.run.status})`;
  return `no landscape is stored with it (${detail.run.status}; stopped during the landscape, or pruned)`;
}

/**
 * The q̈ grid request behind a run's quivers and error maps: its fitted model over its training or
 * validation window (q̇ = 0).
 */
export function runFieldRequest(
  detail: RunDetail,
  which: 'training' | 'validation',
  count: number,
): FieldRequest {
  const study = detail.run.config;
  const results = detail.run.results!;
  const box = windowBox(study, which);
  return {
    system: study.system,
    ...(study.trueParameters ? { trueParameters: study.trueParameters } : {}),
    model: study.model,
    parameters: results.training.parameters,
    grid: {
      x: { coordinate: 0, min: box.x.min, max: box.x.max, count },
      y: { coordinate: 1, min: box.y.min, max: box.y.max, count },
    },
  };
}

/** The report's figure 24: the true q̈ field at these widths around a fixed point. */
export const ZOOM_WIDTHS = [0.1, 0.01, 0.001, 0.0002] as const;

export function zoomFieldRequest(
  study: StudySpec,
  centre: readonly number[],
  width: number,
  count: number,
): FieldRequest {
  return {
    system: study.system,
    grid: {
      x: { coordinate: 0, min: centre[0]! - width / 2, max: centre[0]! + width / 2, count },
      y: { coordinate: 1, min: centre[1]! - width / 2, max: centre[1]! + width / 2, count },
    },
  };
}

export function zoomQuiverOption(
  field: FieldResponse,
  width: number,
  arrowPixels: number,
  paint: FigurePaint = {},
): EChartsOption {
  const xs = field.yValues.flatMap(() => field.xValues);
  const ys = field.yValues.flatMap((y) => field.xValues.map(() => y));
  return quiverOption(
    [{ label: `width ${width}`, x: xs, y: ys, ax: field.truth[0]!, ay: field.truth[1]! }],
    { title: `width ${width}`, arrowPixels, scatterMagnitude: false, ...paint },
  );
}

/** The optimizer's path over a landscape's two parameters (empty if the detail lacks them). */
function landscapePath(m: MetricsSeries, ix: number, iy: number): Array<readonly [number, number]> {
  const xs = parameterHistory(m, ix),
    ys = parameterHistory(m, iy);
  return xs && ys ? xs.map((x, s) => [x, ys[s]!] as const) : [];
}
