import type { ActivationName } from '../../models/activations';
import type { MlpLayout } from '../../models/mlp';
import type { Gemm } from '../../wasm/gemm-kernel';
import { align16, instantiateKernel } from '../../wasm/kernel-memory';
import type { WasmMemory } from '../../wasm/wasm-runtime';
import { LANES } from '../../wasm/lanes';
import type { Precision } from '../../../../src-shared/dto/precision';
import { emitChannelKernel } from './channel-kernels';
import { emitSoftplusKernel } from './softplus-kernel';
import { emitTanhKernel } from './tanh-kernel';
import { SLOPES } from './jet-activations';

type ChannelCall = (...offsets: number[]) => void;

/** Activations with a float32 SIMD kernel for σ, σ′, σ″, σ‴ (sin loops in JavaScript). */
const ACTIVATION_LANES: Partial<Record<ActivationName, { emit: () => Uint8Array; name: string }>> =
  {
    softplus: { emit: emitSoftplusKernel, name: 'softplus' },
    tanh: { emit: emitTanhKernel, name: 'tanh' },
  };
/** A view of the kernels' memory in their precision. */
export type FloatView = Float32Array | Float64Array;

/**
 * A forward-mode channel carried through the network beside the value: a first-order tangent
 * (seeded at the inputs by the caller) or the second-order derivative along two first-order
 * channels a, b (seeded 0). Channel 0 is the value.
 */
export type Channel = { order: 0 } | { order: 1 } | { order: 2; a: number; b: number };

/** Byte offsets of arrays of `size`-byte elements, 16-byte aligned, before the memory exists. */
export class Arena {
  private top = 0;
  constructor(readonly size: 4 | 8) {}
  take(elements: number): number {
    const at = this.top;
    this.top += align16(elements * this.size);
    return at;
  }
  get bytes(): number {
    return this.top;
  }
}

const pad4 = (k: number) => Math.ceil(k / 4) * 4;

interface LayerBuffers {
  readonly inSize: number;
  readonly outSize: number;
  /** Widths rounded up to 4 lanes; padded units carry zero weights. */
  readonly inWidth: number;
  readonly outWidth: number;
  readonly w: number; // θ offsets
  readonly b: number;
  readonly weights: number; // [inWidth × outWidth]
  readonly transposed: number; // [outWidth × inWidth]
  readonly weightGradient: number; // [inWidth × outWidth]
  readonly bias: number; // [outWidth]
  readonly biasGradient: number; // [outWidth]
  /** Pre-activations of every channel [C·B × outWidth] (the output's values for the last layer). */
  readonly pre: number;
  /** Activations [C·B × outWidth] (hidden layers). */
  readonly post: number;
  /** Adjoints of the activations, then in place of the pre-activations [C·B × outWidth]. */
  readonly adjoint: number;
  /** σ′, σ″, σ‴ at the value channel [B × outWidth] each (hidden layers). */
  readonly slopes: readonly [number, number, number];
}

/**
 * An MLP evaluated on a block of points with forward-mode jets in every channel, and its
 * reverse pass for ∂loss/∂θ given the adjoints of its output channels. Rows are channel-major
 * (row = channel·block + point), so each layer is one SIMD product H·W for all channels,
 * and the reverse pass two (Hᵀ·Z̄ for the weights, Z̄·Wᵀ for the layer below). Per hidden unit:
 *   h = σ(z),  h_a = σ′ z_a,  h_ab = σ′ z_ab + σ″ z_a z_b.
 */
export class JetNetwork {
  readonly layers: LayerBuffers[];
  readonly rows: number;
  /** A block of ones: the bias enters the value rows, and its gradient sums them, as GEMMs. */
  private readonly ones: number;
  private f32!: FloatView;
  private readonly size: 4 | 8;
  private readonly precision: Precision;
  private gemm!: Gemm;
  private forwardChannels: ChannelCall[] = [];
  private backwardChannels: ChannelCall[] = [];
  /** The activation and its slopes in SIMD (float32 softplus and tanh); else a JS loop. */
  private activationLanes: ChannelCall | null = null;

  constructor(
    readonly layout: MlpLayout,
    readonly activation: ActivationName,
    readonly channels: readonly Channel[],
    readonly block: number,
    arena: Arena,
  ) {
    this.rows = channels.length * block;
    this.size = arena.size;
    this.precision = arena.size === 4 ? 'float32' : 'float64';
    this.layers = layout.layers.map((layer, l) => {
      const inWidth = pad4(layer.inSize);
      const outWidth = pad4(layer.outSize);
      const hidden = l + 1 < layout.layers.length;
      return {
        ...layer,
        inWidth,
        outWidth,
        weights: arena.take(inWidth * outWidth),
        transposed: arena.take(inWidth * outWidth),
        weightGradient: arena.take(inWidth * outWidth),
        bias: arena.take(outWidth),
        biasGradient: arena.take(outWidth),
        pre: arena.take(this.rows * outWidth),
        post: hidden ? arena.take(this.rows * outWidth) : -1,
        adjoint: arena.take(this.rows * outWidth),
        slopes: [0, 1, 2].map(() => (hidden ? arena.take(block * outWidth) : -1)) as [
          number,
          number,
          number,
        ],
      };
    });
    this.ones = arena.take(block);
  }

  get inputWidth(): number {
    return this.layers[0]!.inWidth;
  }

  get outputWidth(): number {
    return this.layers[this.layers.length - 1]!.outWidth;
  }

  /** The output channels' values [C·B × outputWidth] (float index into the memory). */
  get outputAt(): number {
    return this.layers[this.layers.length - 1]!.pre / this.size;
  }

  /** Where the caller writes the output channels' adjoints (float index). */
  get outputAdjointAt(): number {
    return this.layers[this.layers.length - 1]!.adjoint / this.size;
  }

  bind(memory: WasmMemory, gemm: Gemm): void {
    this.f32 = LANES[this.precision].view(memory.buffer);
    this.gemm = gemm;
    this.f32.fill(1, this.ones / this.size, this.ones / this.size + this.block);
    const hidden = this.layers.slice(0, -1);
    const build = (direction: 'forward' | 'backward') =>
      hidden.map(
        (L) =>
          instantiateKernel(
            emitChannelKernel(
              this.channels,
              this.size * this.block * L.outWidth,
              direction,
              this.precision,
            ),
            [],
            0,
            memory,
          ).exports.channels as ChannelCall,
      );
    this.forwardChannels = build('forward');
    const lanes = ACTIVATION_LANES[this.activation];
    if (lanes && this.precision === 'float32')
      this.activationLanes = instantiateKernel(lanes.emit(), [], 0, memory).exports[
        lanes.name
      ] as ChannelCall;
    this.backwardChannels = build('backward');
  }

  /** W, Wᵀ and b in the kernel's precision from θ (zero in the padding). */
  setWeights(theta: ArrayLike<number>): void {
    const f = this.f32;
    for (const L of this.layers) {
      const W = L.weights / this.size;
      const T = L.transposed / this.size;
      for (let i = 0; i < L.inSize; i++)
        for (let k = 0; k < L.outSize; k++) {
          const w = theta[L.w + i * L.outSize + k]!;
          f[W + i * L.outWidth + k] = w;
          f[T + k * L.inWidth + i] = w;
        }
      for (let k = 0; k < L.outSize; k++) f[L.bias / this.size + k] = theta[L.b + k]!;
    }
  }

  /** The forward pass from the input channels at byte offset `inputs` ([C·B × inputWidth]). */
  forward(inputs: number): void {
    let below = inputs;
    this.layers.forEach((L, l) => {
      this.gemm.product(
        { at: below, rowStride: this.size * L.inWidth, columnStride: this.size },
        { at: L.weights, rowStride: this.size * L.outWidth },
        { at: L.pre, rowStride: this.size * L.outWidth },
        this.rows,
        L.inWidth,
        L.outWidth,
      );
      // the bias enters the value channel only: Z[0:B] += 1 · bᵀ
      this.gemm.product(
        { at: this.ones, rowStride: this.size, columnStride: 0 },
        { at: L.bias, rowStride: 0 },
        { at: L.pre, rowStride: this.size * L.outWidth },
        this.block,
        1,
        L.outWidth,
        true,
      );
      if (l + 1 < this.layers.length) {
        this.activate(l);
        below = L.post;
      }
    });
  }

  /** h = σ(z) and σ′, σ″, σ‴ at the value channel in JS, then every other channel in SIMD. */
  private activate(l: number): void {
    const L = this.layers[l]!;
    const size = this.block * L.outWidth;
    const [s1, s2, s3] = L.slopes;
    if (this.activationLanes) this.activationLanes(L.pre, L.post, s1, s2, s3, this.size * size);
    else {
      const e = this.size;
      SLOPES[this.activation](this.f32, L.pre / e, L.post / e, s1 / e, s2 / e, s3 / e, size);
    }
    this.forwardChannels[l]!(L.pre, L.post, s1, s2, s3, this.size * size);
  }

  /**
   * The reverse pass: with the output adjoints written at `outputAdjointAt`, adds ∂loss/∂θ of
   * this block into `gradient` (float64).
   */
  backward(inputs: number, gradient: Float64Array): void {
    const f = this.f32;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l]!;
      const below = l > 0 ? this.layers[l - 1]!.post : inputs;
      // W̄ = Hᵀ Z̄ over all rows (every channel and point)
      this.gemm.product(
        { at: below, rowStride: this.size, columnStride: this.size * L.inWidth },
        { at: L.adjoint, rowStride: this.size * L.outWidth },
        { at: L.weightGradient, rowStride: this.size * L.outWidth },
        L.inSize,
        this.rows,
        L.outWidth,
      );
      const G = L.weightGradient / this.size;
      for (let i = 0; i < L.inSize; i++)
        for (let k = 0; k < L.outSize; k++)
          gradient[L.w + i * L.outSize + k]! += f[G + i * L.outWidth + k]!;
      // b̄ = 1ᵀ Z̄[0:B]: the value rows' sum
      this.gemm.product(
        { at: this.ones, rowStride: 0, columnStride: this.size },
        { at: L.adjoint, rowStride: this.size * L.outWidth },
        { at: L.biasGradient, rowStride: 0 },
        1,
        this.block,
        L.outWidth,
      );
      const bG = L.biasGradient / this.size;
      for (let k = 0; k < L.outSize; k++) gradient[L.b + k]! += f[bG + k]!;
      if (l === 0) break;
      const B = this.layers[l - 1]!;
      // H̄ below = Z̄ Wᵀ, then through σ to Z̄ below
      this.gemm.product(
        { at: L.adjoint, rowStride: this.size * L.outWidth, columnStride: this.size },
        { at: L.transposed, rowStride: this.size * L.inWidth },
        { at: B.adjoint, rowStride: this.size * B.outWidth },
        this.rows,
        L.outWidth,
        L.inWidth,
      );
      this.activateBackward(l - 1);
    }
  }

  /** H̄ → Z̄ in place, the transpose of `activate` (emitChannelKernel's backward kernel). */
  private activateBackward(l: number): void {
    const L = this.layers[l]!;
    const [s1, s2, s3] = L.slopes;
    this.backwardChannels[l]!(L.pre, L.adjoint, s1, s2, s3, this.size * this.block * L.outWidth);
  }
}
