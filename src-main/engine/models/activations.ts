import * as tf from '../tf';

/*
 * Activations that differentiate to third order. tfjs 4.22's tanh, sigmoid, softplus and exp
 * reuse their saved output in the gradient, so a second derivative fails (tensorflow/tfjs#3252).
 * These give the gradient as an expression in x that is itself differentiable.
 */

/** tanh with d/dx tanh = 1 − tanh², recursively differentiable. */
export const tanh: (x: tf.Tensor) => tf.Tensor = tf.customGrad(((
  x: tf.Tensor,
  save: (t: tf.Tensor[]) => void,
) => {
  save([x]);
  return {
    value: tf.tanh(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.mul(dy, tf.sub(1, tf.square(tanh(saved[0]!)))),
  };
}) as never);

/** σ(x) = ½ (1 + tanh(x/2)), differentiable to any order through `tanh`. */
export function sigmoid(x: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, tanh(tf.mul(0.5, x))));
}

/** softplus(x) = log(1 + eˣ), with d/dx softplus = σ(x). */
export const softplus: (x: tf.Tensor) => tf.Tensor = tf.customGrad(((
  x: tf.Tensor,
  save: (t: tf.Tensor[]) => void,
) => {
  save([x]);
  return {
    value: tf.softplus(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, sigmoid(saved[0]!)),
  };
}) as never);

export function sin(x: tf.Tensor): tf.Tensor {
  return tf.sin(x);
}

export const ACTIVATIONS = { tanh, softplus, sin } as const;
export type ActivationName = keyof typeof ACTIVATIONS;
