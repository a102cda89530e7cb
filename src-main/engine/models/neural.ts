import * as tf from '../tf';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { solveMassTensor } from '../dynamics';
import { EngineError } from '../errors';
import type { SystemDefinition } from '../systems/system';
import { ACTIVATIONS } from './activations';
import type { CompiledModel, ModelSpec, TensorSamples } from './model';

type NeuralSpec = Extract<ModelSpec, { family: 'neural' }>;

/** Layer sizes [2d, h1, …, hk, 1] and the offsets of each W (in×out) and b (out) inside θ. */
function layout(inputs: number, hidden: readonly number[]) {
  const sizes = [inputs, ...hidden, 1];
  const layers: Array<{ inSize: number; outSize: number; w: number; b: number }> = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!,
      outSize = sizes[l + 1]!;
    layers.push({ inSize, outSize, w: offset, b: offset + inSize * outSize });
    offset += inSize * outSize + outSize;
  }
  return { layers, count: offset };
}

/**
 * Lagrangian neural network (Cranmer et al. 2020): L(q, q̇) = MLP([q, q̇]); q̈ from
 *   M = ∂²L/∂q̇²,  f = ∂L/∂q − (∂²L/∂q̇∂q) q̇,  M q̈ = f
 * with the derivatives by nested autodiff (training adds a third level for ∂loss/∂θ).
 */
export function compileNeuralModel(spec: NeuralSpec, system: SystemDefinition): CompiledModel {
  const d = system.coordinates.length;
  if (!spec.hidden.length || spec.hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 1024)) {
    throw new EngineError(
      'invalid-model',
      'Hidden layer sizes must be whole numbers from 1 to 1024, at least one layer',
    );
  }
  const activation = ACTIVATIONS[spec.activation];
  if (!activation)
    throw new EngineError(
      'invalid-model',
      `Unknown activation "${String(spec.activation)}": choose tanh, softplus or sin`,
    );
  const { layers, count } = layout(2 * d, spec.hidden);
  // Glorot-uniform weights from a seeded generator; zero biases.
  const rng = xoroshiro128plus(spec.seed);
  const initial = new Float64Array(count);
  for (const layer of layers) {
    const limit = Math.sqrt(6 / (layer.inSize + layer.outSize));
    for (let i = 0; i < layer.inSize * layer.outSize; i++)
      initial[layer.w + i] = (2 * uniformFloat64(rng) - 1) * limit;
  }
  const names = layers.flatMap((layer, l) => [
    ...Array.from(
      { length: layer.inSize * layer.outSize },
      (_, i) => `W${l}[${Math.floor(i / layer.outSize)},${i % layer.outSize}]`,
    ),
    ...Array.from({ length: layer.outSize }, (_, i) => `b${l}[${i}]`),
  ]);

  const lagrangian = (theta: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor => {
    let h: tf.Tensor = x;
    layers.forEach((layer, l) => {
      const W = tf.reshape(tf.slice(theta, layer.w, layer.inSize * layer.outSize), [
        layer.inSize,
        layer.outSize,
      ]);
      const b = tf.slice(theta, layer.b, layer.outSize);
      h = tf.add(tf.matMul(h as tf.Tensor2D, W as tf.Tensor2D), b);
      if (l + 1 < layers.length) h = activation(h);
    });
    return h; // [n, 1]
  };

  return {
    spec,
    parameterNames: names,
    initial,
    accelerations(theta: tf.Tensor1D, samples: TensorSamples): tf.Tensor[] {
      const x = tf.stack([...samples.q, ...samples.qd], 1) as tf.Tensor2D;
      const gradL = (xx: tf.Tensor2D) =>
        tf.grad((x2: tf.Tensor) => tf.sum(lagrangian(theta, x2 as tf.Tensor2D)))(xx);
      const g = gradL(x); // [n, 2d]: ∂L/∂q, ∂L/∂q̇ per sample (samples are independent)
      const column = (t: tf.Tensor, j: number) => tf.reshape(tf.slice(t, [0, j], [-1, 1]), [-1]);
      const rows = Array.from({ length: d }, (_, i) =>
        // row i of the Hessian of L in (q, q̇), for velocity i: [∂²L/∂q̇_i∂q, ∂²L/∂q̇_i∂q̇]
        tf.grad((xx: tf.Tensor) => tf.sum(column(gradL(xx as tf.Tensor2D), d + i)))(x),
      );
      const M = rows.map((row) => Array.from({ length: d }, (_, j) => column(row, d + j)));
      const f = rows.map((row, i) => {
        let fi = column(g, i);
        for (let j = 0; j < d; j++) fi = tf.sub(fi, tf.mul(column(row, j), samples.qd[j]!));
        return fi;
      });
      return solveMassTensor(M, f);
    },
  };
}
