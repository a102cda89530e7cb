import { initBackend } from '../engine/backend';
import { errorField, type ErrorSummary } from '../engine/analysis/error-fields';
import { fitRatios, identifiability, lossHessian } from '../engine/analysis/diagnostics';
import {
  landscapeDifference,
  lossLandscape,
  zoomAround,
  type Landscape,
} from '../engine/analysis/landscape';
import { predictF64, trueAccelerations } from '../engine/analysis/predict';
import { generateDataset } from '../engine/dataset';
import { importMeasured, type ImportReport } from '../engine/measured';
import type { PhaseSamples } from '../engine/training/samples';
import { readFileSync } from 'node:fs';
import { EngineError } from '../engine/errors';
import { findFixedPoints, type FixedPoint } from '../engine/fixed-points';
import { compileModel } from '../engine/models/compile-model';
import { bounds } from '../engine/sampling';
import {
  energyDrift,
  expressionRolloutSystem,
  modelRolloutSystem,
  rollout,
  rolloutError,
} from '../engine/analysis/rollout';
import { parseSystem } from '../engine/systems/system';
import { exactSolve } from '../engine/training/exact-solve';
import type { HistorySnapshot } from '../engine/training/history';
import { DEFAULT_LOSS } from '../engine/training/loss';
import { createObjective, linearFormOf } from '../engine/training/objective';
import {
  train,
  type TrainCheckpoint,
  type TrainControl,
  type TrainStatus,
} from '../engine/training/train';
import type { StudySpec } from '../../src-shared/study/study-schema';
import type { StudyPhase, StudyResults } from '../../src-shared/dto/results';
export type { StudyPhase, StudyResults };

/** Extra dense fields a study produces (stored as grids). */
export interface StudyGrid {
  readonly kind: string;
  readonly meta: Record<string, unknown>;
  readonly nx: number;
  readonly ny: number;
  readonly data: Float64Array;
}

export interface StudyOutput {
  readonly results: StudyResults;
  readonly history: HistorySnapshot;
  readonly grids: StudyGrid[];
  readonly dataset: PhaseSamples & { readonly n: number };
  readonly landscape?: Landscape;
  readonly checkpoint: TrainCheckpoint;
}

export interface StudyHooks extends TrainControl {
  onPhase?(phase: StudyPhase): void;
  readonly resumeFrom?: TrainCheckpoint;
}

/** Run a whole study: data, fit, exact solve, landscape, validation, fixed points. */
export async function runStudy(study: StudySpec, hooks: StudyHooks = {}): Promise<StudyOutput> {
  const backend = await initBackend();
  hooks.onPhase?.('dataset');
  let importReport: ImportReport | undefined;
  let dataset: PhaseSamples & {
    n: number;
    drawn: number;
    rejected: number;
    singularDropped: { count: number };
  };
  if (study.measured) {
    const { file, ...spec } = study.measured;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new EngineError('invalid-csv', `Cannot read ${file}: ${(err as Error).message}`);
    }
    const imported = importMeasured(text, spec);
    importReport = imported.report;
    const n = imported.samples.q[0]!.length;
    dataset = {
      ...imported.samples,
      n,
      drawn: imported.report.rows,
      rejected: imported.report.rows - n,
      singularDropped: { count: 0 },
    };
  } else {
    dataset = generateDataset({
      system: study.system,
      sampling: study.sampling,
      ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
    });
  }
  hooks.onPhase?.('compile');
  const model = compileModel(study.model, study.system);
  const loss = study.loss ?? DEFAULT_LOSS;
  const objective = createObjective(model, dataset, loss, study.route ?? 'auto');
  hooks.onPhase?.('training');
  let run;
  try {
    run = await train(
      objective,
      {
        optimizer: study.optimizer,
        stopping: study.stopping,
        initial: model.initial,
        ...(hooks.resumeFrom ? { resumeFrom: hooks.resumeFrom } : {}),
      },
      hooks,
    );
  } finally {
    objective.dispose();
  }
  const truth = { ...parseSystem(study.system).parameterValues, ...study.trueParameters };
  const names = model.parameterNames;
  const ratios = study.model.family === 'exact-form' ? fitRatios(names, run.parameters, truth) : {};

  let exact: StudyResults['exact'];
  let ident: StudyResults['identifiability'];
  if (model.linear && run.status !== 'cancelled') {
    hooks.onPhase?.('exact-solve');
    const s = exactSolve(linearFormOf(model, dataset), dataset, loss);
    exact = {
      parameters: Array.from(s.parameters),
      loss: s.loss,
      conditionNumber: s.conditionNumber,
      effectiveConditionNumber: s.effectiveConditionNumber,
      rank: s.rank,
    };
  }
  if (names.length <= 16 && run.status !== 'cancelled' && run.status !== 'diverged' && model.eom) {
    try {
      const id = identifiability(
        lossHessian(model, dataset, loss, exact?.parameters ?? run.parameters),
      );
      ident = {
        eigenvalues: id.eigenvalues,
        conditionNumber: id.conditionNumber,
        maxStableLearningRate: id.maxStableLearningRate,
        stiffDirection: id.stiffDirection,
        sloppyDirection: id.sloppyDirection,
      };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
    }
  }

  let landscape: Landscape | undefined;
  const grids: StudyGrid[] = [];
  let roughness: StudyResults['roughness'];
  if (study.landscape && run.status !== 'cancelled') {
    hooks.onPhase?.('landscape');
    const parameters: Record<string, number> = {};
    names.forEach(
      (n, i) =>
        (parameters[n] = (
          n in truth && study.model.family === 'exact-form' ? truth[n] : run.parameters[i]
        )!),
    );
    const spec = { x: study.landscape.x, y: study.landscape.y, parameters, loss };
    landscape = lossLandscape(model, dataset, { ...spec, path: study.landscape.path ?? 'auto' });
    if (study.landscape.roughness && model.linear && exact) {
      // Numerical roughness or real structure? The float32 general path against the float64 exact one,
      // and a float32 zoom onto the exact optimum (±0.1%), where a noise floor would show.
      const general =
        landscape.path === 'general'
          ? landscape
          : lossLandscape(model, dataset, { ...spec, path: 'general' });
      const gram =
        landscape.path === 'gram'
          ? landscape
          : lossLandscape(model, dataset, { ...spec, path: 'gram' });
      const diff = landscapeDifference(general, gram);
      const sorted = Float64Array.from(diff).sort();
      const ix = names.indexOf(spec.x.parameter),
        iy = names.indexOf(spec.y.parameter);
      const zoomSpan = 1e-3;
      const zoomSpec = zoomAround(
        {
          ...spec,
          x: { ...spec.x, count: 101 },
          y: { ...spec.y, count: 101 },
          parameters: {
            ...parameters,
            ...Object.fromEntries(names.map((n, i) => [n, exact!.parameters[i]!])),
          },
        },
        { x: exact.parameters[ix]!, y: exact.parameters[iy]! },
        zoomSpan,
      );
      const zoom = lossLandscape(model, dataset, { ...zoomSpec, path: 'general' });
      roughness = {
        maxRelativeDifference: sorted[sorted.length - 1]!,
        medianRelativeDifference: sorted[Math.floor(sorted.length / 2)]!,
        zoomSpan,
      };
      const axes = (l: Landscape) => ({
        x: spec.x.parameter,
        y: spec.y.parameter,
        xValues: Array.from(l.xValues),
        yValues: Array.from(l.yValues),
      });
      grids.push({
        kind: 'landscape-difference',
        meta: axes(general),
        nx: spec.x.count,
        ny: spec.y.count,
        data: diff,
      });
      grids.push({
        kind: 'landscape-zoom',
        meta: { ...axes(zoom), precision: 'float32' },
        nx: 101,
        ny: 101,
        data: zoom.loss,
      });
    }
  }

  let validation: StudyResults['validation'];
  if (study.validation && run.status !== 'cancelled') {
    hooks.onPhase?.('validation');
    const v = generateDataset({
      system: study.system,
      sampling: study.validation.sampling,
      ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
    });
    const trainingErr = errorField(
      predictF64(model, run.parameters, dataset.q, dataset.qd),
      dataset.qdd,
    ).summary;
    const validationErr = errorField(
      predictF64(model, run.parameters, v.q, v.qd),
      trueAccelerations(study.system, study.trueParameters, v.q, v.qd),
    ).summary;
    validation = {
      training: trainingErr,
      validation: validationErr,
      ratio: validationErr.meanSquared / trainingErr.meanSquared,
    };
  }

  let fixedPoints: FixedPoint[] | undefined;
  if (study.fixedPoints) {
    hooks.onPhase?.('fixed-points');
    const parsed = parseSystem(study.system);
    fixedPoints = findFixedPoints(
      parsed.lagrangian,
      study.system.coordinates,
      study.system.velocities,
      truth,
      study.sampling.window.q.map(bounds),
    );
  }
  const notes: string[] = [];
  let rolloutResult: StudyResults['rollout'];
  if (study.rollout && run.status !== 'cancelled' && model.lagrangian) {
    hooks.onPhase?.('rollout');
    const r = study.rollout;
    const options = {
      duration: r.duration,
      method: r.method ?? 'rk45',
      dt: r.dt ?? 1e-2,
      ...(r.tolerance ? { tolerance: r.tolerance } : {}),
      maxSamples: 500,
    } as const;
    try {
      const parsed = parseSystem(study.system);
      const truthTrajectory = rollout(
        expressionRolloutSystem(
          parsed.lagrangian,
          study.system.coordinates,
          study.system.velocities,
          truth,
        ),
        r.q0,
        r.qd0,
        options,
      );
      const fitTrajectory = rollout(
        modelRolloutSystem(
          model,
          run.parameters,
          study.system.coordinates,
          study.system.velocities,
        ),
        r.q0,
        r.qd0,
        options,
      );
      const err = rolloutError(fitTrajectory, truthTrajectory);
      rolloutResult = {
        ...err,
        energyDriftFit: energyDrift(fitTrajectory),
        energyDriftTruth: energyDrift(truthTrajectory),
        t: truthTrajectory.t,
        qFit: fitTrajectory.q,
        qTrue: truthTrajectory.q,
        qdFit: fitTrajectory.qd,
        qdTrue: truthTrajectory.qd,
        energyFit: fitTrajectory.energy,
        energyTrue: truthTrajectory.energy,
      };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      notes.push(`rollout: ${err.message}`);
    }
  }
  hooks.onPhase?.('done');
  if (!Number.isFinite(run.finalLoss) && run.status !== 'diverged')
    throw new EngineError(
      'not-finite',
      'The loss is not finite at the start: check the model and the window',
    );
  const results: StudyResults = {
    backend: backend.active,
    dataset: {
      n: dataset.n,
      drawn: dataset.drawn,
      rejected: dataset.rejected,
      singularDropped: dataset.singularDropped.count,
    },
    model: {
      family: study.model.family,
      parameterNames: [...names],
      route: objectiveRoute(model, study),
      linear: !!model.linear,
    },
    training: {
      status: run.status,
      message: run.message,
      steps: run.steps,
      parameters: Array.from(run.parameters),
      finalLoss: run.finalLoss,
      bestLoss: run.bestLoss,
      msPerStep: run.msPerStep,
      elapsedMs: run.elapsedMs,
    },
    ...(Object.keys(ratios).length ? { ratios } : {}),
    ...(exact ? { exact } : {}),
    ...(ident ? { identifiability: ident } : {}),
    ...(landscape
      ? {
          landscape: {
            x: study.landscape!.x.parameter,
            y: study.landscape!.y.parameter,
            path: landscape.path,
            precision: landscape.precision,
            minimum: landscape.minimum,
            elapsedMs: landscape.elapsedMs,
          },
        }
      : {}),
    ...(roughness ? { roughness } : {}),
    ...(validation ? { validation } : {}),
    ...(fixedPoints ? { fixedPoints } : {}),
    ...(rolloutResult ? { rollout: rolloutResult } : {}),
    ...(notes.length ? { notes } : {}),
    ...(importReport
      ? {
          imported: {
            rows: importReport.rows,
            used: importReport.used,
            segments: importReport.segments,
            units: importReport.units,
            bad: importReport.bad.slice(0, 100),
            badCount: importReport.bad.length,
          },
        }
      : {}),
  };
  return {
    results,
    history: run.history,
    grids,
    dataset,
    ...(landscape ? { landscape } : {}),
    checkpoint: run.checkpoint,
  };
}

function objectiveRoute(model: ReturnType<typeof compileModel>, study: StudySpec): string {
  const r = study.route ?? 'auto';
  return r === 'auto' ? (model.linear ? 'design' : 'graph') : r;
}
