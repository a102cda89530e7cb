import { ExpressionError } from './errors';
import { FUNCTIONS } from './functions';
// A small symbolic IR for Lagrangians. Smart constructors fold constants and
// algebraic zeros/ones as they build, so derivatives stay as small as the
// hand-written ones (e.g. ∂²L/∂q̇² of ½m q̇² folds to the number m once m is known).

export type FunctionName =
  'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sinh' | 'cosh' | 'tanh';

/** The functions a Lagrangian may call: the registry's entries. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as readonly FunctionName[];

export type Expr =
  | { readonly id: number; readonly kind: 'num'; readonly value: number }
  | { readonly id: number; readonly kind: 'sym'; readonly name: string }
  | { readonly id: number; readonly kind: BinaryKind; readonly a: Expr; readonly b: Expr }
  | { readonly id: number; readonly kind: 'neg'; readonly a: Expr }
  | { readonly id: number; readonly kind: 'fn'; readonly fn: FunctionName; readonly a: Expr };

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div' | 'pow';

/*
 * Hash-consing: every node is made once. Structurally equal expressions are the same object
 * (with the same id), so repeated subexpressions cost once in memory, in differentiation (memoised
 * per node) and in the compiled program (shared by identity).
 */
const table = new Map<string, Expr>();
/** Past this many nodes the table starts afresh (old nodes stay valid, just no longer shared). */
const TABLE_LIMIT = 2_000_000;
let nextId = 1;
let budget: { left: number; limit: number; what: string } | null = null;

function intern<E extends Expr>(key: string, make: (id: number) => E): E {
  const known = table.get(key);
  if (known) return known as E;
  if (budget && --budget.left < 0) {
    const { limit, what } = budget;
    throw new ExpressionError(
      'too-complex',
      `${what} needs more than ${limit.toLocaleString('en-US')} distinct terms; simplify the expression (or split repeated factors into a parameter)`,
    );
  }
  if (table.size >= TABLE_LIMIT) table.clear();
  const e = make(nextId++);
  table.set(key, e);
  return e;
}

/**
 * Run `build` allowing at most `limit` new expression nodes: a derivation that would blow up
 * ends quickly with `too-complex`, naming the size, instead of exhausting time and memory.
 */
export function withNodeBudget<T>(limit: number, what: string, build: () => T): T {
  const outer = budget;
  budget = { left: limit, limit, what };
  try {
    return build();
  } finally {
    budget = outer;
  }
}

export const num = (value: number): Expr =>
  intern(`n${Object.is(value, -0) ? '-0' : String(value)}`, (id) => ({ id, kind: 'num', value }));
export const sym = (name: string): Expr => intern(`s${name}`, (id) => ({ id, kind: 'sym', name }));
const binary = (kind: BinaryKind, a: Expr, b: Expr): Expr =>
  intern(`${kind}${a.id},${b.id}`, (id) => ({ id, kind, a, b }));
export const ZERO = num(0);
export const ONE = num(1);

const isNum = (e: Expr): e is Extract<Expr, { kind: 'num' }> => e.kind === 'num';
/** The number v (no type narrowing: a false answer says nothing about the kind). */
const isValue = (e: Expr, v: number): boolean => e.kind === 'num' && e.value === v;

export function add(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value + b.value);
  if (isValue(a, 0)) return b;
  if (isValue(b, 0)) return a;
  if (b.kind === 'neg') return sub(a, b.a);
  return binary('add', a, b);
}

export function sub(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value - b.value);
  if (isValue(b, 0)) return a;
  if (isValue(a, 0)) return neg(b);
  if (b.kind === 'neg') return add(a, b.a);
  return binary('sub', a, b);
}

export function neg(a: Expr): Expr {
  if (isNum(a)) return num(-a.value);
  if (a.kind === 'neg') return a.a;
  // −(c·x) → (−c)·x
  if (a.kind === 'mul' && isNum(a.a)) return mul(num(-a.a.value), a.b);
  return intern(`neg${a.id}`, (id) => ({ id, kind: 'neg', a }));
}

export function mul(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value * b.value);
  if (isValue(a, 0) || isValue(b, 0)) return ZERO;
  if (isValue(a, 1)) return b;
  if (isValue(b, 1)) return a;
  if (isValue(a, -1)) return neg(b);
  if (isValue(b, -1)) return neg(a);
  if (isNum(b)) return mul(b, a); // constants to the left
  if (a.kind === 'neg') return neg(mul(a.a, b));
  if (b.kind === 'neg') return neg(mul(a, b.a));
  // c1 * (c2 * x) → (c1 c2) * x
  if (isNum(a) && b.kind === 'mul' && isNum(b.a)) return mul(num(a.value * b.a.value), b.b);
  return binary('mul', a, b);
}

export function div(a: Expr, b: Expr): Expr {
  // Constants fold, even over zero: 1/0 and 0/0 become ±∞ and NaN, which the parser refuses.
  if (isNum(a) && isNum(b)) return num(a.value / b.value);
  if (isValue(a, 0)) return ZERO;
  if (isValue(b, 1)) return a;
  if (isNum(b) && b.value !== 0) return mul(num(1 / b.value), a);
  if (a.kind === 'neg') return neg(div(a.a, b));
  return binary('div', a, b);
}

export function pow(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(Math.pow(a.value, b.value));
  if (isValue(b, 0)) return ONE;
  if (isValue(b, 1)) return a;
  if (isValue(a, 1)) return ONE;
  // |x|^(2m) → x^(2m)
  if (
    a.kind === 'fn' &&
    a.fn === 'abs' &&
    isNum(b) &&
    Number.isInteger(b.value) &&
    b.value % 2 === 0
  )
    return pow(a.a, b);
  // (x^c1)^c2 → x^(c1 c2) only for integer c1 (valid for every real x)
  if (a.kind === 'pow' && isNum(a.b) && Number.isInteger(a.b.value) && isNum(b)) {
    return pow(a.a, num(a.b.value * b.value));
  }
  return binary('pow', a, b);
}

export function fn(name: FunctionName, a: Expr): Expr {
  if (isNum(a)) return num(applyFunction(name, a.value));
  return intern(`${name}${a.id}`, (id) => ({ id, kind: 'fn', fn: name, a }));
}

/** f(x) in float64, from the function's entry (./functions). */
export function applyFunction(name: FunctionName, x: number): number {
  return FUNCTIONS[name].value(x);
}

export function sumOf(terms: Expr[]): Expr {
  return terms.reduce((acc, t) => add(acc, t), ZERO);
}

const symbolsMemo = new WeakMap<Expr, ReadonlySet<string>>();

/** Symbols the expression depends on (memoised per node: shared subexpressions cost once). */
export function symbolsOf(e: Expr): ReadonlySet<string> {
  const known = symbolsMemo.get(e);
  if (known) return known;
  let out: ReadonlySet<string>;
  switch (e.kind) {
    case 'num':
      out = new Set();
      break;
    case 'sym':
      out = new Set([e.name]);
      break;
    case 'neg':
    case 'fn':
      out = symbolsOf(e.a);
      break;
    default: {
      const a = symbolsOf(e.a);
      const b = symbolsOf(e.b);
      out = b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b]);
    }
  }
  symbolsMemo.set(e, out);
  return out;
}

export function dependsOn(e: Expr, names: ReadonlySet<string>): boolean {
  for (const s of symbolsOf(e)) if (names.has(s)) return true;
  return false;
}

/** Replace symbols by expressions (e.g. fixed parameters by their values), folding as it goes. */
export function substitute(
  e: Expr,
  values: ReadonlyMap<string, Expr>,
  memo: Map<Expr, Expr> = new Map(),
): Expr {
  const known = memo.get(e);
  if (known) return known;
  const go = (x: Expr) => substitute(x, values, memo);
  let out: Expr;
  switch (e.kind) {
    case 'num':
      return e;
    case 'sym':
      return values.get(e.name) ?? e;
    case 'neg':
      out = neg(go(e.a));
      break;
    case 'fn':
      out = fn(e.fn, go(e.a));
      break;
    case 'add':
      out = add(go(e.a), go(e.b));
      break;
    case 'sub':
      out = sub(go(e.a), go(e.b));
      break;
    case 'mul':
      out = mul(go(e.a), go(e.b));
      break;
    case 'div':
      out = div(go(e.a), go(e.b));
      break;
    case 'pow':
      out = pow(go(e.a), go(e.b));
      break;
  }
  memo.set(e, out);
  return out;
}

/** Distinct nodes of a set of expressions (their size as a shared graph). */
export function dagSize(roots: readonly Expr[]): number {
  const seen = new Set<Expr>();
  const stack = [...roots];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (e.kind === 'neg' || e.kind === 'fn') stack.push(e.a);
    else if (e.kind !== 'num' && e.kind !== 'sym') stack.push(e.a, e.b);
  }
  return seen.size;
}

const keyMemo = new WeakMap<Expr, string>();

/**
 * A canonical text key: equal keys mean structurally equal expressions (for display and for
 * de-duplicating small library terms; programs share by node identity instead).
 */
export function exprKey(e: Expr): string {
  const known = keyMemo.get(e);
  if (known !== undefined) return known;
  let key: string;
  switch (e.kind) {
    case 'num':
      key = String(e.value);
      break;
    case 'sym':
      key = e.name;
      break;
    case 'neg':
      key = `(-${exprKey(e.a)})`;
      break;
    case 'fn':
      key = `${e.fn}(${exprKey(e.a)})`;
      break;
    default: {
      const op = { add: '+', sub: '-', mul: '*', div: '/', pow: '^' }[e.kind];
      key = `(${exprKey(e.a)}${op}${exprKey(e.b)})`;
    }
  }
  keyMemo.set(e, key);
  return key;
}
