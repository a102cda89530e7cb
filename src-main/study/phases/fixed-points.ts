import { findFixedPoints } from '../../engine/fixed-points';
import { bounds } from '../../engine/sampling';
import { parseSystem } from '../../engine/systems/system';
import type { AnalysisPhase } from './context';

/** Equilibria of the true system inside the sampling window, with their linear stability. */
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
        study.sampling.window.q.map(bounds),
      ),
    },
  }),
};
