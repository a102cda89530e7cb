import { Code } from './code';
import { Simd } from './wasm-writer';
import { instantiateKernel } from './kernel-memory';
import { LANES } from './lanes';
import type { Precision } from '../../../src-shared/dto/precision';
import { assembleModule, I32, Op, V128 } from './wasm-writer';
import type { WasmMemory } from './wasm-runtime';
import { RELAXED_MADD, relaxedMaddAvailable } from './relaxed-simd';

/**
 * Output columns and rows one call of the blocked kernel computes: 2 rows × 4 v128 accumulators,
 * each B vector loaded once for both rows. Measured on this 2-core Xeon (1407 × 64 · 64 × 64,
 * float32): 8–9 GMAC/s against 7 for one row × 8 v128; 3 rows (12 accumulators) was no faster.
 */
export const GEMM_PANEL: Record<Precision, number> = { float32: 16, float64: 8 };
export const GEMM_ROWS = 2;

/**
 * C[i, 0:P] (+)= Σ_t A(i, t) · B[t, 0:P] in SIMD for R rows at a time (rows a multiple of R),
 * P a multiple of 4 fixed at build time. A is addressed by two strides, so one kernel does H·W
 * (A row-major), Hᵀ·Z̄ (A read down its columns: the weight gradient) and Z̄·Wᵀ (with Wᵀ stored):
 * every matrix product of an MLP's forward and reverse pass. Strides are in bytes; B's and C's
 * rows are 16-byte aligned.
 */
export function emitGemm(
  panel: number,
  precision: Precision = 'float32',
  rowBlock = 1,
  fusedMultiplyAdd = false,
): Uint8Array {
  if (panel % 4 !== 0 || panel < 4) throw new Error(`GEMM panel ${panel} is not a multiple of 4`);
  const L = LANES[precision];
  const lanes = (panel * L.bytes) / 16;
  const R = rowBlock;
  // parameters: a b c rows inner aRow aInner bRow cRow accumulate
  const [a, b, c, rows, inner, aRow, aInner, bRow, cRow, accumulate] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const [i, t, pB, pC, end] = [10, 11, 12, 13, 14];
  const pA = (r: number) => 15 + r; // row r of the block in A
  const splat = (r: number) => 15 + R + r;
  const bVector = 15 + 2 * R;
  const acc = (r: number, j: number) => 16 + 2 * R + r * lanes + j;
  const code = new Code();
  const loop = (counter: number, limit: number, step: number, body: () => void) =>
    code.forEach(counter, { local: limit }, body, step);
  // the row r's C address: pC + r·cRow
  const cAt = (r: number) => {
    code.get(pC);
    if (r > 0) code.get(cRow).i32(r).op(Op.i32Mul, Op.i32Add);
  };
  code.get(inner).set(end);
  loop(i, rows, R, () => {
    code.get(i).get(cRow).op(Op.i32Mul).get(c).op(Op.i32Add).set(pC);
    code.get(accumulate).op(IF, VOID);
    for (let r = 0; r < R; r++)
      for (let j = 0; j < lanes; j++) {
        cAt(r);
        code.loadV(16 * j).set(acc(r, j));
      }
    code.op(ELSE);
    for (let r = 0; r < R; r++)
      for (let j = 0; j < lanes; j++) code.f64(0).simd(Simd.f64x2Splat).set(acc(r, j));
    code.op(Op.end);
    for (let r = 0; r < R; r++)
      code.get(i).i32(r).op(Op.i32Add).get(aRow).op(Op.i32Mul).get(a).op(Op.i32Add).set(pA(r));
    code.get(b).set(pB);
    loop(t, end, 1, () => {
      for (let r = 0; r < R; r++) {
        if (L.bytes === 4) code.get(pA(r)).loadF32(0);
        else code.get(pA(r)).loadF64(0);
        code.simd(L.splat).set(splat(r));
        code.get(pA(r)).get(aInner).op(Op.i32Add).set(pA(r));
      }
      for (let j = 0; j < lanes; j++) {
        code
          .get(pB)
          .loadV(16 * j)
          .set(bVector);
        // acc += a·b: one relaxed madd where the runtime has it (1.25–1.35× the GEMM here)
        for (let r = 0; r < R; r++) {
          if (fusedMultiplyAdd)
            code.get(splat(r)).get(bVector).get(acc(r, j)).simd(RELAXED_MADD[precision]);
          else code.get(acc(r, j)).get(splat(r)).get(bVector).simd(L.mul).simd(L.add);
          code.set(acc(r, j));
        }
      }
      code.get(pB).get(bRow).op(Op.i32Add).set(pB);
    });
    for (let r = 0; r < R; r++)
      for (let j = 0; j < lanes; j++) {
        cAt(r);
        code.get(acc(r, j)).storeV(16 * j);
      }
  });
  return assembleModule({
    memoryPages: 1,
    imports: [],
    exportName: 'gemm',
    params: new Array<typeof I32>(10).fill(I32),
    locals: [
      [5 + R, I32],
      [R + 1 + R * lanes, V128],
    ],
    body: code.bytes,
  });
}

const IF = 0x04;
const ELSE = 0x05;
const VOID = 0x40;

type GemmCall = (...args: number[]) => void;

/** A matrix operand in one WebAssembly memory (byte offsets). */
export interface MatrixOperand {
  /** Byte offset of element (0, 0). */
  readonly at: number;
  /** Bytes between consecutive rows and consecutive columns. */
  readonly rowStride: number;
  readonly columnStride: number;
}

/**
 * The GEMM kernels on one memory: `product(A, B, C, rows, inner, columns)` with columns any
 * multiple of 4 (full panels, then one narrower kernel for the rest).
 */
export class Gemm {
  private readonly kernels = new Map<number, GemmCall>();

  constructor(
    readonly memory: WasmMemory,
    readonly precision: Precision = 'float32',
    /** a·b + c as one relaxed madd (relaxed-simd.ts); off: a multiply and an add. */
    readonly fusedMultiplyAdd = relaxedMaddAvailable(),
  ) {}

  private kernel(panel: number, rowBlock: number): GemmCall {
    const key = panel * 16 + rowBlock;
    let k = this.kernels.get(key);
    if (!k) {
      const module = emitGemm(panel, this.precision, rowBlock, this.fusedMultiplyAdd);
      k = instantiateKernel(module, [], 0, this.memory).exports.gemm as GemmCall;
      this.kernels.set(key, k);
    }
    return k;
  }

  /**
   * C (+)= A·B: A rows × inner (any strides), B inner × columns (row stride bRow bytes), C rows ×
   * columns (row stride cRow bytes); columns a multiple of 4.
   */
  product(
    A: MatrixOperand,
    B: { at: number; rowStride: number },
    C: { at: number; rowStride: number },
    rows: number,
    inner: number,
    columns: number,
    accumulate = false,
  ): void {
    const size = LANES[this.precision].bytes;
    const widest = GEMM_PANEL[this.precision];
    // whole blocks of GEMM_ROWS rows, then the last rows one at a time
    const blocked = rows - (rows % GEMM_ROWS);
    for (let j0 = 0; j0 < columns; j0 += widest) {
      const panel = Math.min(widest, columns - j0);
      for (const [first, count, rowBlock] of [
        [0, blocked, GEMM_ROWS],
        [blocked, rows - blocked, 1],
      ] as const) {
        if (count === 0) continue;
        this.kernel(panel, rowBlock)(
          A.at + first * A.rowStride,
          B.at + size * j0,
          C.at + first * C.rowStride + size * j0,
          count,
          inner,
          A.rowStride,
          A.columnStride,
          B.rowStride,
          C.rowStride,
          accumulate ? 1 : 0,
        );
      }
    }
  }
}
