import * as tf from '../tf';
import { solveMassTensor } from '../dynamics';
import type { TensorSamples } from './model';

/** A Lagrangian on a batch: x = [q, q̇] as [n, 2d] → L as [n] or [n, 1]. */
export type TensorLagrangian = (x: tf.Tensor2D) => tf.Tensor;

/**
 * q̈ of any differentiable Lagrangian from its derivatives by nested autodiff:
 *   M = ∂²L/∂q̇²,  f = ∂L/∂q − (∂²L/∂q̇∂q) q̇,  M q̈ = f
 * (samples are independent, so the gradient of ΣL is each sample's gradient; training adds a
 * third level for ∂loss/∂θ).
 */
export function autodiffAccelerations(
  lagrangian: TensorLagrangian,
  samples: TensorSamples,
): tf.Tensor[] {
  const d = samples.q.length;
  const x = tf.stack([...samples.q, ...samples.qd], 1) as tf.Tensor2D;
  const gradL = (xx: tf.Tensor2D) =>
    tf.grad((x2: tf.Tensor) => tf.sum(lagrangian(x2 as tf.Tensor2D)))(xx);
  const g = gradL(x); // [n, 2d]: ∂L/∂q, ∂L/∂q̇ per sample
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
}
