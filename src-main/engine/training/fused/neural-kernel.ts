import type { CompiledModel, NetworkStructure } from '../../models/model';
import { checkBudget } from '../../budget';
import { Gemm } from '../../wasm/gemm-kernel';
import { pagesFor } from '../../wasm/kernel-memory';
import { LANES } from '../../wasm/lanes';
import type { Precision } from '../../../../src-shared/dto/precision';
import { simdAvailable, wasm } from '../../wasm/wasm-runtime';
import { pointWeights } from '../loss';
import type { PhaseSamples } from '../samples';
import type { LossAndGradient } from './graph-kernel';
import { Arena } from './jet-network';
import { sharedStepBuffer, splitObjective } from './shared-step';
import { plainHead, structuredHead, type NetworkHead } from './neural-heads';
import type { LossSpec } from '../../../../src-shared/dto/training';

/** Points per block: a block's channels of every layer stay in the L2 cache. */
export const NEURAL_BLOCK = 128;

export interface NeuralKernelOptions {
  readonly block?: number;
  /** float32 lanes (the default, as tfjs trains) or float64 (ill-conditioned ∂²L/∂q̇²). */
  readonly precision?: Precision;
  /** The loss's factor per point (default 1/n for the mean over these points, else 1). */
  readonly scale?: number;
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
  if (!model.network || !simdAvailable()) return null;
  return networkKernel(model.network, model.parameterNames.length, data, loss, options);
}

/**
 * The kernel from the networks' structure alone (what a helper thread receives), over `data`;
 * `options.scale` overrides the loss's 1/n when these points are a part of the data set.
 */
export function networkKernel(
  structure: NetworkStructure,
  p: number,
  data: PhaseSamples,
  loss: LossSpec,
  options: NeuralKernelOptions = {},
): LossAndGradient {
  const k = buildKernel(structure, data, options);
  const weights = pointWeights(data.qdd, loss);
  const scale = options.scale ?? (loss.reduction === 'mean' ? 1 / k.n : 1);
  return {
    evaluate(theta) {
      const gradient = new Float64Array(p);
      k.head.networks.forEach((net) => net.setWeights(theta));
      let total = 0;
      k.forEachBlock((start, count, inputs) => {
        total += k.head.lossAndAdjoints(k.view, data, weights, scale, start, count);
        k.head.networks.forEach((net) => net.backward(inputs, gradient));
      });
      return { loss: total, gradient };
    },
  };
}

/**
 * A network model's q̈ at θ over samples by the kernel's forward pass (float64 lanes by default:
 * predictions, fields and error maps), NaN where its mass matrix is singular.
 */
export function networkAccelerations(
  structure: NetworkStructure,
  theta: ArrayLike<number>,
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
  options: NeuralKernelOptions = { precision: 'float64' },
): Float64Array[] {
  const n = q[0]!.length;
  const out = q.map(() => new Float64Array(n));
  if (n === 0) return out;
  const data = { q, qd, qdd: out };
  const k = buildKernel(structure, data, options);
  k.head.networks.forEach((net) => net.setWeights(theta));
  k.forEachBlock((start, count) => k.head.accelerations(k.view, data, start, count, out));
  return out;
}

/**
 * Where the kernel's memory goes: the head's workspace for one block (jets, adjoints, GEMM
 * panels), then every block's seeded inputs (channels × block × inputs per block: 176 bytes a
 * point for a plain network on 2 coordinates in float32). Offsets only; nothing is allocated.
 */
function plan(structure: NetworkStructure, d: number, n: number, options: NeuralKernelOptions) {
  const { block = NEURAL_BLOCK, precision = 'float32' } = options;
  const arena = new Arena(LANES[precision].bytes);
  const head: NetworkHead =
    structure.kind === 'plain'
      ? plainHead(structure, d, block, arena)
      : structuredHead(structure, d, block, arena);
  const blocks = Math.ceil(n / block);
  const inputsPerBlock = head.channels.length * block * head.inputWidth;
  const inputs = Array.from({ length: blocks }, () => arena.take(inputsPerBlock));
  return { arena, head, blocks, inputs };
}

/** The memory the kernel needs for n points on `threads` threads (each its own workspace). */
export function networkKernelBytes(
  structure: NetworkStructure,
  d: number,
  n: number,
  threads: number,
  options: NeuralKernelOptions = {},
): number {
  const workspace = plan(structure, d, 0, options).arena.bytes;
  return plan(structure, d, n, options).arena.bytes + (threads - 1) * workspace;
}

/** The networks, their head and the seeded input blocks of `data` on one memory. */
function buildKernel(
  structure: NetworkStructure,
  data: Pick<PhaseSamples, 'q' | 'qd'>,
  options: NeuralKernelOptions,
) {
  const { block = NEURAL_BLOCK, precision = 'float32' } = options;
  const n = data.q[0]!.length;
  const lanes = LANES[precision];
  const { arena, head, blocks, inputs } = plan(structure, data.q.length, n, options);
  const memory = new wasm.Memory({ initial: pagesFor(arena.bytes) });
  const gemm = new Gemm(memory, precision);
  head.networks.forEach((net) => net.bind(memory, gemm));
  const view = lanes.view(memory.buffer);
  for (let b = 0; b < blocks; b++)
    head.seed(view, inputs[b]! / lanes.bytes, data, b * block, Math.min(block, n - b * block));
  return {
    n,
    head,
    view,
    /** Each block's forward pass (at the weights last set), then `then(start, count, inputs)`. */
    forEachBlock(then: (start: number, count: number, inputs: number) => void) {
      for (let b = 0; b < blocks; b++) {
        head.networks.forEach((net) => net.forward(inputs[b]!));
        then(b * block, Math.min(block, n - b * block), inputs[b]!);
      }
    },
  };
}

/** What a helper thread needs to compute its part of each step (structured-cloneable). */
export interface NetworkStepRequest {
  readonly buffer: SharedArrayBuffer;
  readonly structure: NetworkStructure;
  readonly p: number;
  readonly data: Pick<PhaseSamples, 'q' | 'qd' | 'qdd'>;
  readonly loss: LossSpec;
  readonly options: NeuralKernelOptions;
}

/**
 * Starts a helper thread on a request (the jobs layer's network-step worker), or returns null
 * where none can run; `dispose` ends it.
 */
export type NetworkStepHelper = (request: NetworkStepRequest) => { dispose(): void } | null;

/** Fewer points than this a part, and the helper's wake-up costs more than it saves. */
export const MIN_POINTS_PER_THREAD = 256;

/**
 * The kernel over all points, the second half on a helper thread when one is given and the data
 * set is large enough; dispose stops the helper.
 */
export function splitNeuralKernel(
  model: CompiledModel,
  data: PhaseSamples,
  loss: LossSpec,
  helper: NetworkStepHelper | undefined,
  options: NeuralKernelOptions = {},
): (LossAndGradient & { dispose(): void; threads: number }) | null {
  const structure = model.network;
  if (!structure || !simdAvailable()) return null;
  const p = model.parameterNames.length;
  const n = data.q[0]!.length;
  const threads = helper && n >= 2 * MIN_POINTS_PER_THREAD ? 2 : 1;
  // refused before any memory is taken (issue 32.3): the study's estimate counts the tensor
  // route's jets; this is the kernel's own figure
  checkBudget(
    networkKernelBytes(structure, data.q.length, n, threads, options),
    `the network kernel: ${n.toLocaleString('en-US')} points, ${threads} thread${threads > 1 ? 's' : ''}`,
  );
  const whole = () => networkKernel(structure, p, data, loss, options);
  if (!helper || threads === 1) {
    const k = whole();
    return { evaluate: (theta) => k.evaluate(theta), dispose() {}, threads: 1 };
  }
  const half = Math.ceil(n / 2);
  const part = (from: number, to: number) => ({
    q: data.q.map((c) => c.slice(from, to)),
    qd: data.qd.map((c) => c.slice(from, to)),
    qdd: data.qdd.map((c) => c.slice(from, to)),
  });
  // relative weights are per point; the mean's 1/n is over all points
  const scaled = { ...options, scale: loss.reduction === 'mean' ? 1 / n : 1 };
  const theirs = part(half, n);
  const buffer = sharedStepBuffer(p);
  const handle = helper({ buffer, structure, p, data: theirs, loss, options: scaled });
  const local = networkKernel(structure, p, part(0, half), loss, scaled);
  if (!handle) {
    const k = whole();
    return { evaluate: (theta) => k.evaluate(theta), dispose() {}, threads: 1 };
  }
  const split = splitObjective(buffer, p, local, () =>
    networkKernel(structure, p, theirs, loss, scaled),
  );
  return {
    evaluate: (theta) => split.evaluate(theta),
    dispose() {
      split.stop();
      handle.dispose();
    },
    threads: 2,
  };
}
