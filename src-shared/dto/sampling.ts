/** An interval as [min, max] or as centre ± width/2 (widths down to 1e-4 and below work). */
export type Interval =
  | { readonly min: number; readonly max: number }
  | { readonly centre: number; readonly width: number };

export interface SamplingWindow {
  /** One interval per coordinate. */
  readonly q: readonly Interval[];
  /** One interval per velocity. */
  readonly qd: readonly Interval[];
  /** Drop samples with |q_i − q_j| < epsilon (the report's band where Coulomb forces blow up). */
  readonly exclusionBands?: ReadonlyArray<{
    readonly i: number;
    readonly j: number;
    readonly epsilon: number;
  }>;
  /** Keep only samples with q_j > q_i + epsilon (one side of the q_i = q_j line). */
  readonly halfPlanes?: ReadonlyArray<{
    readonly i: number;
    readonly j: number;
    readonly epsilon: number;
  }>;
}

export interface SamplingSpec {
  readonly window: SamplingWindow;
  readonly count: number;
  readonly seed: number;
  /**
   * 'accepted' (default): draw until `count` samples pass the restrictions.
   * 'drawn': draw `count` samples, then drop the rejected ones (the report's and BENCH-1's way).
   */
  readonly countMode?: 'accepted' | 'drawn';
  /** Gaussian noise on q̈: σ = relative × std(q̈_j) per component (measured-style data). */
  readonly accelerationNoise?: { readonly relative: number; readonly seed: number };
}

export function bounds(interval: Interval): { min: number; max: number } {
  if ('centre' in interval)
    return { min: interval.centre - interval.width / 2, max: interval.centre + interval.width / 2 };
  return { min: interval.min, max: interval.max };
}
