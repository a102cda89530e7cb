import { errorField } from '../../engine/analysis/error-fields';
import { predictInChunks } from '../../engine/analysis/predict';
import { generateDataset } from '../../engine/dataset';
import type { AnalysisPhase } from './context';

/** The fit's error on its training data and on a second (usually wider) window of the truth. */
export const validationPhase: AnalysisPhase = {
  phase: 'validation',
  when: ({ study }) => !!study.validation,
  run: ({ study, model, dataset, fit, shouldStop, onProgress }) => {
    const stop = shouldStop ? { shouldStop } : {};
    // The validation window's q̈ is the truth there (generated from the true Lagrangian).
    const v = generateDataset(
      {
        system: study.system,
        sampling: study.validation!.sampling,
        ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
      },
      // Three passes over samples: the window's q̈ (truth), then the fit's on both windows.
      { ...stop, what: 'The validation window', onProgress: (f) => onProgress?.(f / 3) },
    );
    const predict = (q: readonly Float64Array[], qd: readonly Float64Array[], pass: number) =>
      predictInChunks(model, fit.parameters, q, qd, {
        ...stop,
        what: 'The validation',
        onProgress: (f) => onProgress?.((pass + f) / 3),
      });
    const training = errorField(predict(dataset.q, dataset.qd, 1), dataset.qdd).summary;
    const validation = errorField(predict(v.q, v.qd, 2), v.qdd).summary;
    return {
      results: {
        validation: { training, validation, ratio: validation.meanSquared / training.meanSquared },
      },
    };
  },
};
