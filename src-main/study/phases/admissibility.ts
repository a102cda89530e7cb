import { learnedKineticCheck } from '../../engine/analysis/kinetic-admissibility';
import { sampledData } from './data';
import type { AnalysisPhase } from './context';

/**
 * Is the learned L a mechanical Lagrangian? ∂²L/∂q̇² definite at the training points and, when
 * the study has one, on the validation window (issue 28.1). Discovery runs carry the same check
 * per candidate in their evidence.
 */
export const admissibilityPhase: AnalysisPhase = {
  phase: 'admissibility',
  when: ({ study, fit }) => study.model.family !== 'discovery' && fit.status !== 'diverged',
  run: ({ study, model, dataset, fit, shouldStop }) => {
    const sets: Array<{ q: readonly Float64Array[]; qd: readonly Float64Array[] }> = [dataset];
    if (study.validation) sets.push(sampledData(study, study.validation.sampling));
    let indefinitePoints = 0;
    let checkedPoints = 0;
    for (const points of sets) {
      const check = learnedKineticCheck(model, fit.parameters, study.system, points, shouldStop);
      if (!check) return {};
      indefinitePoints += check.indefinitePoints;
      checkedPoints += check.checkedPoints;
    }
    return {
      results: { admissibility: { indefinitePoints, checkedPoints } },
      ...(indefinitePoints > 0
        ? {
            notes: [
              `kinetic energy not positive definite at ${indefinitePoints} of ${checkedPoints} points: the learned L is not a mechanical Lagrangian there`,
            ],
          }
        : {}),
    };
  },
};
