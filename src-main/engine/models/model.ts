import type * as tf from '@tensorflow/tfjs';
import type { TensorValue } from '../expression/evaluate-tensor';
import type { Expr } from '../expression/ir';
import type { EquationsOfMotion } from '../dynamics';
import type { LinearStructure } from '../linear-form';

/** A model Lagrangian family and its settings, as stored in a study (JSON). */
export type ModelSpec =
  | {
      readonly family: 'exact-form';
      /** Parameters of the system's own expression that are learned; the rest keep their values. */
      readonly learnable: readonly string[];
      /** Starting values (default: 1 for each learnable parameter). */
      readonly initial?: Readonly<Record<string, number>>;
    }
  | {
      /** The report's eq. (1)–(2): ½q̇² + Σ_{(m,n)∈{(0,0),(0,1),(1,1)}} Σ_{i,j=1..N} c_mnij q_m^i q_n^j. */
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
    };

/** Data as tensors, one [n] tensor per component. */
export interface TensorSamples {
  readonly q: tf.Tensor1D[];
  readonly qd: tf.Tensor1D[];
}

/** A model ready to train: every parameter in one vector θ. */
export interface CompiledModel {
  readonly spec: ModelSpec;
  readonly parameterNames: readonly string[];
  readonly initial: Float64Array;
  /** Symbolic equations of motion with θ as inputs (expression models only). */
  readonly eom?: EquationsOfMotion;
  /** The model's Lagrangian and the values of its non-learned parameters (expression models only). */
  readonly lagrangian?: Expr;
  readonly fixedValues?: Readonly<Record<string, number>>;
  /** Present when q̈ is affine in θ. */
  readonly linear?: LinearStructure;
  /** q̈ per component for θ (a [p] tensor); differentiable in θ. Call inside tf.tidy. */
  accelerations(theta: tf.Tensor1D, samples: TensorSamples): tf.Tensor[];
  /**
   * q̈ with each parameter given separately, broadcasting (e.g. [B, 1] parameter columns
   * against [1, n] samples gives [B, n]): a whole batch of landscape cells in one pass.
   * Expression models only.
   */
  accelerationsFor?(
    parameters: Readonly<Record<string, TensorValue>>,
    samples: TensorSamples,
  ): tf.Tensor[];
}
