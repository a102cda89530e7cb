/** (q, q̇, q̈) samples, one float64 array per component; a Dataset satisfies this. */
export interface PhaseSamples {
  readonly q: readonly Float64Array[];
  readonly qd: readonly Float64Array[];
  readonly qdd: readonly Float64Array[];
  /** Time of each sample, for data imported from a trajectory. */
  readonly t?: Float64Array;
}
