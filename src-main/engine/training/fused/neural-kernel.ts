import type { CompiledModel } from '../../models/model';
import { Gemm } from '../../wasm/gemm-kernel';
import { pagesFor } from '../../wasm/kernel-memory';
import { LANES, type Precision } from '../../wasm/lanes';
import { simdAvailable, wasm } from '../../wasm/wasm-runtime';
import { pointWeights, type LossSpec } from '../loss';
import type { PhaseSamples } from '../samples';
import type { LossAndGradient } from './graph-kernel';
import { Arena } from './jet-network';
import { plainHead, structuredHead, type NetworkHead } from './neural-heads';

/** Points per block: a block's channels of every layer stay in the L2 cache. */
export const NEURAL_BLOCK = 128;

export interface NeuralKernelOptions {
  readonly block?: number;
  /** float32 lanes (the default, as tfjs trains) or float64 (ill-conditioned ∂²L/∂q̇²). */
  readonly precision?: Precision;
}

/**
 * The loss and exact gradient of a neural Lagrangian (plain LNN or the structured family) in
 * SIMD (float32, or float64 on request), block by block: each network's forward pass with
 * forward-mode jets, the head (mass-matrix solve, loss and their adjoints per point, in float64),
 * the networks' reverse passes; sums over blocks in float64. Null when it does not apply (not a
 * neural model, no SIMD): the caller takes tfjs.
 */
export function neuralKernel(
  model: CompiledModel,
  data: PhaseSamples,
  loss: LossSpec,
  options: NeuralKernelOptions = {},
): LossAndGradient | null {
  const structure = model.network;
  if (!structure || !simdAvailable()) return null;
  const { block = NEURAL_BLOCK, precision = 'float32' } = options;
  const n = data.q[0]!.length;
  const d = data.q.length;
  const lanes = LANES[precision];
  const arena = new Arena(lanes.bytes);
  const head: NetworkHead =
    structure.kind === 'plain'
      ? plainHead(structure, d, block, arena)
      : structuredHead(structure, d, block, arena);
  const blocks = Math.ceil(n / block);
  const inputsPerBlock = head.channels.length * block * head.inputWidth;
  const inputs = Array.from({ length: blocks }, () => arena.take(inputsPerBlock));
  const memory = new wasm.Memory({ initial: pagesFor(arena.bytes) });
  const gemm = new Gemm(memory, precision);
  head.networks.forEach((net) => net.bind(memory, gemm));
  const view = lanes.view(memory.buffer);
  for (let b = 0; b < blocks; b++)
    head.seed(view, inputs[b]! / lanes.bytes, data, b * block, Math.min(block, n - b * block));

  const weights = pointWeights(data.qdd, loss);
  const scale = loss.reduction === 'mean' ? 1 / n : 1;
  const p = model.parameterNames.length;
  return {
    evaluate(theta) {
      const gradient = new Float64Array(p);
      head.networks.forEach((net) => net.setWeights(theta));
      let total = 0;
      for (let b = 0; b < blocks; b++) {
        const start = b * block;
        const count = Math.min(block, n - start);
        head.networks.forEach((net) => net.forward(inputs[b]!, theta));
        total += head.lossAndAdjoints(view, data, weights, scale, start, count);
        head.networks.forEach((net) => net.backward(inputs[b]!, gradient));
      }
      return { loss: total, gradient };
    },
  };
}
