import type * as tf from '../tf';
import type { SystemDefinition } from '../systems/system';
import { autodiffAccelerations } from './autodiff-accelerations';
import { variableJet } from './jets';
import { checkActivation, initialiseMlp, mlpJets, mlpLayout, mlpNames, mlpTensor } from './mlp';
import type { CompiledModel, ModelSpec } from './model';

type NeuralSpec = Extract<ModelSpec, { family: 'neural' }>;

/**
 * Lagrangian neural network (Cranmer et al. 2020): L(q, q̇) = MLP([q, q̇]); q̈ from its
 * derivatives by nested autodiff (autodiff-accelerations.ts). Nothing makes ∂²L/∂q̇² positive
 * definite: see the structured family for one that is by construction.
 */
export function compileNeuralModel(spec: NeuralSpec, system: SystemDefinition): CompiledModel {
  const d = system.coordinates.length;
  const activation = checkActivation(spec.activation);
  const layout = mlpLayout(2 * d, spec.hidden, 1);
  const initial = new Float64Array(layout.count);
  initialiseMlp(layout, initial, spec.seed);
  return {
    spec,
    parameterNames: mlpNames(layout),
    initial,
    network: { kind: 'plain', layout, activation },
    accelerations: (theta: tf.Tensor1D, samples) =>
      autodiffAccelerations((x) => mlpTensor(layout, activation, theta, x), samples),
    numeric: (theta) => ({
      d,
      at: (q, qd) => {
        const x = [...Array.from(q), ...Array.from(qd)];
        return mlpJets(
          layout,
          activation,
          theta,
          x.map((v, a) => variableJet(v, a, 2 * d)),
        )[0]!;
      },
    }),
  };
}
