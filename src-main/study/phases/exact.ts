import { EngineError } from '../../engine/errors';
import { identifiability, lossHessian } from '../../engine/analysis/diagnostics';
import { exactSolve } from '../../engine/training/exact-solve';
import { linearFormOf } from '../../engine/training/objective';
import type { AnalysisPhase } from './context';

/** The float64 least-squares optimum of a model affine in its parameters. */
export const exactSolvePhase: AnalysisPhase = {
  phase: 'exact-solve',
  when: ({ model }) => !!model.linear,
  run: ({ model, dataset, loss, shouldStop }) => {
    const s = exactSolve(linearFormOf(model, dataset), dataset, loss, shouldStop);
    return {
      results: {
        exact: {
          parameters: Array.from(s.parameters),
          loss: s.loss,
          conditionNumber: s.conditionNumber,
          effectiveConditionNumber: s.effectiveConditionNumber,
          rank: s.rank,
        },
      },
    };
  },
};

/** Hessian of the loss at the optimum: stiff and sloppy directions, the largest stable GD rate. */
export const identifiabilityPhase: AnalysisPhase = {
  phase: 'exact-solve',
  when: ({ model, fit }) =>
    model.parameterNames.length <= 16 && fit.status !== 'diverged' && !!model.eom,
  run: ({ model, dataset, loss, fit, results }) => {
    try {
      const at = results.exact?.parameters ?? fit.parameters;
      const id = identifiability(lossHessian(model, dataset, loss, at));
      return {
        results: {
          identifiability: {
            eigenvalues: id.eigenvalues,
            conditionNumber: id.conditionNumber,
            maxStableLearningRate: id.maxStableLearningRate,
            stiffDirection: id.stiffDirection,
            sloppyDirection: id.sloppyDirection,
          },
        },
      };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      return {};
    }
  },
};
