// The weekly report's figures 1–27: which run and which chart each is, its section and caption.
// One table for the gallery on screen and the report export (files named fig01-…, fig24 its four
// panels composed), so both say the same thing.
import type { EChartsOption } from 'echarts';
import type { FieldRequest, FieldResponse, RunDetail } from '../api/contract';
import type { ImageSourceFactory } from '../charts/bitmap-series';
import { windowMask } from '../charts/window-mask';
import {
  fieldFigures,
  landscapeFigure,
  runFieldRequest,
  runFigures,
  ZOOM_WIDTHS,
  zoomFieldRequest,
  zoomQuiverOption,
  type FigurePaint,
} from './run-figures';

/** The bundled studies behind the report, by their role in it. */
export const REPORT_STUDIES = {
  origin: '1.1-origin-exact-fit.json',
  far: '1.2.1-far-from-origin.json',
  near: '1.2.2-near-fixed-point.json',
  zoom: '1.2.2-zoomed-fixed-point.json',
  run1: '2.2-run1-full-polynomial.json',
  run2: '2.2-run2-coupling-polynomial.json',
  run3: '2.2.1-run3-narrow-window.json',
} as const;
export type ReportKey = keyof typeof REPORT_STUDIES;
export const REPORT_KEYS = Object.keys(REPORT_STUDIES) as ReportKey[];

/** The q̈ grids the figures draw: a run's window (25 arrows a side, 120 for error maps). */
export const REPORT_FIELDS: Record<
  string,
  { run: ReportKey; which: 'training' | 'validation'; count: number }
> = {
  origin: { run: 'origin', which: 'training', count: 25 },
  far: { run: 'far', which: 'training', count: 25 },
  near: { run: 'near', which: 'training', count: 25 },
  zoom: { run: 'zoom', which: 'training', count: 25 },
  run1: { run: 'run1', which: 'training', count: 25 },
  run2: { run: 'run2', which: 'training', count: 25 },
  run3: { run: 'run3', which: 'training', count: 25 },
  run2fine: { run: 'run2', which: 'training', count: 120 },
  run3validation: { run: 'run3', which: 'validation', count: 25 },
};

/** Every field request of the report, by name. */
export function reportFieldRequests(
  details: Record<ReportKey, RunDetail>,
): Record<string, FieldRequest> {
  return Object.fromEntries(
    Object.entries(REPORT_FIELDS).map(([name, f]) => [
      name,
      runFieldRequest(details[f.run], f.which, f.count),
    ]),
  );
}

/** Figure 24's fields: the true q̈ around the near run's first fixed point, at each width. */
export function zoomSeriesRequests(
  near: RunDetail,
): Array<{ width: number; request: FieldRequest }> {
  const fp = near.run.results?.fixedPoints?.[0];
  if (!fp) return [];
  return ZOOM_WIDTHS.map((width) => ({
    width,
    request: zoomFieldRequest(near.run.config, fp.q, width, 13),
  }));
}

export interface ReportFigure {
  readonly n: number;
  /** The file name's part after the number: fig13-error-absolute-run2.pdf. */
  readonly slug: string;
  /** The run behind the figure: its method is named in the caption. */
  readonly run: ReportKey;
  readonly section: string;
  readonly caption: string;
  /** Each panel's option as a thunk: built when drawn, one at a time. */
  readonly charts: Array<() => EChartsOption>;
}

export interface ReportSources {
  readonly details: Record<ReportKey, RunDetail>;
  readonly fields: Record<string, FieldResponse>;
  readonly zoom: ReadonlyArray<{ width: number; field: FieldResponse }>;
  readonly imageSource: ImageSourceFactory;
  readonly paint?: FigurePaint;
}

/** The report's 27 figures from its runs and fields. */
/* eslint-disable-next-line max-lines-per-function --
   a table: one entry per figure of the report (27) */
export function reportFigures(src: ReportSources): ReportFigure[] {
  const d = src.details;
  const { imageSource } = src;
  const paint = src.paint ?? {};
  // one runFigures per run, built by the first chart that needs it
  const built = new Map<ReportKey, ReturnType<typeof runFigures>>();
  const figs = (k: ReportKey) => {
    if (!built.has(k)) built.set(k, runFigures(d[k], imageSource, paint));
    return built.get(k)!;
  };
  const band = (k: ReportKey) => d[k].run.config.sampling.window.exclusionBands?.[0]?.epsilon;
  // the untrained band or half-plane is greyed on the error maps, as on the run page
  const f = (k: string, key: ReportKey = k as ReportKey, title = '') =>
    fieldFigures(
      src.fields[k]!,
      title,
      imageSource,
      band(key),
      windowMask(d[key].run.config.sampling.window),
      paint,
    );
  // an exact-form run has the fitted/true ratios beside its loss
  const lossRatio = (k: ReportKey) =>
    d[k].run.config.model.family === 'exact-form'
      ? [() => figs(k).loss, () => figs(k).ratios!]
      : [() => figs(k).loss];
  const zoomCharts = src.zoom.map((z) => () => zoomQuiverOption(z.field, z.width, 8, paint));
  return [
    {
      n: 1,
      slug: 'quiver-origin',
      run: 'origin',
      section: '1.1.1',
      caption: 'Quiver and scatter plots of sampled points and associated q̈',
      charts: [() => f('origin', 'origin', 'Origin window').data],
    },
    {
      n: 2,
      slug: 'landscape-origin',
      run: 'origin',
      section: '1.1.1',
      caption: 'Loss landscape vs. (k, α)',
      charts: [() => landscapeFigure(d.origin, imageSource, false, paint)!],
    },
    {
      n: 3,
      slug: 'landscape-path-origin',
      run: 'origin',
      section: '1.1.1',
      caption: 'Gradient descent on loss landscape vs. (k, α)',
      charts: [() => figs('origin').landscape!],
    },
    {
      n: 4,
      slug: 'landscape-far',
      run: 'far',
      section: '1.2.1',
      caption: 'Loss landscape vs. (k, α), sampling displaced from the origin',
      charts: [() => landscapeFigure(d.far, imageSource, false, paint)!],
    },
    {
      n: 5,
      slug: 'landscape-path-far',
      run: 'far',
      section: '1.2.1',
      caption: 'Gradient descent on loss landscape vs. (k, α), displaced from the origin',
      charts: [() => figs('far').landscape!],
    },
    {
      n: 6,
      slug: 'landscape-near',
      run: 'near',
      section: '1.2.2',
      caption: 'Loss landscape vs. (k, α), sampling near a fixed point',
      charts: [() => landscapeFigure(d.near, imageSource, false, paint)!],
    },
    {
      n: 7,
      slug: 'landscape-path-near',
      run: 'near',
      section: '1.2.2',
      caption: 'Gradient descent on loss landscape vs. (k, α), near a fixed point',
      charts: [() => figs('near').landscape!],
    },
    {
      n: 8,
      slug: 'landscape-zoomed',
      run: 'zoom',
      section: '1.2.2',
      caption: 'Loss landscape vs. (k, α), sampling zoomed in on a fixed point',
      charts: [() => landscapeFigure(d.zoom, imageSource, true, paint)!],
    },
    {
      n: 9,
      slug: 'fit-run1',
      run: 'run1',
      section: '2.2',
      caption: 'Sampled points and trained polynomial Lagrangian results, run 1',
      charts: [() => f('run1', 'run1', 'Run 1').overlay!],
    },
    {
      n: 10,
      slug: 'coefficients-run1',
      run: 'run1',
      section: '2.2',
      caption: 'Polynomial coupling term coefficients, run 1',
      charts: [() => figs('run1').coefficients!],
    },
    {
      n: 11,
      slug: 'fit-run2',
      run: 'run2',
      section: '2.2',
      caption: 'Sampled points and trained polynomial Lagrangian results, run 2',
      charts: [() => f('run2', 'run2', 'Run 2').overlay!],
    },
    {
      n: 12,
      slug: 'coefficients-run2',
      run: 'run2',
      section: '2.2',
      caption: 'Polynomial coupling term coefficients, run 2',
      charts: [() => figs('run2').coefficients!],
    },
    {
      n: 13,
      slug: 'error-absolute-run2',
      run: 'run2',
      section: '2.2',
      caption: 'Sampled points vs. trained polynomial Lagrangian error, run 2 (absolute)',
      charts: [() => f('run2fine', 'run2', 'Run 2').absolute!],
    },
    {
      n: 14,
      slug: 'error-relative-run2',
      run: 'run2',
      section: '2.2',
      caption: 'Relative error, run 2',
      charts: [() => f('run2fine', 'run2', 'Run 2').relative!],
    },
    {
      n: 15,
      slug: 'fit-run3-training',
      run: 'run3',
      section: '2.2.1',
      caption: 'Run 3 (narrow sampling window): fit on the training window',
      charts: [() => f('run3', 'run3', 'Run 3, training window').overlay!],
    },
    {
      n: 16,
      slug: 'fit-run3-validation',
      run: 'run3',
      section: '2.2.1',
      caption: 'Run 3: the same fit on the wide validation window',
      charts: [() => f('run3validation', 'run3', 'Run 3, validation window').overlay!],
    },
    {
      n: 17,
      slug: 'coefficients-run3',
      run: 'run3',
      section: '2.2.1',
      caption: 'Polynomial coupling term coefficients, run 3',
      charts: [() => figs('run3').coefficients!],
    },
    {
      n: 18,
      slug: 'loss-ratio-origin',
      run: 'origin',
      section: 'A.1.1',
      caption: 'Gradient descent performance profile: (a) loss, (b) (k/α)_fit / (k/α)_true',
      charts: lossRatio('origin'),
    },
    {
      n: 19,
      slug: 'quiver-far',
      run: 'far',
      section: 'A.1.2',
      caption: 'Sampled points and associated q̈, displaced from the origin',
      charts: [() => f('far', 'far', 'Far from the origin').data],
    },
    {
      n: 20,
      slug: 'loss-ratio-far',
      run: 'far',
      section: 'A.1.2',
      caption: 'Gradient descent performance profile, displaced from the origin',
      charts: lossRatio('far'),
    },
    {
      n: 21,
      slug: 'quiver-near',
      run: 'near',
      section: 'A.1.3',
      caption: 'Sampled points and associated q̈, near a fixed point',
      charts: [() => f('near', 'near', 'Near a fixed point').data],
    },
    {
      n: 22,
      slug: 'loss-ratio-near',
      run: 'near',
      section: 'A.1.3',
      caption: 'Gradient descent performance profile, near a fixed point',
      charts: lossRatio('near'),
    },
    {
      n: 23,
      slug: 'quiver-zoomed',
      run: 'zoom',
      section: 'A.1.4',
      caption: 'Sampled points and associated q̈, very close to a fixed point',
      charts: [() => f('zoom', 'zoom', 'Zoomed on a fixed point').data],
    },
    {
      n: 24,
      slug: 'zoom-series',
      run: 'near',
      section: 'A.1.4',
      caption: 'Comparison of sampling near a fixed point for a large range of sampling area sizes',
      charts: zoomCharts,
    },
    {
      n: 25,
      slug: 'loss-run1',
      run: 'run1',
      section: 'A.2',
      caption:
        "Training run 1: loss vs. iteration. Adam, not the report's gradient descent: with curvatures spanning 10¹⁰, a stable GD step leaves the flat directions unmoved; the slow, steady fall is the report's.",
      charts: [() => figs('run1').loss],
    },
    {
      n: 26,
      slug: 'loss-run2',
      run: 'run2',
      section: 'A.2',
      caption:
        'Training run 2: loss vs. iteration (Adam, as run 1; slow but steady as in the report).',
      charts: [() => figs('run2').loss],
    },
    {
      n: 27,
      slug: 'loss-run3',
      run: 'run3',
      section: 'A.2',
      caption:
        "Training run 3 (narrow sampling window): loss vs. iteration. Adam brings the loss down five decades and it is still falling at step 1000; the report's unsteady gradient-descent convergence is not reproduced.",
      charts: [() => figs('run3').loss],
    },
  ];
}
