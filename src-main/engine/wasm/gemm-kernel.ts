import { Code } from './code';
import { Simd } from './wasm-writer';
import { instantiateKernel } from './kernel-memory';
import { LANES, type Precision } from './lanes';
import { assembleModule, I32, Op, V128 } from './wasm-writer';
import type { WasmMemory } from './wasm-runtime';

/** Output columns one call computes: 8 v128 accumulators stay in registers. */
export const GEMM_PANEL: Record<Precision, number> = { float32: 32, float64: 16 };

/**
 * C[i, 0:P] (+)= Σ_t A(i, t) · B[t, 0:P] in SIMD, P a multiple of 4 fixed at build time.
 * A is addressed by two strides, so one kernel does H·W (A row-major), Hᵀ·Z̄ (A read down its
 * columns: the weight gradient) and Z̄·Wᵀ (with Wᵀ stored): every matrix product of an MLP's
 * forward and reverse pass. Strides are in bytes; B's and C's rows are 16-byte aligned.
 */
export function emitGemm(panel: number, precision: Precision = 'float32'): Uint8Array {
  if (panel % 4 !== 0 || panel < 4) throw new Error(`GEMM panel ${panel} is not a multiple of 4`);
  const L = LANES[precision];
  const lanes = (panel * L.bytes) / 16;
  // parameters: a b c rows inner aRow aInner bRow cRow accumulate
  const [a, b, c, rows, inner, aRow, aInner, bRow, cRow, accumulate] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const [i, t, pA, pB, pC] = [10, 11, 12, 13, 14];
  const av = 15;
  const acc = (j: number) => 16 + j;
  const code = new Code();
  code.forEach(i, { local: rows }, () => {
    code.get(i).get(cRow).op(Op.i32Mul).get(c).op(Op.i32Add).set(pC);
    code.get(accumulate).op(IF, VOID);
    for (let j = 0; j < lanes; j++)
      code
        .get(pC)
        .loadV(16 * j)
        .set(acc(j));
    code.op(ELSE);
    for (let j = 0; j < lanes; j++) code.f64(0).simd(Simd.f64x2Splat).set(acc(j));
    code.op(Op.end);
    code.get(i).get(aRow).op(Op.i32Mul).get(a).op(Op.i32Add).set(pA);
    code.get(b).set(pB);
    code.forEach(t, { local: inner }, () => {
      if (L.bytes === 4) code.get(pA).loadF32(0);
      else code.get(pA).loadF64(0);
      code.simd(L.splat).set(av);
      for (let j = 0; j < lanes; j++)
        code
          .get(acc(j))
          .get(av)
          .get(pB)
          .loadV(16 * j)
          .simd(L.mul)
          .simd(L.add)
          .set(acc(j));
      code.get(pA).get(aInner).op(Op.i32Add).set(pA);
      code.get(pB).get(bRow).op(Op.i32Add).set(pB);
    });
    for (let j = 0; j < lanes; j++)
      code
        .get(pC)
        .get(acc(j))
        .storeV(16 * j);
  });
  return assembleModule({
    memoryPages: 1,
    imports: [],
    exportName: 'gemm',
    params: new Array<typeof I32>(10).fill(I32),
    locals: [
      [5, I32],
      [1 + lanes, V128],
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
  ) {}

  private kernel(panel: number): GemmCall {
    let k = this.kernels.get(panel);
    if (!k) {
      const module = emitGemm(panel, this.precision);
      k = instantiateKernel(module, [], 0, this.memory).exports.gemm as GemmCall;
      this.kernels.set(panel, k);
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
    for (let j0 = 0; j0 < columns; j0 += widest) {
      const panel = Math.min(widest, columns - j0);
      this.kernel(panel)(
        A.at,
        B.at + size * j0,
        C.at + size * j0,
        rows,
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
