/** (q, q̇, q̈) samples, one float64 array per component; a Dataset satisfies this. */
export interface PhaseSamples {
  readonly q: readonly Float64Array[];
  readonly qd: readonly Float64Array[];
  readonly qdd: readonly Float64Array[];
  /** Time of each sample, for data imported from a trajectory. */
  readonly t?: Float64Array;
  /** Derivatives from a filter over a trajectory: their errors are correlated in time. */
  readonly correlation?: SampleCorrelation;
  /** The same trajectories through a filter two orders higher (see FilterCheck). */
  readonly filterCheck?: FilterCheck;
}

/**
 * A Savitzky–Golay filter smooths the motion as well as the noise. Its own error is estimated by
 * the data filtered again two orders higher (same window, far smaller smoothing error): the
 * coefficients refitted on both differ by about that error's effect.
 */
export interface FilterCheck {
  readonly order: number;
  readonly q: readonly Float64Array[];
  readonly qd: readonly Float64Array[];
  readonly qdd: readonly Float64Array[];
}

/**
 * Savitzky–Golay estimates at samples s and s′ share raw points when |s − s′| < window, so
 * their errors are correlated exactly that far along a segment and not at all beyond it.
 */
export interface SampleCorrelation {
  /** Filter window in samples: errors of samples ≥ window apart are independent. */
  readonly window: number;
  /** Index of each segment's first sample (ascending, starting at 0). */
  readonly segmentStarts: readonly number[];
}
