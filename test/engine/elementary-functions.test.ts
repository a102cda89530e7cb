import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src-main/engine/tf';
import { FUNCTIONS } from '../../src-main/engine/expression/functions';
import type { Lanes } from '../../src-main/engine/expression/functions/rules';
import { FUNCTION_NAMES, fn, sym } from '../../src-main/engine/expression/ir';
import { differentiate } from '../../src-main/engine/expression/differentiate';
import { compileProgram } from '../../src-main/engine/expression/program';
import { evaluateF64 } from '../../src-main/engine/expression/evaluate-f64';
import { useBackend } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

/*
 * Issue 31.2: each elementary function is one entry carrying all its rules. Each rule is checked
 * here against an independent value: Math (the value), central differences of the value (the
 * symbolic derivative and the kernel's slope rule), and float32 tfjs (the tensor op).
 */
const xs = Float64Array.from({ length: 12 }, (_, i) => 0.15 + 0.1 * i); // inside every domain
const h = 1e-6;
const central = (f: (x: number) => number, x: number) => (f(x + h) - f(x - h)) / (2 * h);

/** The slope rule on plain numbers: what the kernel's lanes do, one lane. */
const numberLanes: Lanes = {
  host: (name, x) => FUNCTIONS[name].value(x),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  constant: (c) => c,
};

describe.each(FUNCTION_NAMES.map((n) => [n]))('%s', (name) => {
  const f = FUNCTIONS[name];

  it('is the entry of its name, its column loop equal to its value', () => {
    expect(f.name).toBe(name);
    const out = new Float64Array(xs.length);
    f.column(xs, out, xs.length);
    xs.forEach((x, i) => expect(out[i]).toBe(f.value(x)));
  });

  it('its symbolic derivative and kernel slope agree with central differences', () => {
    const derivative = compileProgram([differentiate(fn(name, sym('x')), 'x')], ['x']);
    const [symbolic] = evaluateF64(derivative, { x: xs }, xs.length);
    xs.forEach((x, i) => {
      const expected = central(f.value, x);
      const tolerance = 1e-7 * Math.max(1, Math.abs(expected));
      const at = typeof symbolic === 'number' ? symbolic : symbolic![i]!;
      expect(Math.abs(at - expected), `d${name}(${x})`).toBeLessThan(tolerance);
      const slope = f.slope(numberLanes, x, f.value(x)) ?? 0;
      expect(Math.abs(slope - expected), `slope of ${name} at ${x}`).toBeLessThan(tolerance);
    });
  });

  it('its tfjs op agrees with its value to float32 rounding', () => {
    const got = tf.tidy(() => f.tensor(tf, tf.tensor1d(Float32Array.from(xs))).dataSync());
    xs.forEach((x, i) => {
      const expected = f.value(Math.fround(x));
      expect(Math.abs(got[i]! - expected)).toBeLessThan(4e-7 * Math.max(1, Math.abs(expected)));
    });
  });
});
