import type { Expr, FunctionName } from './ir';

/**
 * A straight-line program computing several expressions at once, with common subexpressions
 * shared (the Euler–Lagrange terms repeat q0−q1, |q0−q1|, … many times). Both evaluators
 * (float64 vectors and tfjs tensors) run the same program, so they cannot disagree on algebra.
 */
export type Instruction =
  | { op: 'input'; name: string }
  | { op: 'const'; value: number }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'pow'; a: number; b: number }
  | { op: 'neg'; a: number }
  | { op: 'fn'; fn: FunctionName; a: number };

export interface Program {
  readonly inputs: readonly string[];
  readonly instructions: readonly Instruction[];
  /** Slot index of each output. */
  readonly outputs: readonly number[];
}

export function compileProgram(outputs: readonly Expr[], inputs: readonly string[]): Program {
  const instructions: Instruction[] = [];
  // Expressions are hash-consed: equal subexpressions are one node, shared by identity.
  const slotOf = new Map<Expr, number>();
  const inputSlot = new Map<string, number>();
  for (const name of inputs) {
    inputSlot.set(name, instructions.length);
    instructions.push({ op: 'input', name });
  }
  const visit = (e: Expr): number => {
    const known = e.kind === 'sym' ? inputSlot.get(e.name) : slotOf.get(e);
    if (known !== undefined) return known;
    let instr: Instruction;
    switch (e.kind) {
      case 'num':
        instr = { op: 'const', value: e.value };
        break;
      case 'sym':
        throw new Error(`internal: symbol ${e.name} is not a program input`);
      case 'neg':
        instr = { op: 'neg', a: visit(e.a) };
        break;
      case 'fn':
        instr = { op: 'fn', fn: e.fn, a: visit(e.a) };
        break;
      default: {
        const a = visit(e.a);
        const b = visit(e.b);
        instr = { op: e.kind, a, b };
      }
    }
    slotOf.set(e, instructions.length);
    instructions.push(instr);
    return instructions.length - 1;
  };
  const outputSlots = outputs.map(visit);
  return { inputs, instructions, outputs: outputSlots };
}

/** Number of arithmetic instructions (what the evaluators do per call). */
export function programCost(p: Program): number {
  return p.instructions.filter((i) => i.op !== 'input' && i.op !== 'const').length;
}
