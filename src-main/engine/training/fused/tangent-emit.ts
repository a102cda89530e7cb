import type { EquationsOfMotion } from '../../dynamics';
import type { HostFunction } from '../../wasm/host-functions';
import { operandsOf, type SlotKind } from '../../analysis/fused/slot-kinds';
import { DualBuilder, type Dual } from './dual-builder';
import { FUNCTIONS } from '../../expression/functions';
import type { Lanes } from '../../expression/functions/rules';
import type { FunctionName } from '../../expression/ir';
import {
  assembleModule,
  F64,
  I32,
  Op,
  Simd,
  V128,
  type FunctionImport,
} from '../../wasm/wasm-writer';

/** Where the tangent kernel finds its inputs and leaves loss and gradient (byte offsets). */
export interface TangentLayout {
  readonly kinds: readonly SlotKind[];
  /** Slot of each learnable parameter's input instruction, in θ order. */
  readonly parameterSlots: readonly number[];
  readonly pointColumns: ReadonlyMap<number, number>;
  readonly uniformValues: ReadonlyMap<number, number>;
  readonly targets: readonly number[];
  readonly weights: number | null;
  /** Bytes of one point column (npad float64 values). */
  readonly pointBytes: number;
  /** θ (p float64) in; loss (1 float64) and Σ w r·∂q̈/∂θ (p float64) out. */
  readonly theta: number;
  readonly loss: number;
  readonly gradient: number;
  readonly memoryPages: number;
}

// Locals: 0 point byte offset (i32), then v128 values.
const POINT = 0;

/**
 * Loss and gradient of the Euler–Lagrange fit in one WebAssembly function, float64 on two lanes:
 * forward-mode derivatives (dual numbers, one tangent per parameter, kept sparse) through the
 * program, then through the mass-matrix solve,  M ∂q̈/∂θ_j = ∂f/∂θ_j − (∂M/∂θ_j) q̈,  and
 *   loss = Σ_s w_s Σ_i r_i²,  ∂loss/∂θ_j = 2 Σ_s w_s Σ_i r_i ∂q̈_i/∂θ_j,  r = q̈ − q̈ᵈᵃᵗᵃ
 * (the caller scales by 1/n). Parameter-only slots are computed once per call, point-only ones
 * were hoisted into columns; only mixed slots run per point.
 */
export function emitTangentKernel(
  eom: EquationsOfMotion,
  layout: TangentLayout,
): { bytes: Uint8Array; hostFunctions: HostFunction[] } {
  const e = new TangentEmitter(eom, layout);
  return e.emit();
}

class TangentEmitter extends DualBuilder {
  private readonly duals = new Map<number, Dual>();

  constructor(
    private readonly eom: EquationsOfMotion,
    private readonly layout: TangentLayout,
  ) {
    super();
  }

  emit() {
    const { c, layout } = this;
    this.one = this.splat(1);
    for (const [slot, value] of layout.uniformValues) this.bindValue(slot, this.splat(value));
    layout.parameterSlots.forEach((slot, j) => {
      const v = this.vector();
      c.i32(0)
        .loadF64(layout.theta + 8 * j)
        .simd(Simd.f64x2Splat)
        .set(v);
      this.duals.set(slot, { value: v, tangent: new Map([[j, this.one]]) });
    });
    const program = this.eom.program;
    // Parameter-only slots: once per call.
    program.instructions.forEach((_, s) => {
      if (layout.kinds[s] === 'cell' && !this.duals.has(s)) this.instruction(s);
    });
    const p = layout.parameterSlots.length;
    const lossAcc = this.splat(0);
    const gradAcc = Array.from({ length: p }, () => this.splat(0));
    c.forEach(POINT, { value: layout.pointBytes / 16 }, () => {
      for (const [slot, offset] of layout.pointColumns) {
        const v = this.vector();
        c.address(null, POINT, 16).loadV(offset).set(v);
        this.bindValue(slot, v);
      }
      program.instructions.forEach((_, s) => {
        if (layout.kinds[s] === 'mixed') this.instruction(s);
      });
      this.accumulate(lossAcc, gradAcc);
    });
    const store = (offset: number, acc: number) => {
      c.i32(0);
      c.get(acc).simd(Simd.f64x2ExtractLane, 0).get(acc).simd(Simd.f64x2ExtractLane, 1);
      c.op(Op.f64Add).storeF64(offset);
    };
    store(layout.loss, lossAcc);
    gradAcc.forEach((acc, j) => store(layout.gradient + 8 * j, acc));
    const imports: FunctionImport[] = this.hostFunctions.map((f, i) => ({
      module: 'env',
      name: `f${i}`,
      params: f === 'pow' ? [F64, F64] : [F64],
      results: [F64],
    }));
    const bytes = assembleModule({
      memoryPages: layout.memoryPages,
      imports,
      exportName: 'kernel',
      params: [],
      locals: [
        [1, I32],
        [this.vectors, V128],
      ],
      body: c.bytes,
    });
    return { bytes, hostFunctions: this.hostFunctions };
  }

  /** Per point: r = q̈ − data, loss += w Σ r², ∂_j += w Σ r ∂_j q̈. */
  private accumulate(lossAcc: number, gradAcc: readonly number[]) {
    const { c, layout } = this;
    const qdd = this.accelerations();
    let weight: number | null = null;
    if (layout.weights !== null) {
      weight = this.vector();
      c.address(null, POINT, 16).loadV(layout.weights).set(weight);
    }
    qdd.forEach((x, i) => {
      const r = this.vector();
      c.get(x.value).address(null, POINT, 16).loadV(layout.targets[i]!);
      c.simd(Simd.f64x2Sub).set(r);
      const wr = weight === null ? r : this.op(Simd.f64x2Mul, weight, r);
      c.get(lossAcc).get(wr).get(r).simd(Simd.f64x2Mul).simd(Simd.f64x2Add).set(lossAcc);
      for (const [j, t] of x.tangent) {
        c.get(gradAcc[j]!).get(wr).get(t).simd(Simd.f64x2Mul);
        c.simd(Simd.f64x2Add).set(gradAcc[j]!);
      }
    });
  }

  private instruction(slot: number) {
    const ins = this.eom.program.instructions[slot]!;
    for (const s of operandsOf(ins))
      if (!this.duals.has(s)) throw new Error(`internal: slot ${s} has no value in the kernel`);
    const d = (s: number) => this.duals.get(s)!;
    let out: Dual;
    switch (ins.op) {
      case 'add':
      case 'sub':
        out = this.addSub(ins.op, d(ins.a), d(ins.b));
        break;
      case 'mul':
        out = this.mul(d(ins.a), d(ins.b));
        break;
      case 'div': {
        // v = a/b, ∂v = (∂a − v ∂b)/b
        const a = d(ins.a);
        const b = d(ins.b);
        const v = this.op(Simd.f64x2Div, a.value, b.value);
        const inv = this.op(Simd.f64x2Div, this.one, b.value);
        const num = this.combine(a.tangent, b.tangent, -1, v);
        out = { value: v, tangent: this.scale(num, inv) };
        break;
      }
      case 'neg': {
        const a = d(ins.a);
        const v = this.unary(Simd.f64x2Neg, a.value);
        out = {
          value: v,
          tangent: this.mapTangent(a.tangent, (t) => this.unary(Simd.f64x2Neg, t)),
        };
        break;
      }
      case 'pow':
        out = this.power(d(ins.a), d(ins.b), ins.b);
        break;
      case 'fn':
        out = this.fn(ins.fn, d(ins.a));
        break;
      default:
        throw new Error(`internal: ${ins.op} has no derivative rule here`);
    }
    this.duals.set(slot, out);
  }

  private addSub(kind: 'add' | 'sub', a: Dual, b: Dual): Dual {
    const v = this.op(kind === 'add' ? Simd.f64x2Add : Simd.f64x2Sub, a.value, b.value);
    return { value: v, tangent: this.combine(a.tangent, b.tangent, kind === 'add' ? 1 : -1) };
  }

  /** ∂(ab) = b ∂a + a ∂b */
  private mul(a: Dual, b: Dual): Dual {
    const v = this.op(Simd.f64x2Mul, a.value, b.value);
    const ta = this.scale(a.tangent, b.value);
    const tb = this.scale(b.tangent, a.value);
    return { value: v, tangent: this.combine(ta, tb, 1) };
  }

  /** a^b: constant integer and ±½ exponents by multiplication and sqrt, the rest by the host. */
  private power(a: Dual, b: Dual, exponentSlot: number): Dual {
    const e = this.layout.uniformValues.get(exponentSlot);
    if (e !== undefined && Number.isInteger(e) && Math.abs(e) <= 64) {
      // v = a^e = a^(e−1)·a,  ∂v = e a^(e−1) ∂a
      const below = this.integerPower(a.value, e - 1);
      const v = this.op(Simd.f64x2Mul, below, a.value);
      const factor = this.op(Simd.f64x2Mul, this.splat(e), below);
      return { value: v, tangent: this.scale(a.tangent, factor) };
    }
    if (e === 0.5) {
      const v = this.unary(Simd.f64x2Sqrt, a.value);
      const factor = this.op(Simd.f64x2Div, this.splat(0.5), v);
      return { value: v, tangent: this.scale(a.tangent, factor) };
    }
    // v = a^b,  ∂v = b a^(b−1) ∂a + v ln a ∂b
    const v = this.host('pow', [a.value, b.value]);
    const da = this.op(Simd.f64x2Div, this.op(Simd.f64x2Mul, b.value, v), a.value);
    const tangent = this.scale(a.tangent, da);
    if (b.tangent.size === 0) return { value: v, tangent };
    const db = this.op(Simd.f64x2Mul, v, this.host('log', [a.value]));
    return { value: v, tangent: this.combine(tangent, this.scale(b.tangent, db), 1) };
  }

  /** x^k for an integer k by squaring (k = 0 gives 1; negative k the reciprocal). */
  private integerPower(x: number, k: number): number {
    let magnitude = Math.abs(k);
    let result: number | null = null;
    let square = x;
    while (magnitude > 0) {
      if (magnitude & 1) result = result === null ? square : this.op(Simd.f64x2Mul, result, square);
      magnitude >>= 1;
      if (magnitude > 0) square = this.op(Simd.f64x2Mul, square, square);
    }
    const positive = result ?? this.one;
    return k < 0 ? this.op(Simd.f64x2Div, this.one, positive) : positive;
  }

  /** f(a) and its tangent f′(a) ∂a, by the function's entry (engine/expression/functions). */
  private fn(name: FunctionName, a: Dual): Dual {
    const rules = FUNCTIONS[name];
    const value = rules.simd ? this.unary(rules.simd.f64, a.value) : this.host(name, [a.value]);
    const slope = rules.slope(this.lanes, a.value, value);
    return { value, tangent: slope === null ? new Map() : this.scale(a.tangent, slope) };
  }

  /** The kernel's float64 lane operations, for the functions' slope rules. */
  private readonly lanes: Lanes = {
    host: (name, x) => this.host(name, [x]),
    add: (a, b) => this.op(Simd.f64x2Add, a, b),
    sub: (a, b) => this.op(Simd.f64x2Sub, a, b),
    mul: (a, b) => this.op(Simd.f64x2Mul, a, b),
    div: (a, b) => this.op(Simd.f64x2Div, a, b),
    neg: (a) => this.unary(Simd.f64x2Neg, a),
    constant: (c) => (c === 1 ? this.one : this.splat(c)),
  };

  /** q̈ = M⁻¹ f and ∂_j q̈ = M⁻¹ (∂_j f − ∂_j M q̈), M⁻¹ in closed form or by LU. */
  private accelerations(): Dual[] {
    const d = this.eom.coordinates.length;
    const outputs = this.eom.program.outputs.map((s) => this.duals.get(s)!);
    const f = outputs.slice(0, d);
    const inv = this.eom.constantMassInverse;
    if (inv)
      return inv.map((row) =>
        this.linear(
          row.map((k) => (k === 0 ? null : k)),
          f,
        ),
      );
    const M = (i: number, k: number) => {
      const [r, col] = i <= k ? [i, k] : [k, i];
      return outputs[d + r * d - (r * (r - 1)) / 2 + (col - r)]!;
    };
    const solve = this.massSolver(d, M);
    const qdd = solve(f.map((x) => x.value));
    const params = new Set<number>();
    for (const x of outputs) for (const j of x.tangent.keys()) params.add(j);
    const tangents = qdd.map(() => new Map<number, number>());
    for (const j of [...params].sort((x, y) => x - y)) {
      const rhs = f.map((fi, i) => {
        let acc: number | null = fi.tangent.get(j) ?? null;
        for (let k = 0; k < d; k++) {
          const dm = M(i, k).tangent.get(j);
          if (dm === undefined) continue;
          const term = this.op(Simd.f64x2Mul, dm, qdd[k]!);
          acc = acc === null ? this.unary(Simd.f64x2Neg, term) : this.op(Simd.f64x2Sub, acc, term);
        }
        return acc ?? this.splat(0);
      });
      solve(rhs).forEach((x, i) => tangents[i]!.set(j, x));
    }
    return qdd.map((value, i) => ({ value, tangent: tangents[i]! }));
  }

  /** Σ_k c_k x_k over duals with constant coefficients (null: skipped). */
  private linear(coefficients: readonly (number | null)[], xs: readonly Dual[]): Dual {
    let acc: Dual | null = null;
    coefficients.forEach((k, i) => {
      if (k === null) return;
      const x = xs[i]!;
      const term: Dual =
        k === 1
          ? x
          : {
              value: this.op(Simd.f64x2Mul, this.splat(k), x.value),
              tangent: this.scale(x.tangent, this.splat(k)),
            };
      acc = acc === null ? term : this.addSub('add', acc, term);
    });
    return acc ?? { value: this.splat(0), tangent: new Map() };
  }

  private bindValue(slot: number, local: number) {
    this.duals.set(slot, { value: local, tangent: new Map() });
  }
}
