import { mapSamplesInChunks, type ChunkControl } from '../chunked';
import * as tf from '../tf';
import { accelerationsF64, equationsOfMotion } from '../dynamics';
import { EngineError } from '../errors';
import type { CompiledModel } from '../models/model';
import { tensorSamples } from '../training/objective';
import { parseSystem, type SystemDefinition } from '../systems/system';
import { networkAccelerations } from '../training/fused/neural-kernel';
import { simdAvailable } from '../wasm/wasm-runtime';

/**
 * The model's q̈ at θ over samples in float64: expression models by their equations of motion,
 * networks by the fused kernel's forward pass (tfjs in float32 where WebAssembly has no SIMD).
 */
export function predictF64(
  model: CompiledModel,
  theta: ArrayLike<number>,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
): Float64Array[] {
  if (model.eom) {
    const params: Record<string, number> = {};
    model.parameterNames.forEach((p, i) => (params[p] = theta[i]!));
    return accelerationsF64(model.eom, q, qd, params).accelerations;
  }
  if (model.network && simdAvailable()) return networkAccelerations(model.network, theta, q, qd);
  const samples = tensorSamples(q, qd);
  try {
    const out = tf.tidy(() =>
      tf.stack(model.accelerations(tf.tensor1d(Float32Array.from(theta)), samples)),
    );
    const flat = out.dataSync();
    out.dispose();
    const n = q[0]!.length;
    return q.map((_, i) => Float64Array.from(flat.subarray(i * n, (i + 1) * n)));
  } finally {
    [...samples.q, ...samples.qd].forEach((t) => t.dispose());
  }
}

/**
 * The model's q̈ at many samples, chunk by chunk (a stop check and a progress report between
 * chunks): the same numbers as predictF64 on the whole batch.
 */
export function predictInChunks(
  model: CompiledModel,
  theta: ArrayLike<number>,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
  control: ChunkControl = {},
): Float64Array[] {
  const d = q.length;
  return mapSamplesInChunks(
    [...q, ...qd],
    d,
    (cols) => predictF64(model, theta, cols.slice(0, d), cols.slice(d)),
    control,
  );
}

/** q̈ of the true system (float64) at arbitrary samples. */
export function trueAccelerations(
  system: SystemDefinition,
  values: Readonly<Record<string, number>> | undefined,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
): Float64Array[] {
  const parsed = parseSystem(system);
  const eom = equationsOfMotion(parsed.lagrangian, system.coordinates, system.velocities, {
    ...parsed.parameterValues,
    ...values,
  });
  const r = accelerationsF64(eom, q, qd);
  if (r.singular.count > 0)
    throw new EngineError(
      'singular-mass',
      `The true mass matrix is singular at ${r.singular.count} samples`,
    );
  return r.accelerations;
}
