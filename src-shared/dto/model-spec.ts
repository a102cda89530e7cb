import type { DiscoverySpec } from './discovery';

/** A model Lagrangian family and its settings, as stored in a study (JSON). */
export type ModelSpec =
  | {
      readonly family: 'exact-form';
      /** Parameters of the system's own expression that are learned; the rest keep their values. */
      readonly learnable: readonly string[];
      /** Starting values (default: 1 for each learnable parameter). */
      readonly initial?: Readonly<Record<string, number>>;
      /** The model's own Lagrangian when it is not the system's (the system makes the data). */
      readonly expression?: {
        readonly lagrangian: string;
        readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: number }>;
      };
    }
  | {
      /**
       * The report's eq. (1)–(2): ½q̇² + Σ_{(m,n)∈{(0,0),(0,1),(1,1)}} Σ_{i,j=1..N} c_mnij q_m^i
       * q_n^j.
       */
      readonly family: 'polynomial';
      readonly order: number;
    }
  | {
      /** The report's eq. (4): ½q̇² − ½k q² − Σ_{i,j=0..N} c_ij q0^i q1^j, with k fixed. */
      readonly family: 'coupling-polynomial';
      readonly order: number;
      readonly k: number;
    }
  | {
      /** An MLP L(q, q̇) (Lagrangian neural network); q̈ by autodiff. */
      readonly family: 'neural';
      readonly hidden: readonly number[];
      readonly activation: 'tanh' | 'softplus' | 'sin';
      readonly seed: number;
    }
  | {
      /**
       * Deep Lagrangian Networks: L = ½q̇ᵀM(q)q̇ − V(q), M = LLᵀ + εI with L(q) lower triangular
       * (positive diagonal) from one MLP of q and V(q) from another; M positive definite.
       */
      readonly family: 'structured-neural';
      readonly hidden: readonly number[];
      readonly activation: 'tanh' | 'softplus' | 'sin';
      readonly seed: number;
      /** ε, default 1e-3. */
      readonly massFloor?: number;
      /** q̈ from the structure (default) or by autodiff of L (the slower reference). */
      readonly route?: 'structure' | 'autodiff';
    }
  | DiscoverySpec;
