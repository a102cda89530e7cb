import { generateDataset, type Dataset } from '../../src-main/engine/dataset';
import type { SamplingSpec } from '../../src-main/engine/sampling';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import type { SystemDefinition } from '../../src-shared/dto/system';
import type { StudySpec } from '../../src-shared/study/study-schema';

/** A preset as a study's (mutable) system. */
export function studySystem(system: SystemDefinition): StudySpec['system'] {
  return {
    ...system,
    coordinates: [...system.coordinates],
    velocities: [...system.velocities],
    parameters: system.parameters.map((p) => ({ ...p })),
  };
}

/** The report's §1.1 fit (Coulomb pair, origin window, exact form from (1, 0.2), Adam 0.01). */
export function originExactStudy(maxSteps: number, count = 1000): StudySpec {
  return {
    name: 'origin window exact fit',
    system: studySystem(coulombPair),
    sampling: { window: reportOriginWindow(), count, seed: 1, countMode: 'drawn' },
    model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
    optimizer: { algorithm: 'adam', learningRate: 0.01 },
    stopping: { maxSteps },
    route: 'graph',
  };
}

/** The report's section 1.1 window: q, q̇ in [−1, 1], band |q0 − q1| < 0.1 dropped. */
export function originWindow(count: number, seed = 1): SamplingSpec {
  return {
    window: reportOriginWindow(),
    count,
    seed,
    countMode: 'drawn',
  };
}

export function coulombDataset(sampling: SamplingSpec): Dataset {
  return generateDataset({ system: coulombPair, sampling });
}

/** Fixed points of the report system at k = 4, alpha = 1: (∓r/2, ±r/2), r = (2α/k)^(1/3). */
export const FIXED_POINT_HALF_SEPARATION = Math.cbrt(0.5) / 2;

export function fixedPointWindow(width: number, count: number, seed = 1): SamplingSpec {
  const c = FIXED_POINT_HALF_SEPARATION;
  return {
    window: {
      q: [
        { centre: -c, width },
        { centre: c, width },
      ],
      qd: [
        { centre: 0, width: 2 },
        { centre: 0, width: 2 },
      ],
    },
    count,
    seed,
  };
}
