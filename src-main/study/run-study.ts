import { fitRatios } from '../engine/analysis/diagnostics';
import { phaseClock } from './phase-clock';
import { landscapePath, validateLandscape, type Landscape } from '../engine/analysis/landscape';
import { fusedLandscapeRefusal } from '../engine/analysis/fused/fused-landscape';
import { initBackend } from '../engine/backend';
import { EngineError } from '../engine/errors';
import { compileModel } from '../engine/models/compile-model';
import type { CompiledModel } from '../engine/models/model';
import { parseSystem } from '../engine/systems/system';
import type { HistorySnapshot } from '../engine/training/history';
import { DEFAULT_LOSS, lossF64 } from '../engine/training/loss';
import { chooseRoute, createObjective } from '../engine/training/objective';
import { simdAvailable } from '../engine/wasm/wasm-runtime';
import { networkStepHelper } from '../jobs/network-step-helper';
import {
  train,
  type TrainCheckpoint,
  type TrainControl,
  type TrainResult,
} from '../engine/training/train';
import type { StudyPhase, StudyResults } from '../../src-shared/dto/results';
import type { StudySpec } from '../../src-shared/study/study-schema';
import type {
  AnalysisPhase,
  FitContext,
  PhaseOutput,
  StudyDataset,
  StudyGrid,
} from './phases/context';
import { AppError, messageOf } from '../../src-shared/errors';
import { dataPhase } from './phases/data';
import { discoveryStudy } from './discovery-study';
import { exactSolvePhase, identifiabilityPhase } from './phases/exact';
import { fixedPointsPhase } from './phases/fixed-points';
import { landscapePhase } from './phases/landscape';
import { rolloutPhase } from './phases/rollout';
import { admissibilityPhase } from './phases/admissibility';
import { checkRunBudget } from './memory-budget';
import { validationPhase } from './phases/validation';

export type { StudyGrid, StudyPhase, StudyResults };

export interface StudyOutput {
  readonly results: StudyResults;
  readonly history: HistorySnapshot;
  readonly grids: StudyGrid[];
  readonly dataset: StudyDataset;
  readonly landscape?: Landscape;
  readonly checkpoint: TrainCheckpoint;
}

export interface StudyHooks extends TrainControl {
  onPhase?(phase: StudyPhase): void;
  /** Fraction (0…1) of the current analysis phase done: landscape rows, rollout time, … */
  onPhaseProgress?(fraction: number): void;
  readonly resumeFrom?: TrainCheckpoint;
}

/** The analyses after training, in order; each runs when its `when` holds and the run goes on. */
const ANALYSES: readonly AnalysisPhase[] = [
  exactSolvePhase,
  identifiabilityPhase,
  landscapePhase,
  validationPhase,
  fixedPointsPhase,
  admissibilityPhase,
  rolloutPhase,
];

/** Run a whole study: data, fit, then the analyses its settings ask for. */
/* eslint-disable-next-line max-lines-per-function, complexity --
   the study's phases in order, with the resume and discovery branches; each phase is a function */
export async function runStudy(study: StudySpec, hooks: StudyHooks = {}): Promise<StudyOutput> {
  const outer = hooks;
  const clock = phaseClock((phase) => outer.onPhase?.(phase));
  hooks = { ...hooks, onPhase: clock.enter };
  checkRunBudget(study); // before any large allocation
  const backend = await initBackend();
  hooks.onPhase?.('dataset');
  const { dataset, imported } = dataPhase(
    study,
    hooks.shouldStop && (() => hooks.shouldStop!()),
    hooks.onPhaseProgress && ((f) => hooks.onPhaseProgress!(f)),
  );
  if (study.model.family === 'discovery') {
    hooks.onPhase?.('training');
    const started = performance.now();
    const found = discoveryStudy(study, study.model, dataset, {
      ...(hooks.shouldStop ? { shouldStop: () => hooks.shouldStop!() } : {}),
      // The path's points as steps, so the Run panel's bar moves.
      onProgress: (fraction) =>
        hooks.onProgress?.({
          step: Math.round(100 * fraction),
          maxSteps: 100,
          loss: NaN,
          parameters: new Float64Array(0),
          elapsedMs: performance.now() - started,
        }),
    });
    hooks.onPhase?.('done');
    const results: StudyResults = {
      backend: backend.active,
      dataset: datasetSummary(dataset),
      ...found.results,
      ...(imported ? { imported } : {}),
      timings: clock.timings(),
    };
    return {
      results,
      history: found.checkpoint.history,
      grids: [],
      dataset,
      checkpoint: found.checkpoint,
    };
  }
  hooks.onPhase?.('compile');
  const model = compileModel(study.model, study.system);
  const loss = study.loss ?? DEFAULT_LOSS;
  // A misconfigured landscape fails the run now, not after minutes of training.
  if (study.landscape) checkLandscape(model, study.landscape, dataset.q[0]?.length ?? 0);
  hooks.onPhase?.('training');
  const fit = await trainModel(study, model, dataset, hooks);
  const truth = { ...parseSystem(study.system).parameterValues, ...study.trueParameters };
  const ctx: FitContext = {
    study,
    dataset,
    model,
    loss,
    fit,
    truth,
    results: {},
    ...(hooks.shouldStop ? { shouldStop: () => hooks.shouldStop!() } : {}),
    ...(hooks.onPhaseProgress ? { onProgress: (f: number) => hooks.onPhaseProgress!(f) } : {}),
  };
  const analysed = runAnalyses(ctx, hooks);
  hooks.onPhase?.('done');
  if (!Number.isFinite(fit.finalLoss) && fit.status !== 'diverged')
    throw new EngineError(
      'not-finite',
      'The loss is not finite at the start: check the model and the window',
    );
  const ratios =
    study.model.family === 'exact-form'
      ? fitRatios(model.parameterNames, fit.parameters, truth)
      : {};
  const results: StudyResults = {
    ...coreResults(study, model, dataset, fit, backend.active),
    ...(Object.keys(ratios).length ? { ratios } : {}),
    ...analysed.results,
    ...(analysed.notes.length ? { notes: analysed.notes } : {}),
    ...(imported ? { imported } : {}),
    timings: clock.timings(),
  };
  return {
    results,
    history: fit.history,
    grids: analysed.grids,
    dataset,
    ...(analysed.landscape ? { landscape: analysed.landscape } : {}),
    checkpoint: fit.checkpoint,
  };
}

async function trainModel(
  study: StudySpec,
  model: CompiledModel,
  dataset: StudyDataset,
  hooks: StudyHooks,
): Promise<TrainResult> {
  // a neural model's steps take both cores (the helper thread shares the points)
  const objective = createObjective(
    model,
    dataset,
    study.loss ?? DEFAULT_LOSS,
    study.route ?? 'auto',
    { helper: networkStepHelper },
  );
  try {
    return await train(
      objective,
      {
        optimizer: study.optimizer,
        stopping: study.stopping,
        initial: model.initial,
        referenceLoss: lossF64(
          dataset.qdd.map((c) => new Float64Array(c.length)),
          dataset.qdd,
          study.loss ?? DEFAULT_LOSS,
        ),
        ...(hooks.resumeFrom ? { resumeFrom: hooks.resumeFrom } : {}),
      },
      hooks,
    );
  } finally {
    objective.dispose();
  }
}

/**
 * The landscape against the model, before training (the other values come later): its axes, its
 * path, and a float64 general landscape's kernel, which has no other route.
 */
function checkLandscape(
  model: CompiledModel,
  l: NonNullable<StudySpec['landscape']>,
  points: number,
): void {
  const parameters = Object.fromEntries(model.parameterNames.map((p) => [p, 0]));
  const spec = { x: l.x, y: l.y, parameters, loss: DEFAULT_LOSS, path: l.path ?? 'auto' };
  validateLandscape(model, spec);
  if (l.precision !== 'float64' || landscapePath(model, spec) !== 'general') return;
  const why = fusedLandscapeRefusal(model, spec, points, 'float64');
  if (why)
    throw new EngineError(
      'invalid-landscape',
      `landscape.precision: a float64 landscape runs only on the fused kernel, and ${why}; choose float32`,
    );
}

/** Analyses that say nothing about a diverged fit and can take long on one. */
const SKIPPED_WHEN_DIVERGED: ReadonlySet<StudyPhase> = new Set(['landscape', 'rollout']);

/** When an analysis ran out of memory, the setting to change. */
function memoryHint(err: unknown, phase: StudyPhase): string {
  if (!/Aborted\(|out of memory|Array buffer allocation|Invalid array length/i.test(messageOf(err)))
    return '';
  return phase === 'landscape'
    ? ' (out of memory: lower landscape.x.count and landscape.y.count, or sampling.count)'
    : ' (out of memory: lower sampling.count)';
}

/**
 * The analysis phases in order. Cancellation is checked before each phase and, through
 * `shouldStop`, inside the long ones (landscape batches, rollout steps): a cancelled fit runs
 * none, and a stop requested during the analyses ends them where they are (`cancelledIn`).
 * A phase that fails leaves a note and the others run: training results are never lost.
 */
/* eslint-disable-next-line complexity --
   the analysis phases' loop with its cancel, skip and memory-hint cases */
function runAnalyses(ctx: FitContext, hooks: StudyHooks) {
  let results: Partial<StudyResults> = {};
  const grids: StudyGrid[] = [];
  const notes: string[] = [];
  let landscape: Landscape | undefined;
  let current: StudyPhase | undefined;
  for (const analysis of ANALYSES) {
    const here: FitContext = { ...ctx, results };
    if (!analysis.when(here)) continue;
    if (ctx.fit.status === 'cancelled') break;
    if (hooks.shouldStop?.()) {
      results = { ...results, cancelledIn: analysis.phase };
      break;
    }
    if (
      ctx.fit.status === 'diverged' &&
      SKIPPED_WHEN_DIVERGED.has(analysis.phase) &&
      !ctx.study.analyseDiverged
    ) {
      notes.push(
        `${analysis.phase} skipped: the fit diverged (${ctx.fit.message}); set "analyseDiverged": true to run it anyway`,
      );
      continue;
    }
    if (analysis.phase !== current) hooks.onPhase?.((current = analysis.phase));
    let out: PhaseOutput;
    try {
      out = analysis.run(here);
    } catch (err) {
      if (err instanceof AppError && err.code === 'cancelled') {
        results = { ...results, cancelledIn: analysis.phase };
        break;
      }
      // A failed analysis costs only itself: the fit and the other phases are kept.
      notes.push(`${analysis.phase} failed: ${messageOf(err)}${memoryHint(err, analysis.phase)}`);
      continue;
    }
    results = { ...results, ...out.results };
    grids.push(...(out.grids ?? []));
    notes.push(...(out.notes ?? []));
    landscape = out.landscape ?? landscape;
  }
  // A stop pressed during the last phase that ran (none after it applied to check it) still
  // counts: Cancel and Pause never end in 'completed'.
  if (current && !results.cancelledIn && ctx.fit.status !== 'cancelled' && hooks.shouldStop?.())
    results = { ...results, cancelledIn: current };
  return { results, grids, notes, landscape };
}

function coreResults(
  study: StudySpec,
  model: CompiledModel,
  dataset: StudyDataset,
  fit: TrainResult,
  backend: string,
): Pick<StudyResults, 'backend' | 'dataset' | 'model' | 'training'> {
  return {
    backend,
    dataset: datasetSummary(dataset),
    model: {
      family: study.model.family,
      parameterNames: [...model.parameterNames],
      route: objectiveRoute(model, study),
      linear: !!model.linear,
    },
    training: {
      status: fit.status,
      message: fit.message,
      steps: fit.steps,
      parameters: Array.from(fit.parameters),
      finalLoss: fit.finalLoss,
      bestLoss: fit.bestLoss,
      msPerStep: fit.msPerStep,
      elapsedMs: fit.elapsedMs,
    },
  };
}

/** The route, and for networks whether their fused float32 kernel ran (it does where SIMD is). */
function objectiveRoute(model: CompiledModel, study: StudySpec): string {
  const route = chooseRoute(model, study.route ?? 'auto');
  if (route !== 'graph' || !model.network) return route;
  return simdAvailable() ? 'graph (fused network kernel, float32 SIMD)' : 'graph (tfjs)';
}

function datasetSummary(dataset: StudyDataset): StudyResults['dataset'] {
  return {
    n: dataset.n,
    drawn: dataset.drawn,
    rejected: dataset.rejected,
    singularDropped: dataset.singularDropped.count,
    ...(dataset.rejectedBy
      ? {
          dropped: {
            exclusionBand: dataset.rejectedBy.band,
            halfPlane: dataset.rejectedBy.halfPlane,
            singularMass: dataset.singularDropped.count,
          },
        }
      : {}),
  };
}
