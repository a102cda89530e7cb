// A small symbolic IR for Lagrangians. Smart constructors fold constants and
// algebraic zeros/ones as they build, so derivatives stay as small as the
// hand-written ones (e.g. ∂²L/∂q̇² of ½m q̇² folds to the number m once m is known).

export type FunctionName =
  'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sinh' | 'cosh' | 'tanh';

export const FUNCTION_NAMES: readonly FunctionName[] = [
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'sqrt',
  'abs',
  'sign',
  'sinh',
  'cosh',
  'tanh',
];

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'add'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'sub'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'mul'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'div'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'pow'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'neg'; readonly a: Expr }
  | { readonly kind: 'fn'; readonly fn: FunctionName; readonly a: Expr };

export const num = (value: number): Expr => ({ kind: 'num', value });
export const sym = (name: string): Expr => ({ kind: 'sym', name });
export const ZERO = num(0);
export const ONE = num(1);

const isNum = (e: Expr, v?: number): e is { kind: 'num'; value: number } =>
  e.kind === 'num' && (v === undefined || e.value === v);

export function add(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value + b.value);
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (b.kind === 'neg') return sub(a, b.a);
  return { kind: 'add', a, b };
}

export function sub(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value - b.value);
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  if (b.kind === 'neg') return add(a, b.a);
  return { kind: 'sub', a, b };
}

export function neg(a: Expr): Expr {
  if (isNum(a)) return num(-a.value);
  if (a.kind === 'neg') return a.a;
  // −(c·x) → (−c)·x
  if (a.kind === 'mul' && isNum(a.a)) return mul(num(-a.a.value), a.b);
  return { kind: 'neg', a };
}

export function mul(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value * b.value);
  if (isNum(a, 0) || isNum(b, 0)) return ZERO;
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a, -1)) return neg(b);
  if (isNum(b, -1)) return neg(a);
  if (isNum(b)) return mul(b, a); // constants to the left
  if (a.kind === 'neg') return neg(mul(a.a, b));
  if (b.kind === 'neg') return neg(mul(a, b.a));
  // c1 * (c2 * x) → (c1 c2) * x
  if (isNum(a) && b.kind === 'mul' && isNum(b.a)) return mul(num(a.value * b.a.value), b.b);
  return { kind: 'mul', a, b };
}

export function div(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b) && b.value !== 0) return num(a.value / b.value);
  if (isNum(a, 0)) return ZERO;
  if (isNum(b, 1)) return a;
  if (isNum(b) && b.value !== 0) return mul(num(1 / b.value), a);
  if (a.kind === 'neg') return neg(div(a.a, b));
  return { kind: 'div', a, b };
}

export function pow(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(Math.pow(a.value, b.value));
  if (isNum(b, 0)) return ONE;
  if (isNum(b, 1)) return a;
  if (isNum(a, 1)) return ONE;
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
  return { kind: 'pow', a, b };
}

export function fn(name: FunctionName, a: Expr): Expr {
  if (isNum(a)) return num(applyFunction(name, a.value));
  return { kind: 'fn', fn: name, a };
}

export function applyFunction(name: FunctionName, x: number): number {
  switch (name) {
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tan':
      return Math.tan(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'sinh':
      return Math.sinh(x);
    case 'cosh':
      return Math.cosh(x);
    case 'tanh':
      return Math.tanh(x);
  }
}

export function sumOf(terms: Expr[]): Expr {
  return terms.reduce((acc, t) => add(acc, t), ZERO);
}

/** Symbols the expression depends on. */
export function freeSymbols(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'num':
      break;
    case 'sym':
      out.add(e.name);
      break;
    case 'neg':
    case 'fn':
      freeSymbols(e.a, out);
      break;
    default:
      freeSymbols(e.a, out);
      freeSymbols(e.b, out);
  }
  return out;
}

export function dependsOn(e: Expr, names: ReadonlySet<string>): boolean {
  for (const s of freeSymbols(e)) if (names.has(s)) return true;
  return false;
}

/** Replace symbols by expressions (e.g. fixed parameters by their values), folding as it goes. */
export function substitute(e: Expr, values: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'num':
      return e;
    case 'sym':
      return values.get(e.name) ?? e;
    case 'neg':
      return neg(substitute(e.a, values));
    case 'fn':
      return fn(e.fn, substitute(e.a, values));
    case 'add':
      return add(substitute(e.a, values), substitute(e.b, values));
    case 'sub':
      return sub(substitute(e.a, values), substitute(e.b, values));
    case 'mul':
      return mul(substitute(e.a, values), substitute(e.b, values));
    case 'div':
      return div(substitute(e.a, values), substitute(e.b, values));
    case 'pow':
      return pow(substitute(e.a, values), substitute(e.b, values));
  }
}

/** A canonical text key: equal keys mean structurally equal expressions (used for CSE). */
export function exprKey(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'sym':
      return e.name;
    case 'neg':
      return `(-${exprKey(e.a)})`;
    case 'fn':
      return `${e.fn}(${exprKey(e.a)})`;
    default: {
      const op = { add: '+', sub: '-', mul: '*', div: '/', pow: '^' }[e.kind];
      return `(${exprKey(e.a)}${op}${exprKey(e.b)})`;
    }
  }
}
