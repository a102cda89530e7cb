import { Code } from '../../wasm/code';
import { align16, pagesFor } from '../../wasm/kernel-memory';
import { wasm } from '../../wasm/wasm-runtime';
import { assembleModule, I32, Op, Simd, V128 } from '../../wasm/wasm-writer';

/** Rows per block: a block of A (rows × p float32) stays in cache between its two passes. */
const BLOCK_ROWS = 128;

export interface DesignProblem {
  /** A as p columns of m rows (m = d·n, row = component·n + sample), in float64. */
  readonly columns: readonly Float64Array[];
  /** t = q̈_data − a0, m rows. */
  readonly target: Float64Array;
  /** Per-row weights, or null for all 1. */
  readonly weights: Float64Array | null;
  /** 1/n for the mean loss, 1 for the sum. */
  readonly scale: number;
}

/**
 * The design route's loss and gradient in one WebAssembly SIMD pass over A, block by block:
 *   r = Aθ − t,  loss = s Σ w r²,  ∇ = 2s Aᵀ(w ⊙ r)
 * (what autodiff of the float32 matmul gives), A and θ in float32 like the tfjs design route,
 * the sums over blocks in float64. Each block's columns are read twice while still in cache,
 * so a step streams A once.
 */
export class DesignKernel {
  private readonly gradient: Float64Array;
  private readonly theta: Float32Array;
  private readonly lossCell: Float64Array;
  private readonly run: (blocks: number) => void;
  private readonly blocks: number;

  constructor(problem: DesignProblem) {
    const p = problem.columns.length;
    const m = problem.target.length;
    const weighted = problem.weights !== null;
    this.blocks = Math.ceil(m / BLOCK_ROWS);
    const thetaOffset = 0;
    const gradOffset = align16(p * 4);
    const lossOffset = gradOffset + align16(p * 8);
    const rOffset = lossOffset + 16;
    const blocksOffset = rOffset + BLOCK_ROWS * 4;
    const targetInBlock = p * BLOCK_ROWS * 4;
    const weightInBlock = targetInBlock + BLOCK_ROWS * 4;
    const blockBytes = weightInBlock + (weighted ? BLOCK_ROWS * 4 : 0);
    const bytes = blocksOffset + this.blocks * blockBytes;
    const pages = pagesFor(bytes);
    const memory = new wasm.Memory({ initial: pages });
    const f32 = new Float32Array(memory.buffer);
    // Fill the blocks (rows past m stay zero: they add nothing to the loss or the gradient).
    for (let b = 0; b < this.blocks; b++) {
      const base = (blocksOffset + b * blockBytes) / 4;
      const rows = Math.min(BLOCK_ROWS, m - b * BLOCK_ROWS);
      for (let r = 0; r < rows; r++) {
        const row = b * BLOCK_ROWS + r;
        for (let a = 0; a < p; a++) f32[base + a * BLOCK_ROWS + r] = problem.columns[a]![row]!;
        f32[base + targetInBlock / 4 + r] = problem.target[row]!;
        if (problem.weights) f32[base + weightInBlock / 4 + r] = problem.weights[row]!;
      }
    }
    const code = emit({
      p,
      weighted,
      gradOffset,
      lossOffset,
      rOffset,
      blocksOffset,
      targetInBlock,
      weightInBlock,
      blockBytes,
    });
    const module = new wasm.Module(
      assembleModule({
        memoryPages: pages,
        imports: [],
        exportName: 'step',
        params: [I32],
        locals: [
          [5, I32],
          [3, V128],
        ],
        body: code.bytes,
      }),
    );
    const instance = new wasm.Instance(module, { env: { memory } });
    this.run = instance.exports.step as (blocks: number) => void;
    this.theta = new Float32Array(memory.buffer, thetaOffset, p);
    this.gradient = new Float64Array(memory.buffer, gradOffset, p);
    this.lossCell = new Float64Array(memory.buffer, lossOffset, 1);
    this.scale = problem.scale;
  }

  private readonly scale: number;

  evaluate(theta: Float64Array): { loss: number; gradient: Float64Array } {
    this.theta.set(theta);
    this.run(this.blocks);
    const s = this.scale;
    return {
      loss: s * this.lossCell[0]!,
      gradient: Float64Array.from(this.gradient, (g) => 2 * s * g),
    };
  }
}

interface Offsets {
  readonly p: number;
  readonly weighted: boolean;
  readonly gradOffset: number;
  readonly lossOffset: number;
  readonly rOffset: number;
  readonly blocksOffset: number;
  readonly targetInBlock: number;
  readonly weightInBlock: number;
  readonly blockBytes: number;
}

// Locals: 0 blocks (param); i32 1 b, 2 a, 3 i, 4 block base, 5 column base; v128 6 acc, 7 r, 8 wr.
const [BLOCKS, B, A, I, BASE, COL, ACC, R, WR] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

function emit(o: Offsets): Code {
  const c = new Code();
  const vectors = { value: BLOCK_ROWS / 4 };
  const zeroVector = (local: number) =>
    c.f64(0).op(Op.f32DemoteF64).simd(Simd.f32x4Splat).set(local);
  // ∇ = 0, loss = 0
  c.forEach(A, { value: o.p }, () => c.address(null, A, 8).f64(0).storeF64(o.gradOffset));
  c.i32(0).f64(0).storeF64(o.lossOffset);
  c.forEach(B, { local: BLOCKS }, () => {
    c.get(B).i32(o.blockBytes).op(Op.i32Mul).i32(o.blocksOffset).op(Op.i32Add).set(BASE);
    // r = −t
    c.forEach(I, vectors, () => {
      c.address(null, I, 16);
      c.address(BASE, I, 16).loadV(o.targetInBlock).simd(Simd.f32x4Neg);
      c.storeV(o.rOffset);
    });
    // r += θ_a A[:, a]
    c.forEach(A, { value: o.p }, () => {
      c.address(null, A, 4).loadF32(0).simd(Simd.f32x4Splat).set(WR);
      c.address(BASE, A, BLOCK_ROWS * 4).set(COL);
      c.forEach(I, vectors, () => {
        c.address(null, I, 16);
        c.address(null, I, 16).loadV(o.rOffset);
        c.get(WR).address(COL, I, 16).loadV(0).simd(Simd.f32x4Mul);
        c.simd(Simd.f32x4Add).storeV(o.rOffset);
      });
    });
    // loss += Σ w r²; r ← w r
    zeroVector(ACC);
    c.forEach(I, vectors, () => {
      c.address(null, I, 16).loadV(o.rOffset).set(R);
      c.get(R);
      if (o.weighted) c.address(BASE, I, 16).loadV(o.weightInBlock).simd(Simd.f32x4Mul);
      c.set(WR);
      c.get(ACC).get(WR).get(R).simd(Simd.f32x4Mul).simd(Simd.f32x4Add).set(ACC);
      c.address(null, I, 16).get(WR).storeV(o.rOffset);
    });
    c.i32(0).i32(0).loadF64(o.lossOffset).sumLanesF32(ACC).op(Op.f64Add).storeF64(o.lossOffset);
    // ∇_a += A[:, a] · (w r)
    c.forEach(A, { value: o.p }, () => {
      c.address(BASE, A, BLOCK_ROWS * 4).set(COL);
      zeroVector(ACC);
      c.forEach(I, vectors, () => {
        c.get(ACC).address(COL, I, 16).loadV(0);
        c.address(null, I, 16).loadV(o.rOffset).simd(Simd.f32x4Mul);
        c.simd(Simd.f32x4Add).set(ACC);
      });
      c.address(null, A, 8);
      c.address(null, A, 8).loadF64(o.gradOffset).sumLanesF32(ACC).op(Op.f64Add);
      c.storeF64(o.gradOffset);
    });
  });
  return c;
}
