import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair, doublePendulum } from '../../src-main/engine/systems/presets';
import { parseSystem, type SystemDefinition } from '../../src-main/engine/systems/system';
import { accelerationsF64 } from '../../src-main/engine/dynamics';
import {
  axisValues,
  lossLandscape,
  type LandscapeSpec,
} from '../../src-main/engine/analysis/landscape';
import { lossF64 } from '../../src-main/engine/training/loss';
import type { PhaseSamples } from '../../src-main/engine/training/samples';
import { EngineError } from '../../src-main/engine/errors';
import { useBackend } from './helpers';
import { anharmonic, elasticPendulum, quartic, samplesOf, threeBody } from './nonlinear-systems';
import type { LossSpec } from '../../src-shared/dto/training';

/**
 * The fused WebAssembly landscape kernel against two independent routes: a float64 loop over
 * the cells (accelerationsF64 + lossF64 at each cell's parameters, no kernel, no hoisting) and
 * the tfjs tensor route; and against the float64 Gram path where the model is linear.
 */

/** The loss at every cell by a plain float64 loop: the reference. */
function referenceLandscape(
  system: SystemDefinition,
  learnable: string[],
  data: PhaseSamples,
  spec: LandscapeSpec,
): Float64Array {
  const model = compileModel({ family: 'exact-form', learnable }, system);
  const xs = axisValues(spec.x);
  const ys = axisValues(spec.y);
  const out = new Float64Array(xs.length * ys.length);
  ys.forEach((y, iy) =>
    xs.forEach((x, ix) => {
      const params = { ...spec.parameters, [spec.x.parameter]: x, [spec.y.parameter]: y };
      const pred = accelerationsF64(model.eom!, data.q, data.qd, params).accelerations;
      out[iy * xs.length + ix] = lossF64(pred, data.qdd, spec.loss);
    }),
  );
  return out;
}

/** Mean |q̈|² of the data: the scale of float32 rounding in a residual. */
const scaleOf = (data: PhaseSamples) =>
  lossF64(
    data.qdd.map((c) => new Float64Array(c.length)),
    data.qdd,
    { reduction: 'mean' },
  );

function expectLandscapesClose(
  actual: Float64Array,
  expected: Float64Array,
  rtol: number,
  atol: number,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.abs(expected[i]!) + atol;
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol))
      expect.fail(`cell ${i}: ${actual[i]} against ${expected[i]} (tolerance ${tol})`);
  }
}

interface Case {
  readonly title: string;
  readonly system: SystemDefinition;
  readonly learnable: [string, string];
  readonly ranges: [[number, number], [number, number]];
  readonly loss: LossSpec;
  readonly n: number;
}

const CASES: Case[] = [
  {
    title: 'a mixed value to integer powers (q − s)³ and (q − s + 3)⁻³',
    system: quartic,
    learnable: ['k', 's'],
    ranges: [
      [2, 4],
      [-0.5, 0.5],
    ],
    loss: { reduction: 'mean' },
    n: 641,
  },
  {
    title: 'elastic pendulum, learnable k and l0 (non-linear in l0 through k·l0)',
    system: elasticPendulum,
    learnable: ['k', 'l0'],
    ranges: [
      [20, 40],
      [0.5, 1.5],
    ],
    loss: { reduction: 'mean' },
    n: 1001,
  },
  {
    title: 'double pendulum, learnable lengths (mass matrix mixed: l1², l1·l2·cos(q0−q1))',
    system: doublePendulum,
    learnable: ['l1', 'l2'],
    ranges: [
      [0.6, 1.4],
      [0.7, 1.3],
    ],
    loss: { reduction: 'sum', relative: true },
    n: 999,
  },
  {
    title: 'three coupled coordinates (unrolled elimination), learnable a and b',
    system: threeBody,
    learnable: ['a', 'b'],
    ranges: [
      [1, 2],
      [1, 3],
    ],
    loss: { reduction: 'mean' },
    n: 503,
  },
  {
    title: 'a parameter inside cos and one in an exponent (host functions per lane)',
    system: anharmonic,
    learnable: ['w', 'p'],
    ranges: [
      [0.8, 1.8],
      [2.5, 4.5],
    ],
    loss: { reduction: 'mean', relative: true },
    n: 777,
  },
];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the fused landscape kernel', () => {
  for (const c of CASES) {
    it(c.title, () => {
      const data = samplesOf(c.system, c.n, 0.9, 1);
      const model = compileModel({ family: 'exact-form', learnable: c.learnable }, c.system);
      const truth = parseSystem(c.system).parameterValues;
      const spec: LandscapeSpec = {
        x: { parameter: c.learnable[0], min: c.ranges[0][0], max: c.ranges[0][1], count: 13 },
        y: { parameter: c.learnable[1], min: c.ranges[1][0], max: c.ranges[1][1], count: 11 },
        parameters: truth,
        loss: c.loss,
        path: 'general',
        // Small batches: several kernel calls, so chunking over cells is exercised too.
        maxBatchElements: 20 * c.n,
      };
      const reference = referenceLandscape(c.system, c.learnable, data, spec);
      const f64 = lossLandscape(model, data, { ...spec, precision: 'float64' });
      expect(f64.precision).toBe('float64');
      expectLandscapesClose(f64.loss, reference, 1e-9, 1e-13 * scaleOf(data));
      const f32 = lossLandscape(model, data, spec);
      const tensor = lossLandscape(model, data, { ...spec, kernel: 'tensor' });
      const atol =
        1e-7 * (c.loss.relative ? 1 : scaleOf(data)) * (c.loss.reduction === 'sum' ? c.n : 1);
      expectLandscapesClose(f32.loss, reference, 1e-4, atol);
      expectLandscapesClose(tensor.loss, reference, 1e-4, atol);
      // The truth lies on no node, but the loss must be smallest next to it.
      const at = (axis: LandscapeSpec['x'], v: number) =>
        (v - axis.min) / ((axis.max - axis.min) / (axis.count - 1));
      expect(Math.abs(f64.minimum.ix - at(spec.x, truth[c.learnable[0]]!))).toBeLessThanOrEqual(1);
      expect(Math.abs(f64.minimum.iy - at(spec.y, truth[c.learnable[1]]!))).toBeLessThanOrEqual(1);
    });
  }

  it("the report's (k, α) landscape: fused float32 and float64 against the float64 Gram path on every cell", () => {
    const data = samplesOf(coulombPair, 2001, 1, 1);
    const keep = data.q[0]!.map((q0, s) => (Math.abs(q0 - data.q[1]![s]!) > 0.1 ? 1 : 0));
    const pick = (cols: readonly Float64Array[]) =>
      cols.map((c) => c.filter((_, s) => keep[s] === 1));
    const banded = { q: pick(data.q), qd: pick(data.qd), qdd: pick(data.qdd) };
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const spec: LandscapeSpec = {
      x: { parameter: 'k', min: 0, max: 8, count: 60 },
      y: { parameter: 'alpha', min: 0, max: 2, count: 50 },
      parameters: { k: 4, alpha: 1 },
      loss: { reduction: 'mean' },
    };
    const gram = lossLandscape(model, banded, { ...spec, path: 'gram' });
    const f64 = lossLandscape(model, banded, { ...spec, path: 'general', precision: 'float64' });
    const f32 = lossLandscape(model, banded, { ...spec, path: 'general' });
    expectLandscapesClose(f64.loss, gram.loss, 1e-8, 1e-12 * scaleOf(banded));
    expectLandscapesClose(f32.loss, gram.loss, 1e-4, 1e-7 * scaleOf(banded));
    expect([f64.minimum.ix, f64.minimum.iy]).toEqual([gram.minimum.ix, gram.minimum.iy]);
  });

  it('reports progress per batch and stops on Cancel between batches', () => {
    const data = samplesOf(coulombPair, 500, 1, 1);
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const seen: number[] = [];
    let calls = 0;
    const spec: LandscapeSpec = {
      x: { parameter: 'k', min: 0, max: 8, count: 40 },
      y: { parameter: 'alpha', min: 0, max: 2, count: 40 },
      parameters: { k: 4, alpha: 1 },
      loss: { reduction: 'mean' },
      path: 'general',
      maxBatchElements: 100 * 500,
      onProgress: (done, total) => {
        expect(total).toBe(1600);
        seen.push(done);
      },
    };
    lossLandscape(model, data, spec);
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => (i + 1) * 100));
    const stopped = () =>
      lossLandscape(model, data, { ...spec, onProgress: undefined, shouldStop: () => ++calls > 3 });
    expect(stopped).toThrow(EngineError);
    expect(calls).toBe(4);
  });
});
