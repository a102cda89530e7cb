import {
  landscapeDifference,
  lossLandscape,
  zoomAround,
  type Landscape,
  type LandscapeSpec,
} from '../../engine/analysis/landscape';
import type { GridMeta } from '../../../src-shared/dto/results';
import type { AnalysisPhase, FitContext, PhaseOutput, StudyGrid } from './context';

/** Relative span of the float32 zoom onto the exact optimum (±0.05% each way). */
const ZOOM_SPAN = 1e-3;
const ZOOM_COUNT = 101;

/**
 * Loss over two parameters, the others at their true values (exact form) or fitted values;
 * with `roughness`, the float32 general path checked against the float64 exact one.
 */
export const landscapePhase: AnalysisPhase = {
  phase: 'landscape',
  when: ({ study }) => !!study.landscape,
  run: (ctx) => {
    const { study, model, dataset, fit, truth } = ctx;
    const settings = study.landscape!;
    const names = model.parameterNames;
    const exactForm = study.model.family === 'exact-form';
    const parameters = Object.fromEntries(
      names.map((n, i) => [n, n in truth && exactForm ? truth[n]! : fit.parameters[i]!]),
    );
    const spec = {
      x: settings.x,
      y: settings.y,
      parameters,
      loss: ctx.loss,
      ...(ctx.shouldStop ? { shouldStop: ctx.shouldStop } : {}),
    };
    // With the roughness check, the main grid is the first half of the work (its checks follow).
    const share = settings.roughness && model.linear ? 0.5 : 1;
    const landscape = lossLandscape(model, dataset, {
      ...spec,
      path: settings.path ?? 'auto',
      ...(settings.precision ? { precision: settings.precision } : {}),
      onProgress: (done, total) => ctx.onProgress?.((share * done) / total),
    });
    const summary = {
      x: settings.x.parameter,
      y: settings.y.parameter,
      path: landscape.path,
      precision: landscape.precision,
      minimum: landscape.minimum,
      elapsedMs: landscape.elapsedMs,
      ...(landscape.kernel ? { kernel: landscape.kernel } : {}),
    };
    const out: PhaseOutput = {
      results: { landscape: summary },
      landscape,
      ...(landscape.why ? { notes: [`landscape: ${landscape.why}; the tensor route ran`] } : {}),
    };
    if (!settings.roughness || !model.linear || !ctx.results.exact) return out;
    const check = roughnessCheck(ctx, spec, landscape);
    return { ...out, results: { ...out.results, roughness: check.roughness }, grids: check.grids };
  },
};

/**
 * Numerical roughness or real structure? The float32 general path against the float64 exact one,
 * and a float32 zoom onto the exact optimum, where a noise floor would show.
 */
function roughnessCheck(
  { model, dataset, results, onProgress }: FitContext,
  spec: Omit<LandscapeSpec, 'path'>,
  landscape: Landscape,
) {
  const other = (path: 'general' | 'gram') =>
    landscape.path === path
      ? landscape
      : lossLandscape(model, dataset, {
          ...spec,
          path,
          onProgress: (done, total) => onProgress?.(0.5 + (0.4 * done) / total),
        });
  const general = other('general');
  const diff = landscapeDifference(general, other('gram'));
  const sorted = Float64Array.from(diff).sort();
  const names = model.parameterNames;
  const optimum = results.exact!.parameters;
  const zoomSpec = zoomAround(
    {
      ...spec,
      x: { ...spec.x, count: ZOOM_COUNT },
      y: { ...spec.y, count: ZOOM_COUNT },
      parameters: {
        ...spec.parameters,
        ...Object.fromEntries(names.map((n, i) => [n, optimum[i]!])),
      },
    },
    {
      x: optimum[names.indexOf(spec.x.parameter)]!,
      y: optimum[names.indexOf(spec.y.parameter)]!,
    },
    ZOOM_SPAN,
  );
  const zoom = lossLandscape(model, dataset, {
    ...zoomSpec,
    path: 'general',
    onProgress: (done, total) => onProgress?.(0.9 + (0.1 * done) / total),
  });
  const axes = (l: Landscape): GridMeta<'landscape-difference'> => ({
    x: spec.x.parameter,
    y: spec.y.parameter,
    xValues: Array.from(l.xValues),
    yValues: Array.from(l.yValues),
  });
  const grids: StudyGrid[] = [
    {
      kind: 'landscape-difference',
      meta: axes(general),
      nx: spec.x.count,
      ny: spec.y.count,
      data: diff,
    },
    {
      kind: 'landscape-zoom',
      meta: { ...axes(zoom), precision: 'float32' },
      nx: ZOOM_COUNT,
      ny: ZOOM_COUNT,
      data: zoom.loss,
    },
  ];
  return {
    roughness: {
      maxRelativeDifference: sorted[sorted.length - 1]!,
      medianRelativeDifference: sorted[Math.floor(sorted.length / 2)]!,
      zoomSpan: ZOOM_SPAN,
    },
    grids,
  };
}
