import { errorField } from '../../engine/analysis/error-fields';
import { predictF64 } from '../../engine/analysis/predict';
import { mapSamplesInChunks } from '../../engine/chunked';
import { generateDataset } from '../../engine/dataset';
import type { StopCheck } from '../../engine/errors';
import type { CompiledModel } from '../../engine/models/model';
import type { AnalysisPhase } from './context';

/** The fit's error on its training data and on a second (usually wider) window of the truth. */
export const validationPhase: AnalysisPhase = {
  phase: 'validation',
  when: ({ study }) => !!study.validation,
  run: ({ study, model, dataset, fit, shouldStop }) => {
    const stop = shouldStop ? { shouldStop } : {};
    // The validation window's q̈ is the truth there (generated from the true Lagrangian).
    const v = generateDataset(
      {
        system: study.system,
        sampling: study.validation!.sampling,
        ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
      },
      { ...stop, what: 'The validation window' },
    );
    const predict = (q: readonly Float64Array[], qd: readonly Float64Array[]) =>
      predictInChunks(model, fit.parameters, q, qd, shouldStop);
    const training = errorField(predict(dataset.q, dataset.qd), dataset.qdd).summary;
    const validation = errorField(predict(v.q, v.qd), v.qdd).summary;
    return {
      results: {
        validation: { training, validation, ratio: validation.meanSquared / training.meanSquared },
      },
    };
  },
};

/** The model's q̈ at many samples, chunk by chunk with a stop check between chunks. */
function predictInChunks(
  model: CompiledModel,
  parameters: ArrayLike<number>,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
  shouldStop?: StopCheck,
): Float64Array[] {
  const d = q.length;
  return mapSamplesInChunks(
    [...q, ...qd],
    d,
    (cols) => predictF64(model, parameters, cols.slice(0, d), cols.slice(d)),
    { ...(shouldStop ? { shouldStop } : {}), what: 'The validation' },
  );
}
