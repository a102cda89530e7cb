import { create, parseDependencies, type MathNode } from 'mathjs';

/**
 * mathjs' parser alone: the default instance builds its ~1000 typed functions on import (0.7 s of
 * a study worker's start-up); an instance from parseDependencies has only what parse needs, and
 * the build bundles just those modules (mathjs is side-effect free, electron.vite.config.ts).
 */
const { parse: mathParse } = create({ parseDependencies: parseDependencies! });
import { ExpressionError } from './errors';
import {
  add,
  div,
  fn,
  mul,
  neg,
  num,
  pow,
  sub,
  sym,
  FUNCTION_NAMES,
  type Expr,
  type FunctionName,
} from './ir';

export const MAX_EXPRESSION_LENGTH = 20000;
export const MAX_NESTING_DEPTH = 200;

const NAMED_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/**
 * Parse user text into the IR with mathjs' parser (never eval/Function): only numbers, the
 * allowed symbols, + − * / ^, unary minus and the functions in FUNCTION_NAMES pass.
 */
export function parseExpression(text: string, allowedSymbols: Iterable<string>): Expr {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ExpressionError(
      'empty',
      'The Lagrangian is empty: write an expression such as 0.5*qd0^2 - 0.5*k*q0^2',
    );
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      'too-long',
      `The expression has ${text.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`,
    );
  }
  const depth = maxBracketDepth(text);
  if (depth > MAX_NESTING_DEPTH) {
    throw new ExpressionError(
      'too-deep',
      `Brackets nest ${depth} deep; the limit is ${MAX_NESTING_DEPTH}`,
    );
  }
  let node: MathNode;
  try {
    node = mathParse(text);
  } catch (err) {
    const e = err as Error & { char?: number };
    const message = String(e.message ?? e).replace(/\s*\(char \d+\)\s*$/, '');
    const position =
      typeof e.char === 'number' ? Math.max(0, Math.min(text.length - 1, e.char - 1)) : undefined;
    throw new ExpressionError('syntax', `Syntax error: ${message}`, position);
  }
  const allowed = new Set(allowedSymbols);
  return toIr(node, text, allowed, 0);
}

function maxBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return max;
}

/** Where a name stands in the text as a whole word, for error positions. */
export function positionOf(text: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).exec(text);
  return m ? m.index : undefined;
}

function toIr(node: MathNode, text: string, allowed: ReadonlySet<string>, depth: number): Expr {
  if (depth > MAX_NESTING_DEPTH * 4) {
    throw new ExpressionError(
      'too-deep',
      `The expression nests deeper than ${MAX_NESTING_DEPTH * 4} operations`,
    );
  }
  const built = toIrNode(node, text, allowed, depth);
  if (built.kind === 'num' && !Number.isFinite(built.value))
    throw constantOutOfRange(node, text, built.value);
  return built;
}

/**
 * A constant part that folds to ±∞ or NaN (10^400, exp(1000), 0/0): refused at its place in the
 * text, rather than surfacing later as a "singular mass matrix" of infinities.
 */
function constantOutOfRange(node: MathNode, text: string, value: number): ExpressionError {
  const written = node.toString();
  // The node's text with any spacing, as the user typed it.
  const pattern = written
    .split(/\s+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s*');
  const match = new RegExp(pattern).exec(text);
  const shown = match ? match[0] : written;
  const n = node as MathNode & { fn?: unknown };
  if (node.type === 'OperatorNode' && n.fn === 'divide')
    return new ExpressionError('invalid-number', `${shown} divides by zero`, match?.index);
  return Number.isNaN(value)
    ? new ExpressionError('invalid-number', `${shown} is not a number (NaN)`, match?.index)
    : new ExpressionError(
        'overflow',
        `${shown} is beyond the range of float64 numbers (about ±1.8e308)`,
        match?.index,
      );
}

/* eslint-disable-next-line max-lines-per-function, complexity --
   one case per mathjs node and function, each refusal naming the position the user typed */
function toIrNode(node: MathNode, text: string, allowed: ReadonlySet<string>, depth: number): Expr {
  const recur = (child: MathNode) => toIr(child, text, allowed, depth + 1);
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const value = n.value;
      if (typeof value !== 'number') {
        throw new ExpressionError(
          'unsupported',
          `Only numbers may appear as constants, not ${JSON.stringify(String(value)).slice(0, 40)}`,
        );
      }
      if (!Number.isFinite(value)) {
        throw new ExpressionError('invalid-number', `The number ${String(value)} is not finite`);
      }
      return num(value);
    }
    case 'SymbolNode': {
      const name = String(n.name);
      if (allowed.has(name)) return sym(name);
      if (name in NAMED_CONSTANTS && Object.hasOwn(NAMED_CONSTANTS, name))
        return num(NAMED_CONSTANTS[name]!);
      if ((FUNCTION_NAMES as readonly string[]).includes(name)) {
        throw new ExpressionError(
          'syntax',
          `The function ${name} needs an argument in brackets, e.g. ${name}(q0)`,
          positionOf(text, name),
        );
      }
      const known = [...allowed].join(', ');
      throw new ExpressionError(
        'unknown-symbol',
        `Unknown symbol "${name}": the system defines ${known || 'no symbols'}`,
        positionOf(text, name),
      );
    }
    case 'ParenthesisNode':
      return recur(n.content as MathNode);
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map(recur);
      const op = String(n.fn);
      if (op === 'unaryMinus' && args.length === 1) return neg(args[0]!);
      if (op === 'unaryPlus' && args.length === 1) return args[0]!;
      if (args.length === 2) {
        const [a, b] = args as [Expr, Expr];
        switch (op) {
          case 'add':
            return add(a, b);
          case 'subtract':
            return sub(a, b);
          case 'multiply':
            return mul(a, b);
          case 'divide':
            return div(a, b);
          case 'pow':
            return pow(a, b);
        }
      }
      throw new ExpressionError(
        'unsupported',
        `The operator "${String(n.op)}" is not allowed in a Lagrangian; use + - * / ^`,
        positionOf(text, String(n.op)) ?? text.indexOf(String(n.op)),
      );
    }
    case 'FunctionNode': {
      const callee = n.fn as MathNode & { name?: string };
      const name = callee.type === 'SymbolNode' ? String(callee.name) : undefined;
      if (name === undefined || !(FUNCTION_NAMES as readonly string[]).includes(name)) {
        const shown = name ?? 'this call';
        throw new ExpressionError(
          'unknown-function',
          `Unknown function "${shown}": allowed are ${FUNCTION_NAMES.join(', ')}`,
          name ? positionOf(text, name) : undefined,
        );
      }
      const args = n.args as MathNode[];
      if (args.length !== 1) {
        throw new ExpressionError(
          'syntax',
          `${name} takes one argument, not ${args.length}`,
          positionOf(text, name),
        );
      }
      return fn(name as FunctionName, recur(args[0]!));
    }
    default:
      throw new ExpressionError(
        'unsupported',
        `${describeNode(node.type)} cannot appear in a Lagrangian: write a single expression in the coordinates, velocities and parameters`,
      );
  }
}

function describeNode(type: string): string {
  switch (type) {
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      return 'An assignment';
    case 'BlockNode':
      return 'Several statements';
    case 'ArrayNode':
    case 'MatrixNode':
      return 'A matrix';
    case 'ObjectNode':
      return 'An object';
    case 'AccessorNode':
    case 'IndexNode':
      return 'Indexing';
    case 'ConditionalNode':
      return 'A conditional';
    case 'RelationalNode':
      return 'A comparison';
    case 'RangeNode':
      return 'A range';
    default:
      return `A ${type}`;
  }
}
