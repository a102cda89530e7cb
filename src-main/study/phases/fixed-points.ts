import { blocksAt } from '../../engine/analysis/numeric-lagrangian';
import { findFixedPoints, findFixedPointsOf } from '../../engine/fixed-points';
import { bounds } from '../../engine/sampling';
import { parseSystem } from '../../engine/systems/system';
import type { StudySpec } from '../../../src-shared/study/study-schema';
import type { AnalysisPhase } from './context';

/** Where equilibria are searched: the study's region, or its sampling window. */
export function fixedPointRegion(study: StudySpec) {
  const f = study.fixedPoints;
  return typeof f === 'object' ? f.region : study.sampling.window.q;
}

/**
 * Equilibria of the true system and of the learned Lagrangian in the search region, with their
 * linear stability: a fit that moved, added or lost an equilibrium shows it here.
 */
export const fixedPointsPhase: AnalysisPhase = {
  phase: 'fixed-points',
  when: ({ study }) => !!study.fixedPoints,
  run: ({ study, truth, model, fit }) => {
    const region = fixedPointRegion(study).map(bounds);
    const { coordinates, velocities } = study.system;
    const fixedPoints = findFixedPoints(
      parseSystem(study.system).lagrangian,
      coordinates,
      velocities,
      truth,
      region,
    );
    const numeric = model.numeric?.(fit.parameters);
    const fitted = Object.fromEntries(model.parameterNames.map((p, i) => [p, fit.parameters[i]!]));
    const fixedPointsFit = numeric
      ? findFixedPointsOf((q) => blocksAt(numeric, q), region)
      : model.lagrangian
        ? findFixedPoints(
            model.lagrangian,
            coordinates,
            velocities,
            { ...model.fixedValues, ...fitted },
            region,
          )
        : undefined;
    return { results: { fixedPoints, ...(fixedPointsFit ? { fixedPointsFit } : {}) } };
  },
};
