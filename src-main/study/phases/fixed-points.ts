import { findFixedPoints } from '../../engine/fixed-points';
import { bounds } from '../../engine/sampling';
import { parseSystem } from '../../engine/systems/system';
import type { StudySpec } from '../../../src-shared/study/study-schema';
import type { AnalysisPhase } from './context';

/** Where equilibria are searched: the study's region, or its sampling window. */
export function fixedPointRegion(study: StudySpec) {
  const f = study.fixedPoints;
  return typeof f === 'object' ? f.region : study.sampling.window.q;
}

/** Equilibria of the true system in the search region, with their linear stability. */
export const fixedPointsPhase: AnalysisPhase = {
  phase: 'fixed-points',
  when: ({ study }) => !!study.fixedPoints,
  run: ({ study, truth }) => ({
    results: {
      fixedPoints: findFixedPoints(
        parseSystem(study.system).lagrangian,
        study.system.coordinates,
        study.system.velocities,
        truth,
        fixedPointRegion(study).map(bounds),
      ),
    },
  }),
};
