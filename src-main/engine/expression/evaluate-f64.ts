import { applyFunction, type FunctionName } from './ir';
import { FUNCTIONS } from './functions';
import type { Program } from './program';

export type F64Value = number | Float64Array;

/**
 * Run a program over n samples in float64: inputs are per-sample arrays (coordinates) or
 * scalars (parameters); scalar-only subexpressions stay scalars. Used for datasets, fixed
 * points and the exact solves, where float64 is the reference precision.
 */
export function evaluateF64(
  program: Program,
  env: Readonly<Record<string, F64Value>>,
  n: number,
  workspace?: F64Workspace,
): F64Value[] {
  const slots = new Array<F64Value>(program.instructions.length);
  // Register reuse: an array whose last reader has run goes back to a pool, so memory is the
  // most arrays alive at once × n × 8 B, not one array per instruction (a 4.8 kB Lagrangian on
  // 20 000 points took 6.6 GB that way, issue 32.4). A workspace keeps the pool between calls;
  // the outputs of one call are the caller's until the next.
  const lastUse = lastUses(program);
  let pool: Float64Array[];
  if (workspace) {
    if (workspace.n !== n) {
      workspace.n = n;
      workspace.pool = [];
      workspace.lent = [];
    }
    workspace.pool.push(...workspace.lent);
    workspace.lent = [];
    pool = workspace.pool;
  } else pool = [];
  const owned = new Uint8Array(program.instructions.length);
  const buffer = (s: number): Float64Array => {
    owned[s] = 1;
    return pool.pop() ?? new Float64Array(n);
  };
  const release = (s: number) => {
    for (const operand of operandsOf(program.instructions[s]!))
      if (lastUse[operand] === s && owned[operand]) {
        owned[operand] = 0;
        pool.push(slots[operand] as Float64Array);
      }
  };
  for (let s = 0; s < program.instructions.length; s++) {
    const ins = program.instructions[s]!;
    switch (ins.op) {
      case 'input': {
        const v = env[ins.name];
        if (v === undefined) throw new Error(`missing value for ${ins.name}`);
        if (typeof v !== 'number' && v.length !== n)
          throw new Error(`${ins.name} has ${v.length} samples, expected ${n}`);
        slots[s] = v;
        break;
      }
      case 'const':
        slots[s] = ins.value;
        break;
      case 'neg': {
        const a = slots[ins.a]!;
        if (typeof a === 'number') {
          slots[s] = -a;
          break;
        }
        const out = buffer(s);
        for (let i = 0; i < n; i++) out[i] = -a[i]!;
        slots[s] = out;
        break;
      }
      case 'fn': {
        const a = slots[ins.a]!;
        if (typeof a === 'number') {
          slots[s] = applyFunction(ins.fn, a);
          break;
        }
        slots[s] = applyVector(ins.fn, a, buffer(s), n);
        break;
      }
      default:
        slots[s] = binary(ins.op, slots[ins.a]!, slots[ins.b]!, n, buffer, s);
    }
    // a fresh array that nothing reads (e.g. a dead intermediate) goes straight back
    if (owned[s] && lastUse[s] === -1) {
      owned[s] = 0;
      pool.push(slots[s] as Float64Array);
    }
    release(s);
  }
  if (workspace)
    for (const o of program.outputs) if (owned[o]) workspace.lent.push(slots[o] as Float64Array);
  return program.outputs.map((o) => slots[o]!);
}

const OUTPUT = Number.MAX_SAFE_INTEGER;
const lastUseCache = new WeakMap<Program, Int32Array | Float64Array>();

/** For each slot, the last instruction reading it (OUTPUT for outputs, −1 when never read). */
function lastUses(program: Program): Float64Array | Int32Array {
  let last = lastUseCache.get(program);
  if (last) return last;
  last = new Float64Array(program.instructions.length).fill(-1);
  program.instructions.forEach((ins, s) => {
    for (const operand of operandsOf(ins)) last[operand] = s;
  });
  for (const o of program.outputs) last[o] = OUTPUT;
  lastUseCache.set(program, last);
  return last;
}

function operandsOf(ins: Program['instructions'][number]): number[] {
  return 'b' in ins ? (ins.a === ins.b ? [ins.a] : [ins.a, ins.b]) : 'a' in ins ? [ins.a] : [];
}

/** f over a column: the function's own loop (its entry in ./functions). */
function applyVector(
  fn: FunctionName,
  a: Float64Array,
  out: Float64Array,
  n: number,
): Float64Array {
  FUNCTIONS[fn].column(a, out, n);
  return out;
}

/** Arrays kept between evaluations of one program at one n (no allocation, no GC). */
export interface F64Workspace {
  n: number;
  /** Free arrays. */
  pool: Float64Array[];
  /** The last call's output arrays, free again at the next call. */
  lent: Float64Array[];
}

export function createWorkspace(): F64Workspace {
  return { n: -1, pool: [], lent: [] };
}

/* eslint-disable-next-line max-lines-per-function, complexity --
   one case per binary operation and operand shape (number or column), each a loop of its own */
function binary(
  op: 'add' | 'sub' | 'mul' | 'div' | 'pow',
  a: F64Value,
  b: F64Value,
  n: number,
  buffer: (s: number) => Float64Array,
  slot: number,
): F64Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case 'add':
        return a + b;
      case 'sub':
        return a - b;
      case 'mul':
        return a * b;
      case 'div':
        return a / b;
      case 'pow':
        return Math.pow(a, b);
    }
  }
  const out = buffer(slot);
  // One loop per (op, shape) pair keeps each loop monomorphic and fast.
  if (typeof a === 'number') {
    const y = b as Float64Array;
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = a + y[i]!;
        break;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = a - y[i]!;
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = a * y[i]!;
        break;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = a / y[i]!;
        break;
      case 'pow':
        for (let i = 0; i < n; i++) out[i] = Math.pow(a, y[i]!);
        break;
    }
    return out;
  }
  if (typeof b === 'number') {
    const x = a;
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = x[i]! + b;
        break;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = x[i]! - b;
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = x[i]! * b;
        break;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = x[i]! / b;
        break;
      case 'pow':
        if (b === 2) for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
        else if (b === 3) for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]! * x[i]!;
        else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i]!, b);
        break;
    }
    return out;
  }
  const x = a;
  const y = b;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = x[i]! / y[i]!;
      break;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = Math.pow(x[i]!, y[i]!);
      break;
  }
  return out;
}
