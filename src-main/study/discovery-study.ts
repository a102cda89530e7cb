import type { DiscoverySpec } from '../../src-shared/dto/discovery';
import type { StudyResults } from '../../src-shared/dto/results';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { discover } from '../engine/discovery/discover';
import type { HistorySnapshot } from '../engine/training/history';
import type { TrainCheckpoint } from '../engine/training/train';
import type { StudyDataset } from './phases/context';
import { sampledData } from './phases/data';

const EMPTY_HISTORY: HistorySnapshot = {
  steps: [],
  loss: [],
  parameters: [],
  gradients: [],
  stride: 1,
};

/**
 * Mean over samples of |noise on q̈|² that the sampling adds: Σ_j (relative · std q̈_j)² (the
 * noise's definition, engine/noise.ts); 0 for exact data.
 */
export function noiseMeanSquare(
  sampling: StudySpec['sampling'],
  qdd: readonly Float64Array[],
): number {
  const relative = sampling.accelerationNoise?.relative ?? 0;
  if (relative === 0) return 0;
  return qdd.reduce((sum, c) => {
    const mean = c.reduce((s, v) => s + v, 0) / c.length;
    const variance = c.reduce((s, v) => s + (v - mean) ** 2, 0) / c.length;
    return sum + relative ** 2 * variance;
  }, 0);
}

export interface DiscoveryHooks {
  shouldStop?(): boolean;
  onProgress?(fraction: number): void;
}

/**
 * A discovery study: sparse regression over the library on the study's data, model selection on
 * its validation window (or the training data). No gradient training: the "fit" is the
 * selected candidate, stored as the run's parameters (one per library term).
 */
export function discoveryStudy(
  study: StudySpec,
  spec: DiscoverySpec,
  dataset: StudyDataset,
  hooks: DiscoveryHooks,
): { results: Omit<StudyResults, 'backend' | 'dataset'>; checkpoint: TrainCheckpoint } {
  const started = performance.now();
  const validation = study.validation ? sampledData(study, study.validation.sampling) : undefined;
  const trainingNoise = noiseMeanSquare(study.sampling, dataset.qdd);
  const discovery = discover({
    spec,
    variables: study.system,
    training: dataset,
    ...(validation ? { validation } : {}),
    // measured data: the noise level is unknown
    ...(study.measured
      ? {}
      : {
          noise: {
            training: trainingNoise,
            validation:
              validation && study.validation
                ? noiseMeanSquare(study.validation.sampling, validation.qdd)
                : trainingNoise,
          },
        }),
    ...(hooks.shouldStop ? { shouldStop: () => hooks.shouldStop!() } : {}),
    ...(hooks.onProgress ? { onProgress: (f: number) => hooks.onProgress!(f) } : {}),
  });
  const chosen = discovery.path[discovery.selected]!;
  const kept = chosen.support.length;
  const reported = discovery.evidence?.estimate.coefficients ?? chosen.coefficients;
  const warnings = discovery.evidence?.warnings ?? [];
  const elapsedMs = performance.now() - started;
  const checkpoint: TrainCheckpoint = {
    step: discovery.path.length,
    parameters: reported,
    optimizer: { step: 0, first: [], second: [], initialLoss: null },
    history: EMPTY_HISTORY,
    bestLoss: chosen.trainingError,
    bestParameters: reported,
  };
  return {
    checkpoint,
    results: {
      model: {
        family: 'discovery',
        parameterNames: discovery.terms.map((t) => t.name),
        route: discovery.solver,
        linear: true,
      },
      training: {
        status: 'converged',
        message: `selected ${kept} of ${discovery.terms.length} terms (q̈ error ${(discovery.evidence?.fit.validationError ?? chosen.validationError).toExponential(3)} on the validation data)${warnings.length ? `; ${warnings.join('; ')}` : ''}`,
        steps: discovery.path.length,
        parameters: reported,
        finalLoss: chosen.trainingError,
        bestLoss: chosen.trainingError,
        msPerStep: 0,
        elapsedMs,
      },
      discovery,
    },
  };
}
