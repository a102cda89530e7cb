import { errorField } from '../../engine/analysis/error-fields';
import { predictF64, trueAccelerations } from '../../engine/analysis/predict';
import { generateDataset } from '../../engine/dataset';
import type { AnalysisPhase } from './context';

/** The fit's error on its training data and on a second (usually wider) window of the truth. */
export const validationPhase: AnalysisPhase = {
  phase: 'validation',
  when: ({ study }) => !!study.validation,
  run: ({ study, model, dataset, fit }) => {
    const v = generateDataset({
      system: study.system,
      sampling: study.validation!.sampling,
      ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
    });
    const training = errorField(
      predictF64(model, fit.parameters, dataset.q, dataset.qd),
      dataset.qdd,
    ).summary;
    const validation = errorField(
      predictF64(model, fit.parameters, v.q, v.qd),
      trueAccelerations(study.system, study.trueParameters, v.q, v.qd),
    ).summary;
    return {
      results: {
        validation: { training, validation, ratio: validation.meanSquared / training.meanSquared },
      },
    };
  },
};
