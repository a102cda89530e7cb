import type { EquationsOfMotion } from '../../dynamics';
import type { HostFunction } from '../../wasm/host-functions';
import type { Program } from '../../expression/program';
import { Code } from '../../wasm/code';
import {
  assembleModule,
  F64,
  I32,
  Op,
  Simd,
  V128,
  type FunctionImport,
} from '../../wasm/wasm-writer';
import { pagesFor } from '../../wasm/kernel-memory';
import { laneCount, type KernelLayout } from './kernel-layout';
import { operandsOf } from './slot-kinds';
import { FUNCTIONS } from '../../expression/functions';
import { symmetricSolver, type Arithmetic } from '../../symmetric-solve';

export interface EmittedKernel {
  readonly bytes: Uint8Array;
  /** The host functions imported, in import order (env.f0, env.f1, …). */
  readonly hostFunctions: readonly HostFunction[];
}

// Locals: 0 cellStart, 1 cellEnd (params), 2 cell, 3 point byte offset, then v128 values.
const CELL_START = 0;
const CELL_END = 1;
const CELL = 2;
const POINT = 3;
const FIRST_VECTOR = 4;

/**
 * The landscape loss of every cell in [cellStart, cellEnd) as one WebAssembly function:
 *   loss[c] = scale · Σ_s w_s Σ_i (q̈_i(θ_c; q_s, q̇_s) − q̈ᵈᵃᵗᵃ_i,s)²
 * with q̈ = M⁻¹ f from the Euler–Lagrange program. Only the program's mixed slots (depending on
 * both the cell and the point) are computed here, 2 or 4 points per SIMD instruction; everything
 * else was hoisted by the caller into columns and constants. Nothing [cells × n] is materialised.
 */
export function emitLandscapeKernel(eom: EquationsOfMotion, layout: KernelLayout): EmittedKernel {
  return new KernelEmitter(eom, layout).emit();
}

class KernelEmitter {
  private readonly program: Program;
  private readonly d: number;
  private readonly f32: boolean;
  private readonly lanes: number;
  private readonly c = new Code();
  private vectors = 0;
  private readonly localOf = new Map<number, number>();
  private readonly hostFunctions: HostFunction[] = [];

  constructor(
    private readonly eom: EquationsOfMotion,
    private readonly layout: KernelLayout,
  ) {
    this.program = eom.program;
    this.d = eom.coordinates.length;
    this.f32 = layout.precision === 'float32';
    this.lanes = laneCount(layout.precision);
  }

  emit(): EmittedKernel {
    const { c, layout } = this;
    // Constants once, at entry.
    for (const [slot, value] of layout.uniformValues) this.setSplatConstant(slot, value);
    const cells = () => {
      for (const [slot, offset] of layout.cellColumns) this.loadCellValue(slot, offset);
      const acc = this.newVector();
      this.splatConstant(0);
      c.set(acc);
      c.forEach(POINT, { value: layout.pointBytes }, () => this.pointBody(acc), 16);
      this.storeCellLoss(acc);
    };
    c.forEach(CELL, { local: CELL_END }, cells, 1, { local: CELL_START });
    const imports: FunctionImport[] = this.hostFunctions.map((f, i) => ({
      module: 'env',
      name: `f${i}`,
      params: f === 'pow' ? [F64, F64] : [F64],
      results: [F64],
    }));
    const bytes = assembleModule({
      memoryPages: pagesFor(layout.bytes),
      imports,
      exportName: 'kernel',
      params: [I32, I32],
      locals: [
        [2, I32],
        [this.vectors, V128],
      ],
      body: c.bytes,
    });
    return { bytes, hostFunctions: this.hostFunctions };
  }

  private pointBody(acc: number) {
    const c = this.c;
    for (const [slot, offset] of this.layout.pointColumns)
      c.get(POINT).loadV(offset).set(this.bind(slot));
    this.program.instructions.forEach((ins, slot) => {
      if (this.layout.kinds[slot] === 'mixed') this.mixedInstruction(slot);
    });
    const qdd = this.accelerations();
    // acc += w · Σ_i (q̈_i − q̈ᵈᵃᵗᵃ_i)²
    c.get(acc);
    qdd.forEach((local, i) => {
      const r = this.newVector();
      c.get(local).get(POINT).loadV(this.layout.targets[i]!);
      this.arith('sub');
      c.tee(r).get(r);
      this.arith('mul');
      if (i > 0) this.arith('add');
    });
    if (this.layout.weights !== null) {
      c.get(POINT).loadV(this.layout.weights);
      this.arith('mul');
    }
    this.arith('add');
    c.set(acc);
  }

  /** loss[c] = scale · (sum of the accumulator's lanes), summed in float64. */
  private storeCellLoss(acc: number) {
    const c = this.c;
    c.get(CELL).i32(8).op(Op.i32Mul);
    for (let lane = 0; lane < this.lanes; lane++) {
      c.get(acc).simd(this.f32 ? Simd.f32x4ExtractLane : Simd.f64x2ExtractLane, lane);
      if (this.f32) c.op(Op.f64PromoteF32);
      if (lane > 0) c.op(Op.f64Add);
    }
    c.f64(this.layout.scale).op(Op.f64Mul).storeF64(this.layout.output);
  }

  private loadCellValue(slot: number, offset: number) {
    const c = this.c;
    c.get(CELL).i32(8).op(Op.i32Mul).loadF64(offset);
    if (this.f32) c.op(Op.f32DemoteF64);
    c.simd(this.f32 ? Simd.f32x4Splat : Simd.f64x2Splat).set(this.bind(slot));
  }

  private mixedInstruction(slot: number) {
    const ins = this.program.instructions[slot]!;
    const out = this.bind(slot);
    const get = (s: number) => this.c.get(this.localOf.get(s)!);
    for (const s of operandsOf(ins))
      if (!this.localOf.has(s)) throw new Error(`internal: slot ${s} has no value in the kernel`);
    switch (ins.op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
        get(ins.a);
        get(ins.b);
        this.arith(ins.op);
        break;
      case 'neg':
        get(ins.a);
        this.c.simd(this.f32 ? Simd.f32x4Neg : Simd.f64x2Neg);
        break;
      case 'pow':
        this.power(ins.a, ins.b);
        break;
      case 'fn': {
        // the function's SIMD instruction where WebAssembly has one, else its value per lane
        const simd = FUNCTIONS[ins.fn].simd;
        if (simd) {
          get(ins.a);
          this.c.simd(this.f32 ? simd.f32 : simd.f64);
        } else this.perLane(ins.fn, [ins.a]);
        break;
      }
      default:
        throw new Error(`internal: ${ins.op} cannot be a mixed slot`);
    }
    this.c.set(out);
  }

  /** x^e: small integer exponents by squaring (exact for negative bases), ±½ by sqrt. */
  private power(base: number, exponent: number) {
    const e = this.layout.uniformValues.get(exponent);
    const c = this.c;
    if (e === undefined || !(Number.isInteger(e * 2) && Math.abs(e) <= 64) || e === 0) {
      this.perLane('pow', [base, exponent]);
      return;
    }
    const x = this.localOf.get(base)!;
    let magnitude = Math.abs(e);
    if (!Number.isInteger(magnitude)) {
      if (magnitude !== 0.5) return this.perLane('pow', [base, exponent]);
      c.get(x).simd(this.f32 ? Simd.f32x4Sqrt : Simd.f64x2Sqrt);
    } else {
      // Binary exponentiation over locals: result on the stack at the end.
      let square = x;
      let result: number | null = null;
      while (magnitude > 0) {
        if (magnitude & 1) {
          if (result === null) result = square;
          else {
            c.get(result).get(square);
            this.arith('mul');
            c.set((result = this.newVector()));
          }
        }
        magnitude >>= 1;
        if (magnitude > 0) {
          c.get(square).get(square);
          this.arith('mul');
          c.set((square = this.newVector()));
        }
      }
      c.get(result!);
    }
    if (e < 0) {
      const t = this.newVector();
      c.set(t);
      this.splatConstant(1);
      c.get(t);
      this.arith('div');
    }
  }

  /** A host function applied lane by lane (promoted to float64 and back for float32 lanes). */
  private perLane(fn: HostFunction, args: readonly number[]) {
    const c = this.c;
    let index = this.hostFunctions.indexOf(fn);
    if (index < 0) index = this.hostFunctions.push(fn) - 1;
    const locals = args.map((s) => this.localOf.get(s)!);
    c.get(locals[0]!);
    for (let lane = 0; lane < this.lanes; lane++) {
      for (const local of locals) {
        c.get(local).simd(this.f32 ? Simd.f32x4ExtractLane : Simd.f64x2ExtractLane, lane);
        if (this.f32) c.op(Op.f64PromoteF32);
      }
      c.call(index);
      if (this.f32) c.op(Op.f32DemoteF64);
      c.simd(this.f32 ? Simd.f32x4ReplaceLane : Simd.f64x2ReplaceLane, lane);
    }
  }

  /** q̈ = M⁻¹ f as locals, mirroring `accelerationsTensor` / `solveMassTensor`. */
  private accelerations(): number[] {
    const d = this.d;
    const outputs = this.program.outputs.map((s) => this.localOf.get(s)!);
    const f = outputs.slice(0, d);
    const inv = this.eom.constantMassInverse;
    if (inv) {
      return inv.map((row) => {
        let acc: number | null = null;
        row.forEach((c, j) => {
          if (c === 0) return;
          const term = c === 1 ? f[j]! : this.op('mul', this.constant(c), f[j]!);
          acc = acc === null ? term : this.op('add', acc, term);
        });
        return acc ?? this.constant(0);
      });
    }
    const upper = (i: number, j: number) => {
      const [r, c] = i <= j ? [i, j] : [j, i];
      return outputs[d + r * d - (r * (r - 1)) / 2 + (c - r)]!;
    };
    return symmetricSolver(this.arithmetic, d, upper)(f);
  }

  /** The lanes' arithmetic, for the shared mass-matrix solve (each operation emits its code). */
  private readonly arithmetic: Arithmetic<number> = {
    add: (a, b) => this.op('add', a, b),
    sub: (a, b) => this.op('sub', a, b),
    mul: (a, b) => this.op('mul', a, b),
    div: (a, b) => this.op('div', a, b),
  };

  private op(kind: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number {
    const out = this.newVector();
    this.c.get(a).get(b);
    this.arith(kind);
    this.c.set(out);
    return out;
  }

  private constant(value: number): number {
    const out = this.newVector();
    this.splatConstant(value);
    this.c.set(out);
    return out;
  }

  private arith(kind: 'add' | 'sub' | 'mul' | 'div') {
    const f32 = { add: Simd.f32x4Add, sub: Simd.f32x4Sub, mul: Simd.f32x4Mul, div: Simd.f32x4Div };
    const f64 = { add: Simd.f64x2Add, sub: Simd.f64x2Sub, mul: Simd.f64x2Mul, div: Simd.f64x2Div };
    this.c.simd((this.f32 ? f32 : f64)[kind]);
  }

  private setSplatConstant(slot: number, value: number) {
    this.splatConstant(value);
    this.c.set(this.bind(slot));
  }

  private splatConstant(value: number) {
    if (this.f32) this.c.f32(value);
    else this.c.f64(value);
    this.c.simd(this.f32 ? Simd.f32x4Splat : Simd.f64x2Splat);
  }

  private bind(slot: number): number {
    const local = this.newVector();
    this.localOf.set(slot, local);
    return local;
  }

  private newVector(): number {
    return FIRST_VECTOR + this.vectors++;
  }
}
