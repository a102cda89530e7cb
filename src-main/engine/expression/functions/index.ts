// Every elementary function a Lagrangian may use, by name: one entry each (./rules.ts).
import type { FunctionName } from '../ir';
import type { ElementaryFunction } from './rules';
import { abs } from './abs';
import { cos } from './cos';
import { cosh } from './cosh';
import { exp } from './exp';
import { log } from './log';
import { sign } from './sign';
import { sin } from './sin';
import { sinh } from './sinh';
import { sqrt } from './sqrt';
import { tan } from './tan';
import { tanh } from './tanh';

export const FUNCTIONS: Readonly<Record<FunctionName, ElementaryFunction>> = {
  sin,
  cos,
  tan,
  exp,
  log,
  sqrt,
  abs,
  sign,
  sinh,
  cosh,
  tanh,
};
