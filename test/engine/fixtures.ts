import { generateDataset, type Dataset } from '../../src-main/engine/dataset';
import type { SamplingSpec } from '../../src-main/engine/sampling';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

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
