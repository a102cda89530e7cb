import type { HostFunction } from '../../wasm/host-functions';
import { symmetricSolver, type Arithmetic } from '../../symmetric-solve';
import { Code } from '../../wasm/code';
import { Op, Simd } from '../../wasm/wasm-writer';

/** A value and its tangents ∂/∂θ_j (absent j: identically zero). */
export interface Dual {
  readonly value: number;
  readonly tangent: ReadonlyMap<number, number>;
}

/**
 * Vector (f64x2) locals and the operations the tangent kernel is written with: each helper
 * emits its instruction and returns the local holding the result.
 */
export class DualBuilder {
  protected readonly c = new Code();
  protected vectors = 0;
  protected readonly hostFunctions: HostFunction[] = [];
  protected one = -1;

  /** Factor M once (symmetric-solve.ts: closed form for d ≤ 2, elimination above). */
  protected massSolver(d: number, M: (i: number, k: number) => Dual): (rhs: number[]) => number[] {
    return symmetricSolver(this.lanesArithmetic, d, (i, k) => M(i, k).value);
  }

  /** The float64 lanes' arithmetic (each operation emits its instructions). */
  private readonly lanesArithmetic: Arithmetic<number> = {
    add: (a, b) => this.op(Simd.f64x2Add, a, b),
    sub: (a, b) => this.op(Simd.f64x2Sub, a, b),
    mul: (a, b) => this.op(Simd.f64x2Mul, a, b),
    div: (a, b) => this.op(Simd.f64x2Div, a, b),
  };

  /** ta + sign·tb (sign ±1), optionally tb scaled by `by` first; absent entries are zero. */
  protected combine(
    ta: ReadonlyMap<number, number>,
    tb: ReadonlyMap<number, number>,
    sign: 1 | -1,
    by?: number,
  ): Map<number, number> {
    const out = new Map<number, number>();
    const keys = [...new Set([...ta.keys(), ...tb.keys()])].sort((x, y) => x - y);
    for (const j of keys) {
      const a = ta.get(j);
      let b = tb.get(j);
      if (b !== undefined && by !== undefined) b = this.op(Simd.f64x2Mul, by, b);
      if (b === undefined) out.set(j, a!);
      else if (a === undefined) out.set(j, sign === 1 ? b : this.unary(Simd.f64x2Neg, b));
      else out.set(j, this.op(sign === 1 ? Simd.f64x2Add : Simd.f64x2Sub, a, b));
    }
    return out;
  }

  protected scale(t: ReadonlyMap<number, number>, by: number): Map<number, number> {
    return this.mapTangent(t, (x) => (x === this.one ? by : this.op(Simd.f64x2Mul, x, by)));
  }

  protected mapTangent(t: ReadonlyMap<number, number>, f: (local: number) => number) {
    return new Map([...t].map(([j, local]) => [j, f(local)] as const));
  }

  /** A host function lane by lane. */
  protected host(fn: HostFunction, args: readonly number[]): number {
    const { c } = this;
    let index = this.hostFunctions.indexOf(fn);
    if (index < 0) index = this.hostFunctions.push(fn) - 1;
    const out = this.vector();
    c.get(args[0]!);
    for (let lane = 0; lane < 2; lane++) {
      for (const a of args) c.get(a).simd(Simd.f64x2ExtractLane, lane);
      c.op(Op.call).bytes.u32(index);
      c.simd(Simd.f64x2ReplaceLane, lane);
    }
    c.set(out);
    return out;
  }

  protected op(opcode: number, a: number, b: number): number {
    const out = this.vector();
    this.c.get(a).get(b).simd(opcode).set(out);
    return out;
  }

  protected unary(opcode: number, a: number): number {
    const out = this.vector();
    this.c.get(a).simd(opcode).set(out);
    return out;
  }

  protected splat(value: number): number {
    const out = this.vector();
    this.c.f64(value).simd(Simd.f64x2Splat).set(out);
    return out;
  }
  protected vector(): number {
    return 1 + this.vectors++;
  }
}
