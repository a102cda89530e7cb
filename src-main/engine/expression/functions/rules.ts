/*
 * An elementary function's rules, all in one entry (after tfjs's kernel and gradient registries):
 * its float64 value, its column loop, its tfjs op, its derivative, its SIMD instruction if
 * WebAssembly has one, and its slope in a dual-number kernel. Adding a function is one file in
 * this folder, its line in index.ts, and a test (test/engine/elementary-functions.test.ts).
 * Rules receive what they build with (expression constructors, tfjs, kernel lanes): the entries
 * import no engine module, so the IR can fold with them without an import cycle.
 */
import type * as TF from '../../tf';
import type { Expr, FunctionName } from '../ir';

/** The IR's smart constructors (ir.ts), for derivative rules. */
export interface ExprBuilder {
  fn(name: FunctionName, a: Expr): Expr;
  neg(a: Expr): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  div(a: Expr, b: Expr): Expr;
  pow(a: Expr, b: Expr): Expr;
  num(value: number): Expr;
}

/** A float64 SIMD kernel's operations on its locals (vectors), for slope rules. */
export interface Lanes {
  /** f(x) lane by lane through the function's `value` (a host call). */
  host(name: FunctionName, x: number): number;
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  mul(a: number, b: number): number;
  div(a: number, b: number): number;
  neg(a: number): number;
  constant(c: number): number;
}

export interface ElementaryFunction {
  readonly name: FunctionName;
  /** f(x) in float64: constant folding, and a kernel lane's host call. */
  readonly value: (x: number) => number;
  /**
   * f over a column in a loop of its own: one Math call site V8 inlines (a shared loop calling
   * through a function variable is several times slower).
   */
  readonly column: (a: Float64Array, out: Float64Array, n: number) => void;
  /** The tfjs op. */
  readonly tensor: (tf: typeof TF, a: TF.Tensor) => TF.Tensor;
  /** f′(a), so that d f(a) = f′(a) da. */
  readonly derivative: (a: Expr, e: ExprBuilder) => Expr;
  /** WebAssembly's SIMD instruction for f, where it has one; other functions call `value`. */
  readonly simd?: { readonly f32: number; readonly f64: number };
  /** f′ in a dual-number kernel from x and f(x) (locals); null where f′ = 0 almost everywhere. */
  readonly slope: (lanes: Lanes, x: number, fx: number) => number | null;
}
