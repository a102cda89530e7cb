import * as tf from '../tf';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { EngineError } from '../errors';
import { ACTIVATIONS, sigmoid, type ActivationName } from './activations';
import { addScaled, constantJet, JET_ACTIVATIONS, type Jet } from './jets';

/** A dense network inside θ: layer sizes [in, h1, …, hk, out], W (in×out) and b (out) offsets. */
export interface MlpLayout {
  readonly layers: ReadonlyArray<{ inSize: number; outSize: number; w: number; b: number }>;
  readonly offset: number;
  readonly count: number;
}

export function mlpLayout(
  inputs: number,
  hidden: readonly number[],
  outputs: number,
  offset = 0,
): MlpLayout {
  if (!hidden.length || hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 1024))
    throw new EngineError(
      'invalid-model',
      'Hidden layer sizes must be whole numbers from 1 to 1024, at least one layer',
    );
  const sizes = [inputs, ...hidden, outputs];
  const layers: Array<{ inSize: number; outSize: number; w: number; b: number }> = [];
  let at = offset;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!,
      outSize = sizes[l + 1]!;
    layers.push({ inSize, outSize, w: at, b: at + inSize * outSize });
    at += inSize * outSize + outSize;
  }
  return { layers, offset, count: at - offset };
}

export function checkActivation(name: string): ActivationName {
  if (!(name in ACTIVATIONS))
    throw new EngineError(
      'invalid-model',
      `Unknown activation "${name}": choose tanh, softplus or sin`,
    );
  return name as ActivationName;
}

/** Glorot-uniform weights from a seeded generator, zero biases, written into θ. */
export function initialiseMlp(layout: MlpLayout, theta: Float64Array, seed: number): void {
  const rng = xoroshiro128plus(seed);
  for (const layer of layout.layers) {
    const limit = Math.sqrt(6 / (layer.inSize + layer.outSize));
    for (let i = 0; i < layer.inSize * layer.outSize; i++)
      theta[layer.w + i] = (2 * uniformFloat64(rng) - 1) * limit;
  }
}

/** Parameter names W0[i,k], b0[k], … with a prefix (e.g. "V." for a potential network). */
export function mlpNames(layout: MlpLayout, prefix = ''): string[] {
  return layout.layers.flatMap((layer, l) => [
    ...Array.from(
      { length: layer.inSize * layer.outSize },
      (_, i) => `${prefix}W${l}[${Math.floor(i / layer.outSize)},${i % layer.outSize}]`,
    ),
    ...Array.from({ length: layer.outSize }, (_, i) => `${prefix}b${l}[${i}]`),
  ]);
}

/** The network on a batch [n, in] → [n, out] (tensors; differentiable to third order). */
export function mlpTensor(
  layout: MlpLayout,
  activation: ActivationName,
  theta: tf.Tensor1D,
  x: tf.Tensor2D,
): tf.Tensor2D {
  const act = ACTIVATIONS[activation];
  let h: tf.Tensor = x;
  layout.layers.forEach((layer, l) => {
    const W = tf.reshape(tf.slice(theta, layer.w, layer.inSize * layer.outSize), [
      layer.inSize,
      layer.outSize,
    ]);
    const b = tf.slice(theta, layer.b, layer.outSize);
    h = tf.add(tf.matMul(h as tf.Tensor2D, W as tf.Tensor2D), b);
    if (l + 1 < layout.layers.length) h = act(h);
  });
  return h as tf.Tensor2D;
}

/** The network on jets (one state, float64): out[k] = Σ_i W[i,k] h[i] + b[k], then σ. */
export function mlpJets(
  layout: MlpLayout,
  activation: ActivationName,
  theta: ArrayLike<number>,
  inputs: readonly Jet[],
): Jet[] {
  const m = inputs[0]!.gradient.length;
  const act = JET_ACTIVATIONS[activation];
  let h = inputs;
  layout.layers.forEach((layer, l) => {
    const out = Array.from({ length: layer.outSize }, (_, k) =>
      constantJet(theta[layer.b + k]!, m),
    );
    for (let i = 0; i < layer.inSize; i++)
      for (let k = 0; k < layer.outSize; k++) {
        const w = theta[layer.w + i * layer.outSize + k]!;
        if (w !== 0) addScaled(out[k]!, w, h[i]!);
      }
    h = l + 1 < layout.layers.length ? out.map(act) : out;
  });
  return [...h];
}

/** σ′ as a tensor op, differentiable once more (training's ∂loss/∂θ through a Jacobian). */
const ACTIVATION_SLOPES: Record<ActivationName, (z: tf.Tensor) => tf.Tensor> = {
  tanh: (z) => tf.sub(1, tf.square(ACTIVATIONS.tanh(z))),
  softplus: (z) => sigmoid(z),
  sin: (z) => tf.cos(z),
};

/**
 * The network and its Jacobian on a batch by forward-mode tangents: for each input direction a,
 * ż = ḣ W and ḣ′ = σ′(z) ż layer by layer. Returns out [n, k] and dOut[a] = ∂out/∂x_a [n, k];
 * one pass instead of a backward pass per output, and only one autodiff level left for training.
 */
export function mlpWithJacobian(
  layout: MlpLayout,
  activation: ActivationName,
  theta: tf.Tensor1D,
  x: tf.Tensor2D,
): { out: tf.Tensor2D; jacobian: tf.Tensor2D[] } {
  const act = ACTIVATIONS[activation];
  const slope = ACTIVATION_SLOPES[activation];
  const inputs = layout.layers[0]!.inSize;
  let h: tf.Tensor = x;
  // Tangents start as the unit directions: row a of W0 after the first layer.
  let tangents: tf.Tensor[] | null = null;
  layout.layers.forEach((layer, l) => {
    const W = tf.reshape<tf.Rank.R2>(tf.slice(theta, layer.w, layer.inSize * layer.outSize), [
      layer.inSize,
      layer.outSize,
    ]);
    const b = tf.slice(theta, layer.b, layer.outSize);
    const z = tf.add(tf.matMul(h as tf.Tensor2D, W), b);
    const zDot: tf.Tensor[] = tangents
      ? tangents.map((t) => tf.matMul(t as tf.Tensor2D, W))
      : Array.from({ length: inputs }, (_, a) => tf.slice(W, [a, 0], [1, -1]));
    if (l + 1 < layout.layers.length) {
      const s = slope(z);
      h = act(z);
      tangents = zDot.map((t) => tf.mul(s, t));
    } else {
      h = z;
      tangents = zDot;
    }
  });
  const n = x.shape[0];
  const out = h as tf.Tensor2D;
  return {
    out,
    // a tangent that never met a sample (a one-layer network) is still [1, k]: broadcast it
    jacobian: tangents!.map((t) => (t.shape[0] === n ? t : tf.tile(t, [n, 1])) as tf.Tensor2D),
  };
}
