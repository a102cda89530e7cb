import {
  energyDrift,
  kineticScale,
  expressionRolloutSystem,
  modelRolloutSystem,
  rollout,
  rolloutError,
} from '../../engine/analysis/rollout';
import { numericRolloutSystem } from '../../engine/analysis/numeric-lagrangian';
import { EngineError } from '../../engine/errors';
import { parseSystem } from '../../engine/systems/system';
import type { AnalysisPhase } from './context';

/** Trajectories of the learned and the true Lagrangian from one state, with their energies. */
export const rolloutPhase: AnalysisPhase = {
  phase: 'rollout',
  when: ({ study }) => !!study.rollout,
  run: ({ study, model, fit, truth, shouldStop, onProgress }) => {
    const r = study.rollout!;
    const { coordinates, velocities } = study.system;
    const options = {
      duration: r.duration,
      method: r.method ?? 'rk45',
      dt: r.dt ?? 1e-2,
      ...(r.tolerance ? { tolerance: r.tolerance } : {}),
      maxSamples: 500,
      ...(shouldStop ? { shouldStop } : {}),
    } as const;
    try {
      const lagrangian = parseSystem(study.system).lagrangian;
      const trueSystem = expressionRolloutSystem(lagrangian, coordinates, velocities, truth);
      // Expression models roll out their symbolic L; networks their float64 jets.
      const fitSystem = model.numeric
        ? numericRolloutSystem(model.numeric(fit.parameters))
        : modelRolloutSystem(model, fit.parameters, coordinates, velocities);
      // Two trajectories: the truth is the first half of the phase, the fit the second.
      const half = (offset: number) => (f: number) => onProgress?.(offset + f / 2);
      const truthTrajectory = rollout(trueSystem, r.q0, r.qd0, { ...options, onProgress: half(0) });
      const fitTrajectory = rollout(fitSystem, r.q0, r.qd0, { ...options, onProgress: half(0.5) });
      const failures = [
        ...(fitTrajectory.failure
          ? [
              `the learned trajectory stopped at t = ${fitTrajectory.failure.time.toPrecision(4)}: ${fitTrajectory.failure.reason}`,
            ]
          : []),
        ...(truthTrajectory.failure
          ? [
              `the true trajectory stopped at t = ${truthTrajectory.failure.time.toPrecision(4)}: ${truthTrajectory.failure.reason}`,
            ]
          : []),
      ];
      return {
        ...(failures.length
          ? { notes: failures.map((f) => `rollout: ${f} (kept up to there)`) }
          : {}),
        results: {
          rollout: {
            ...(fitTrajectory.failure ? { fitFailure: fitTrajectory.failure } : {}),
            ...(truthTrajectory.failure ? { truthFailure: truthTrajectory.failure } : {}),
            ...rolloutError(fitTrajectory, truthTrajectory),
            energyDriftFit: energyDrift(fitTrajectory),
            energyDriftTruth: energyDrift(truthTrajectory),
            t: truthTrajectory.t,
            qFit: fitTrajectory.q,
            qTrue: truthTrajectory.q,
            qdFit: fitTrajectory.qd,
            qdTrue: truthTrajectory.qd,
            energyFit: fitTrajectory.energy,
            energyTrue: truthTrajectory.energy,
            kineticScaleFit: kineticScale(fitTrajectory),
            kineticScaleTrue: kineticScale(truthTrajectory),
          },
        },
      };
    } catch (err) {
      if (!(err instanceof EngineError) || err.code === 'cancelled') throw err;
      return { notes: [`rollout: ${err.message}`] };
    }
  },
};
