import { ExpressionError } from '../expression/errors';
import { FUNCTION_NAMES, type Expr } from '../expression/ir';
import { parseExpression } from '../expression/parse';
import type { SystemDefinition } from '../../../src-shared/dto/system';
export type { SystemDefinition };

export interface ParsedSystem {
  readonly definition: SystemDefinition;
  readonly lagrangian: Expr;
  readonly parameterValues: Readonly<Record<string, number>>;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const RESERVED = new Set<string>([
  ...FUNCTION_NAMES,
  'pi',
  'e',
  'constructor',
  'prototype',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
]);

/** Check names and values, then parse L; every failure is an ExpressionError with a code. */
export function parseSystem(def: SystemDefinition): ParsedSystem {
  const names = [...def.coordinates, ...def.velocities, ...def.parameters.map((p) => p.name)];
  if (def.coordinates.length === 0)
    throw new ExpressionError('invalid-system', 'The system has no coordinates');
  if (def.coordinates.length !== def.velocities.length) {
    throw new ExpressionError(
      'invalid-system',
      `The system has ${def.coordinates.length} coordinates but ${def.velocities.length} velocities`,
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
      throw new ExpressionError(
        'invalid-system',
        `"${String(name).slice(0, 40)}" is not a valid name: use a letter then letters, digits or _ (at most 32)`,
      );
    }
    if (RESERVED.has(name))
      throw new ExpressionError(
        'invalid-system',
        `"${name}" is reserved (a function or constant name)`,
      );
    if (seen.has(name))
      throw new ExpressionError('invalid-system', `The name "${name}" is used twice`);
    seen.add(name);
  }
  const parameterValues = Object.create(null) as Record<string, number>;
  for (const p of def.parameters) {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
      throw new ExpressionError(
        'invalid-number',
        `Parameter ${p.name} has the value ${String(p.value)}, which is not a finite number`,
      );
    }
    parameterValues[p.name] = p.value;
  }
  const lagrangian = parseExpression(def.lagrangian, names);
  return { definition: def, lagrangian, parameterValues };
}
