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
  const discovery = discover({
    spec,
    variables: study.system,
    training: dataset,
    ...(validation ? { validation } : {}),
    ...(hooks.shouldStop ? { shouldStop: () => hooks.shouldStop!() } : {}),
    ...(hooks.onProgress ? { onProgress: (f: number) => hooks.onProgress!(f) } : {}),
  });
  const chosen = discovery.path[discovery.selected]!;
  const kept = chosen.support.length;
  const elapsedMs = performance.now() - started;
  const checkpoint: TrainCheckpoint = {
    step: discovery.path.length,
    parameters: chosen.coefficients,
    optimizer: { step: 0, first: [], second: [], initialLoss: null },
    history: EMPTY_HISTORY,
    bestLoss: chosen.trainingError,
    bestParameters: chosen.coefficients,
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
        message: `selected ${kept} of ${discovery.terms.length} terms (q̈ error ${chosen.validationError.toExponential(3)} on the validation data)`,
        steps: discovery.path.length,
        parameters: chosen.coefficients,
        finalLoss: chosen.trainingError,
        bestLoss: chosen.trainingError,
        msPerStep: 0,
        elapsedMs,
      },
      discovery,
    },
  };
}
