import {
  add,
  div,
  fn,
  mul,
  neg,
  num,
  pow,
  sub,
  symbolsOf,
  ONE,
  ZERO,
  type Expr,
  type FunctionName,
} from './ir';
import { FUNCTIONS } from './functions';
import type { ExprBuilder } from './functions/rules';

/** Derivatives already taken, per node and variable: shared subexpressions differentiate once. */
const memo = new WeakMap<Expr, Map<string, Expr>>();

/** ∂e/∂x, symbolically, with folding (so ∂(½ q̇²)/∂q̇ is q̇, not 0.5·2·q̇^1·1). */
export function differentiate(e: Expr, x: string): Expr {
  if (e.kind === 'num') return ZERO;
  if (e.kind === 'sym') return e.name === x ? ONE : ZERO;
  if (!symbolsOf(e).has(x)) return ZERO;
  let byVariable = memo.get(e);
  if (!byVariable) memo.set(e, (byVariable = new Map<string, Expr>()));
  const known = byVariable.get(x);
  if (known) return known;
  const d = derivative(e, x);
  byVariable.set(x, d);
  return d;
}

function derivative(e: Expr, x: string): Expr {
  switch (e.kind) {
    case 'num':
      return ZERO;
    case 'sym':
      return e.name === x ? ONE : ZERO;
    case 'neg':
      return neg(differentiate(e.a, x));
    case 'add':
      return add(differentiate(e.a, x), differentiate(e.b, x));
    case 'sub':
      return sub(differentiate(e.a, x), differentiate(e.b, x));
    case 'mul': {
      // (ab)' = a'b + ab'
      const da = differentiate(e.a, x);
      const db = differentiate(e.b, x);
      return add(mul(da, e.b), mul(e.a, db));
    }
    case 'div': {
      // (a/b)' = a'/b − a b'/b²
      const da = differentiate(e.a, x);
      const db = differentiate(e.b, x);
      return sub(div(da, e.b), div(mul(e.a, db), pow(e.b, num(2))));
    }
    case 'pow': {
      const da = differentiate(e.a, x);
      const db = differentiate(e.b, x);
      if (db.kind === 'num' && db.value === 0) {
        // (a^c)' = c a^(c−1) a'
        return mul(mul(e.b, pow(e.a, sub(e.b, ONE))), da);
      }
      // (a^b)' = a^b (b' ln a + b a'/a)
      return mul(e, add(mul(db, fn('log', e.a)), div(mul(e.b, da), e.a)));
    }
    case 'fn': {
      const da = differentiate(e.a, x);
      if (da.kind === 'num' && da.value === 0) return ZERO;
      return mul(outerDerivative(e.fn, e.a), da);
    }
  }
}

/** The IR's constructors, for the functions' derivative rules. */
const BUILD: ExprBuilder = { fn, neg, add, sub, mul, div, pow, num };

/** f′(a) from the function's entry (./functions). */
function outerDerivative(name: FunctionName, a: Expr): Expr {
  return FUNCTIONS[name].derivative(a, BUILD);
}
