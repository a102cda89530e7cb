import * as tf from '../tf';
import type { LossSpec } from '../../../src-shared/dto/training';

export const DEFAULT_LOSS: LossSpec = { reduction: 'mean' };

/** Per-point weights: 1, or 1/|q̈_data|² for the relative loss. */
export function pointWeights(qdd: readonly Float64Array[], spec: LossSpec): Float64Array | null {
  if (!spec.relative) return null;
  const n = qdd[0]!.length;
  const w = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let sq = 0;
    for (const c of qdd) sq += c[s]! * c[s]!;
    w[s] = sq > 0 ? 1 / sq : 0;
  }
  return w;
}

/** Σ_s w_s Σ_i (pred_i − data_i)² [/ n], in float64. */
export function lossF64(
  pred: readonly Float64Array[],
  data: readonly Float64Array[],
  spec: LossSpec,
  weights = pointWeights(data, spec),
): number {
  const n = data[0]!.length;
  let total = 0;
  for (let s = 0; s < n; s++) {
    let sq = 0;
    for (let i = 0; i < data.length; i++) {
      const r = pred[i]![s]! - data[i]![s]!;
      sq += r * r;
    }
    total += weights ? weights[s]! * sq : sq;
  }
  return spec.reduction === 'mean' ? total / n : total;
}

/** The same loss on tensors (components broadcast, e.g. [B, n] predictions against [n] data). */
export function lossTensor(
  pred: readonly tf.Tensor[],
  data: readonly tf.Tensor[],
  spec: LossSpec,
  weights: tf.Tensor | null,
  n: number,
  axis?: number,
): tf.Tensor {
  let sq: tf.Tensor | undefined;
  pred.forEach((p, i) => {
    const r = tf.square(tf.sub(p, data[i]!));
    sq = sq ? tf.add(sq, r) : r;
  });
  let weighted = weights ? tf.mul(sq!, weights) : sq!;
  if (spec.reduction === 'mean') weighted = tf.div(weighted, n);
  return axis === undefined ? tf.sum(weighted) : tf.sum(weighted, axis);
}
