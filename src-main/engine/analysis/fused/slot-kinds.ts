import { evaluateF64, type F64Value } from '../../expression/evaluate-f64';
import type { Instruction, Program } from '../../expression/program';

/**
 * What a program slot varies with over a landscape: nothing (constants and the parameters held
 * fixed), the sample point (q, q̇), the grid cell (the two parameters on the axes), or both.
 * Only `mixed` slots must be evaluated cells × points times; the others are hoisted out of the
 * kernel (n or cells evaluations in float64).
 */
export type SlotKind = 'uniform' | 'point' | 'cell' | 'mixed';

const POINT = 1;
const CELL = 2;
const KIND_OF_MASK: readonly SlotKind[] = ['uniform', 'point', 'cell', 'mixed'];

export function slotKinds(
  program: Program,
  pointInputs: ReadonlySet<string>,
  cellInputs: ReadonlySet<string>,
): SlotKind[] {
  const masks: number[] = [];
  for (const ins of program.instructions) masks.push(maskOf(ins, masks, pointInputs, cellInputs));
  return masks.map((m) => KIND_OF_MASK[m]!);
}

function maskOf(
  ins: Instruction,
  masks: readonly number[],
  pointInputs: ReadonlySet<string>,
  cellInputs: ReadonlySet<string>,
): number {
  switch (ins.op) {
    case 'input':
      return (pointInputs.has(ins.name) ? POINT : 0) | (cellInputs.has(ins.name) ? CELL : 0);
    case 'const':
      return 0;
    case 'neg':
    case 'fn':
      return masks[ins.a]!;
    default:
      return masks[ins.a]! | masks[ins.b]!;
  }
}

/** Operand slots of an instruction. */
export function operandsOf(ins: Instruction): number[] {
  switch (ins.op) {
    case 'input':
    case 'const':
      return [];
    case 'neg':
    case 'fn':
      return [ins.a];
    default:
      return [ins.a, ins.b];
  }
}

/**
 * The program restricted to slots of the given kinds: every other instruction becomes the
 * constant 0 (slot numbers stay), so the float64 evaluator computes exactly the hoisted part.
 */
export function restrictProgram(
  program: Program,
  kinds: readonly SlotKind[],
  keep: ReadonlySet<SlotKind>,
): Program {
  return {
    inputs: program.inputs,
    instructions: program.instructions.map((ins, s) =>
      keep.has(kinds[s]!) ? ins : { op: 'const', value: 0 },
    ),
    outputs: program.outputs,
  };
}

/**
 * The values of `slots` (all of the kinds in `keep`) in float64, evaluating only the program's
 * part of those kinds: n samples of the point-kind inputs in `env`, numbers for the rest.
 */
export function evaluateHoisted(
  program: Program,
  kinds: readonly SlotKind[],
  keep: readonly SlotKind[],
  slots: readonly number[],
  env: Readonly<Record<string, F64Value>>,
  n: number,
): F64Value[] {
  const restricted = restrictProgram(program, kinds, new Set(keep));
  return evaluateF64({ ...restricted, outputs: slots }, env, n);
}
