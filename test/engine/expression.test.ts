import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src-main/engine/expression/differentiate';
import { ExpressionError } from '../../src-main/engine/expression/errors';
import { evaluateF64 } from '../../src-main/engine/expression/evaluate-f64';
import { compileProgram, programCost } from '../../src-main/engine/expression/program';
import { parseExpression } from '../../src-main/engine/expression/parse';
import { equationsOfMotion } from '../../src-main/engine/dynamics';
import { generateDataset } from '../../src-main/engine/dataset';
import { parseSystem } from '../../src-main/engine/systems/system';

const SYMBOLS = ['q0', 'q1', 'qd0', 'qd1', 'k', 'alpha', 'm'];

function evalAt(text: string, x: string, at: Record<string, number>): number {
  const e = differentiate(parseExpression(text, SYMBOLS), x);
  const env = Object.fromEntries(Object.entries(at).map(([k, v]) => [k, Float64Array.of(v)]));
  const out = evaluateF64(compileProgram([e], Object.keys(at)), env, 1)[0]!;
  return typeof out === 'number' ? out : out[0]!;
}

describe('symbolic derivatives', () => {
  const at = { q0: 0.7, q1: -0.4, qd0: 0.3, qd1: 1.1, k: 4, alpha: 1, m: 1 };
  // Each expected value is the hand derivative evaluated at `at`.
  it.each([
    ['q0^3', 'q0', 3 * 0.7 ** 2],
    ['sin(q0)*cos(q1)', 'q0', Math.cos(0.7) * Math.cos(-0.4)],
    ['alpha/abs(q0 - q1)', 'q0', -1 / (1.1 * 1.1)],
    ['alpha/abs(q0 - q1)', 'q1', 1 / (1.1 * 1.1)],
    ['sqrt(1 + q0^2)', 'q0', 0.7 / Math.sqrt(1 + 0.49)],
    ['exp(-q0^2)', 'q0', -2 * 0.7 * Math.exp(-0.49)],
    ['log(2 + q0)', 'q0', 1 / 2.7],
    ['tanh(q0)', 'q0', 1 - Math.tanh(0.7) ** 2],
    ['sinh(q0) + cosh(q1)', 'q1', Math.sinh(-0.4)],
    ['tan(q0)', 'q0', 1 / Math.cos(0.7) ** 2],
    ['q0^q1', 'q1', Math.pow(0.7, -0.4) * Math.log(0.7)],
    ['0.5*m*qd0^2', 'qd0', 0.3],
    ['pi*q0', 'q0', Math.PI],
  ])('d/d%s… of %s', (text, x, want) => {
    expect(evalAt(text, x, at)).toBeCloseTo(want, 12);
  });

  it('folds the report system down to the hand-written terms', () => {
    const sys = parseSystem({
      name: 'c',
      coordinates: ['q0', 'q1'],
      velocities: ['qd0', 'qd1'],
      parameters: [
        { name: 'm', value: 1 },
        { name: 'k', value: 4 },
        { name: 'alpha', value: 1 },
      ],
      lagrangian: '0.5*m*(qd0^2 + qd1^2) - 0.5*k*(q0^2 + q1^2) - alpha/abs(q0 - q1)',
    });
    const eom = equationsOfMotion(
      sys.lagrangian,
      ['q0', 'q1'],
      ['qd0', 'qd1'],
      sys.parameterValues,
    );
    // ∂²L/∂q̇² = I and ∂²L/∂q̇∂q = 0 fold away: what remains is about a dozen operations.
    expect(eom.constantMassInverse).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(programCost(eom.program)).toBeLessThanOrEqual(14);
  });
});

// Malformed input: every case names its documented error code (and position where it has one).
const malformed: Array<[string, string, number?]> = [
  ['', 'empty'],
  ['   ', 'empty'],
  ['0.5*qd0^2 +', 'syntax'],
  ['0.5*qd0^2 + (q0', 'syntax'],
  ['0.5*qd0^2 ) ', 'syntax', 10],
  ['q0 ** 2', 'syntax'],
  ['0.5*qd0^2 - beta*q0', 'unknown-symbol', 12],
  ['0.5*qd0^2 - x', 'unknown-symbol', 12],
  ['0.5*qd0^2 - foo(q0)', 'unknown-function', 12],
  ['0.5*qd0^2 - erf(q0)', 'unknown-function', 12],
  ['0.5*qd0^2 - process.exit(1)', 'unknown-function'],
  ['constructor', 'unknown-symbol', 0],
  ['__proto__', 'unknown-symbol', 0],
  ['import("fs")', 'unknown-function'],
  ['k = 3', 'unsupported'],
  ['f(x) = x^2', 'unsupported'],
  ['[qd0, qd1]', 'unsupported'],
  ['qd0 > 1', 'unsupported'],
  ['qd0 ? 1 : 2', 'unsupported'],
  ['qd0^2; q0', 'unsupported'],
  ['"text"', 'unsupported'],
  ['5!', 'unsupported'],
  ['qd0 % 2', 'unsupported'],
  ['sin', 'syntax'],
  ['sin(q0, q1)', 'syntax'],
  ['1e999*qd0^2', 'invalid-number'],
  ['`${q0}`', 'syntax'],
  ['('.repeat(300) + 'q0' + ')'.repeat(300), 'too-deep'],
  ['q0+'.repeat(8000) + 'q0', 'too-long'],
];

describe('malformed expressions', () => {
  it.each(malformed)('%j gives %s', (text, code, position) => {
    let error: unknown;
    try {
      parseExpression(text, ['q0', 'q1', 'qd0', 'qd1', 'k', 'alpha']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    const err = error as ExpressionError;
    expect(err.code).toBe(code);
    expect(err.message.length).toBeGreaterThan(10);
    if (position !== undefined) expect(err.position).toBe(position);
  });

  it('a syntax error names its position in the message', () => {
    expect(() => parseExpression('qd0^2 + * q0', SYMBOLS)).toThrow(/at character \d+/);
  });

  it('no velocity dependence is refused', () => {
    const sys = parseSystem({
      name: 's',
      coordinates: ['q0'],
      velocities: ['qd0'],
      parameters: [],
      lagrangian: '-0.5*q0^2',
    });
    expect(() => equationsOfMotion(sys.lagrangian, ['q0'], ['qd0'], {})).toThrow(
      expect.objectContaining({ code: 'no-velocity' }),
    );
  });

  it('a constant singular mass matrix is refused (L linear in q̇)', () => {
    const sys = parseSystem({
      name: 's',
      coordinates: ['q0'],
      velocities: ['qd0'],
      parameters: [],
      lagrangian: 'q0*qd0 - q0^2',
    });
    expect(() => equationsOfMotion(sys.lagrangian, ['q0'], ['qd0'], {})).toThrow(
      expect.objectContaining({ code: 'singular-mass' }),
    );
  });

  it('a value that is NaN at the sample points is reported with an example point', () => {
    const recipe = {
      system: {
        name: 's',
        coordinates: ['q0'],
        velocities: ['qd0'],
        parameters: [],
        lagrangian: '0.5*qd0^2 - sqrt(q0)',
      },
      sampling: {
        window: { q: [{ min: -1, max: 1 }], qd: [{ min: -1, max: 1 }] },
        count: 100,
        seed: 1,
      },
    };
    expect(() => generateDataset(recipe)).toThrow(
      expect.objectContaining({
        code: 'not-finite',
        message: expect.stringMatching(/not finite at \d+ of 100 samples \(e\.g\. q0=-/),
      }),
    );
  });

  it('bad system definitions are refused with a reason', () => {
    const base = {
      name: 's',
      coordinates: ['q0'],
      velocities: ['qd0'],
      parameters: [{ name: 'k', value: 1 }],
      lagrangian: '0.5*qd0^2',
    };
    expect(() => parseSystem({ ...base, velocities: [] })).toThrow(
      expect.objectContaining({ code: 'invalid-system' }),
    );
    expect(() => parseSystem({ ...base, parameters: [{ name: 'q0', value: 1 }] })).toThrow(
      /used twice/,
    );
    expect(() => parseSystem({ ...base, parameters: [{ name: 'sin', value: 1 }] })).toThrow(
      /reserved/,
    );
    expect(() => parseSystem({ ...base, parameters: [{ name: 'k', value: NaN }] })).toThrow(
      expect.objectContaining({ code: 'invalid-number' }),
    );
    expect(() => parseSystem({ ...base, coordinates: ['__proto__'] })).toThrow(
      expect.objectContaining({ code: 'invalid-system' }),
    );
  });
});
