import { expect } from 'vitest';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import * as tf from '../../src-main/engine/tf';
import { initBackend, type BackendName } from '../../src-main/engine/backend';

/** Backends every tensor test runs on (tfjs-core style: same tests, every backend). */
export const TEST_BACKENDS: BackendName[] = ['wasm', 'cpu'];

export async function useBackend(name: BackendName): Promise<void> {
  const report = await initBackend(name);
  expect(report.active).toBe(name);
  expect(tf.getBackend()).toBe(name === 'wasm' ? 'wasm' : 'cpu');
}

/** Independent random numbers for test inputs (a different generator from the engine's). */
export function uniforms(seed: number, n: number, min: number, max: number): Float64Array {
  const rng = mersenne(seed);
  return Float64Array.from({ length: n }, () => min + (max - min) * uniformFloat64(rng));
}

/** expectArraysClose: |a − e| ≤ atol + rtol·|e| elementwise, with the first failure named. */
export function expectArraysClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol = 0,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`index ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
