import * as tf from '../tf';
import { applyFunction, type FunctionName } from './ir';
import { FUNCTIONS } from './functions';
import type { Program } from './program';

export type TensorValue = number | tf.Tensor;

/**
 * Run a program on tfjs tensors. Inputs broadcast: coordinates as [n] or [1, n] and
 * parameters as scalars or [B, 1] give [B, n] results, which is how a whole row of a loss
 * landscape is evaluated in one pass. Scalar-only parts stay JS numbers. Call inside tf.tidy.
 */
export function evaluateTensor(
  program: Program,
  env: Readonly<Record<string, TensorValue>>,
): TensorValue[] {
  const slots = new Array<TensorValue>(program.instructions.length);
  for (let s = 0; s < program.instructions.length; s++) {
    const ins = program.instructions[s]!;
    switch (ins.op) {
      case 'input': {
        const v = env[ins.name];
        if (v === undefined) throw new Error(`missing value for ${ins.name}`);
        slots[s] = v;
        break;
      }
      case 'const':
        slots[s] = ins.value;
        break;
      case 'neg': {
        const a = slots[ins.a]!;
        slots[s] = typeof a === 'number' ? -a : tf.neg(a);
        break;
      }
      case 'fn': {
        const a = slots[ins.a]!;
        slots[s] = typeof a === 'number' ? applyFunction(ins.fn, a) : tensorFunction(ins.fn, a);
        break;
      }
      default: {
        const a = slots[ins.a]!;
        const b = slots[ins.b]!;
        slots[s] = tensorBinary(ins.op, a, b);
      }
    }
  }
  return program.outputs.map((o) => slots[o]!);
}

function tensorBinary(
  op: 'add' | 'sub' | 'mul' | 'div' | 'pow',
  a: TensorValue,
  b: TensorValue,
): TensorValue {
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
  switch (op) {
    case 'add':
      return tf.add(a, b);
    case 'sub':
      return tf.sub(a, b);
    case 'mul':
      return tf.mul(a, b);
    case 'div':
      return tf.div(a, b);
    case 'pow': {
      if (typeof b === 'number') return integerPower(a as tf.Tensor, b);
      return tf.pow(a, b);
    }
  }
}

/** Small integer powers by multiplication: exact for negative bases and cheaper than pow. */
function integerPower(a: tf.Tensor, b: number): tf.Tensor {
  switch (b) {
    case 2:
      return tf.square(a);
    case 3:
      return tf.mul(tf.square(a), a);
    case 4:
      return tf.square(tf.square(a));
    case -1:
      return tf.reciprocal(a);
    case -2:
      return tf.reciprocal(tf.square(a));
    case -3:
      return tf.reciprocal(tf.mul(tf.square(a), a));
    case 0.5:
      return tf.sqrt(a);
    default:
      return tf.pow(a, b);
  }
}

function tensorFunction(name: FunctionName, a: tf.Tensor): tf.Tensor {
  return FUNCTIONS[name].tensor(tf, a);
}
