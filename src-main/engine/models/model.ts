import type * as tf from '../tf';
import type { TensorValue } from '../expression/evaluate-tensor';
import type { Expr } from '../expression/ir';
import type { EquationsOfMotion } from '../dynamics';
import type { LinearStructure } from '../linear-form';
import type { ModelSpec } from '../../../src-shared/dto/model-spec';
import type { NumericLagrangian } from '../analysis/numeric-lagrangian';
import type { MlpLayout } from './mlp';
import type { ActivationName } from './activations';
export type { ModelSpec };

/** The networks of a neural model, for the fused kernels (training/fused/neural-kernel.ts). */
export type NetworkStructure =
  | { readonly kind: 'plain'; readonly layout: MlpLayout; readonly activation: ActivationName }
  | {
      readonly kind: 'structured';
      readonly mass: MlpLayout;
      readonly potential: MlpLayout;
      readonly activation: ActivationName;
      /** ε of M = LLᵀ + εI. */
      readonly massFloor: number;
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
  /**
   * The model's Lagrangian and the values of its non-learned parameters (expression models only).
   */
  readonly lagrangian?: Expr;
  readonly fixedValues?: Readonly<Record<string, number>>;
  /** The networks of the neural families. */
  readonly network?: NetworkStructure;
  /** Present when q̈ is affine in θ. */
  readonly linear?: LinearStructure;
  /**
   * The learned L at θ in float64 with its derivatives at one state (neural families): rollouts,
   * energies and fixed points of models without a Lagrangian expression.
   */
  numeric?(theta: ArrayLike<number>): NumericLagrangian;
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
