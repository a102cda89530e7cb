import { describe, expect, it } from 'vitest';
import * as tf from '../../src-main/engine/tf';
import {
  accelerationsF64,
  accelerationsTensor,
  equationsOfMotion,
} from '../../src-main/engine/dynamics';
import { parseSystem, type SystemDefinition } from '../../src-main/engine/systems/system';
import { PRESETS } from '../../src-main/engine/systems/presets';
import { expectArraysClose, TEST_BACKENDS, uniforms, useBackend } from './helpers';

type ClosedForm = (q: number[], qd: number[], p: Record<string, number>) => number[];

// Closed forms written out by hand, evaluated in float64.
const closedForms: Record<keyof typeof PRESETS, ClosedForm> = {
  // m q̈ = −k q
  'harmonic-oscillator': ([x], _v, { m, k }) => [(-k! * x!) / m!],
  // m q̈0 = −k q0 + α sgn(q0−q1)/(q0−q1)²,  m q̈1 = −k q1 − α sgn(q0−q1)/(q0−q1)²
  'coulomb-pair': ([a, b], _v, { m, k, alpha }) => {
    const r = a! - b!;
    const coulomb = (alpha! * Math.sign(r)) / (r * r);
    return [(-k! * a! + coulomb) / m!, (-k! * b! - coulomb) / m!];
  },
  // Textbook double pendulum (angles from the downward vertical).
  'double-pendulum': ([t1, t2], [w1, w2], { m1, m2, l1, l2, g }) => {
    const den = 2 * m1! + m2! - m2! * Math.cos(2 * t1! - 2 * t2!);
    const a1 =
      (-g! * (2 * m1! + m2!) * Math.sin(t1!) -
        m2! * g! * Math.sin(t1! - 2 * t2!) -
        2 * Math.sin(t1! - t2!) * m2! * (w2! * w2! * l2! + w1! * w1! * l1! * Math.cos(t1! - t2!))) /
      (l1! * den);
    const a2 =
      (2 *
        Math.sin(t1! - t2!) *
        (w1! * w1! * l1! * (m1! + m2!) +
          g! * (m1! + m2!) * Math.cos(t1!) +
          w2! * w2! * l2! * m2! * Math.cos(t1! - t2!))) /
      (l2! * den);
    return [a1, a2];
  },
  // m ẍ = qB ẏ − k x,  m ÿ = −qB ẋ − k y
  'magnetic-field': ([x, y], [vx, vy], { m, charge, B, k }) => [
    (charge! * B! * vy! - k! * x!) / m!,
    (-charge! * B! * vx! - k! * y!) / m!,
  ],
};

function randomState(def: SystemDefinition, n: number, seed: number) {
  const d = def.coordinates.length;
  const q = Array.from({ length: d }, (_, i) => uniforms(seed + i, n, -1.5, 1.5));
  const qd = Array.from({ length: d }, (_, i) => uniforms(seed + 100 + i, n, -2, 2));
  if (def === PRESETS['coulomb-pair']) {
    // keep away from the q0 = q1 singularity so float32 stays meaningful
    for (let s = 0; s < n; s++)
      if (Math.abs(q[0]![s]! - q[1]![s]!) < 0.05)
        q[1]![s] = q[0]![s]! + 0.05 * Math.sign(q[1]![s]! - q[0]![s]! || 1);
  }
  return { q, qd };
}

function expected(
  def: SystemDefinition,
  form: ClosedForm,
  q: Float64Array[],
  qd: Float64Array[],
  params: Record<string, number>,
) {
  const d = q.length;
  const n = q[0]!.length;
  const out = Array.from({ length: d }, () => new Float64Array(n));
  for (let s = 0; s < n; s++) {
    const a = form(
      q.map((c) => c[s]!),
      qd.map((c) => c[s]!),
      params,
    );
    a.forEach((v, i) => (out[i]![s] = v));
  }
  return out;
}

const ids = Object.keys(PRESETS) as (keyof typeof PRESETS)[];

describe('Euler–Lagrange accelerations, float64 route', () => {
  it.each(ids)('%s matches its closed form on 1000 random samples', (id) => {
    const def = PRESETS[id];
    const parsed = parseSystem(def);
    const eom = equationsOfMotion(
      parsed.lagrangian,
      def.coordinates,
      def.velocities,
      parsed.parameterValues,
    );
    const { q, qd } = randomState(def, 1000, 7);
    const result = accelerationsF64(eom, q, qd);
    expect(result.singular.count).toBe(0);
    const want = expected(def, closedForms[id], q, qd, parsed.parameterValues);
    result.accelerations.forEach((a, i) => expectArraysClose(a, want[i]!, 1e-9, 1e-9));
  });

  it('keeps learnable parameters symbolic and gives the same numbers', () => {
    const def = PRESETS['coulomb-pair'];
    const parsed = parseSystem(def);
    const eom = equationsOfMotion(
      parsed.lagrangian,
      def.coordinates,
      def.velocities,
      parsed.parameterValues,
      ['k', 'alpha', 'm'],
    );
    expect(eom.constantMassInverse).toBeNull();
    const { q, qd } = randomState(def, 200, 3);
    const params = { m: 2, k: 3, alpha: 0.5 };
    const result = accelerationsF64(eom, q, qd, params);
    const want = expected(def, closedForms['coulomb-pair'], q, qd, params);
    result.accelerations.forEach((a, i) => expectArraysClose(a, want[i]!, 1e-9, 1e-9));
  });

  it('folds the unit mass matrix of the report system to the identity', () => {
    const def = PRESETS['coulomb-pair'];
    const parsed = parseSystem(def);
    const eom = equationsOfMotion(
      parsed.lagrangian,
      def.coordinates,
      def.velocities,
      parsed.parameterValues,
      ['k', 'alpha'],
    );
    expect(eom.constantMassInverse).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('solves a 3-coordinate system with a coupled mass matrix', () => {
    // L = ½ q̇ᵀ A q̇ − ½ Σ q_i², A = [[2,1,0],[1,3,1],[0,1,4]] ⇒ q̈ = −A⁻¹ q
    const def: SystemDefinition = {
      name: 'coupled',
      coordinates: ['q0', 'q1', 'q2'],
      velocities: ['qd0', 'qd1', 'qd2'],
      parameters: [{ name: 'c', value: 1 }],
      lagrangian:
        '0.5*(2*qd0^2 + 3*qd1^2 + 4*qd2^2) + qd0*qd1 + c*qd1*qd2*(1 + 0*q0) - 0.5*(q0^2+q1^2+q2^2)',
    };
    const parsed = parseSystem(def);
    const eom = equationsOfMotion(parsed.lagrangian, def.coordinates, def.velocities, {}, ['c']);
    const q = [Float64Array.of(1, 0.5), Float64Array.of(-1, 2), Float64Array.of(0.25, -3)];
    const qd = q.map(() => Float64Array.of(0, 0));
    const r = accelerationsF64(eom, q, qd, { c: 1 });
    // A⁻¹ = (1/18) [[11,−4,1],[−4,8,−2],[1,−2,5]] by cofactors (det A = 18)
    const inv = [
      [11, -4, 1],
      [-4, 8, -2],
      [1, -2, 5],
    ].map((row) => row.map((v) => v / 18));
    for (let s = 0; s < 2; s++) {
      const x = q.map((c) => c[s]!);
      inv.forEach((row, i) =>
        expect(r.accelerations[i]![s]).toBeCloseTo(
          -(row[0]! * x[0]! + row[1]! * x[1]! + row[2]! * x[2]!),
          12,
        ),
      );
    }
  });

  it('reports samples where the mass matrix is singular instead of returning silent NaN', () => {
    // M = q0² vanishes at q0 = 0
    const def: SystemDefinition = {
      name: 's',
      coordinates: ['q0'],
      velocities: ['qd0'],
      parameters: [],
      lagrangian: '0.5*q0^2*qd0^2 - 0.5*q0^2',
    };
    const parsed = parseSystem(def);
    const eom = equationsOfMotion(parsed.lagrangian, ['q0'], ['qd0'], {});
    const r = accelerationsF64(eom, [Float64Array.of(1, 0, 2, 0)], [Float64Array.of(1, 1, 1, 1)]);
    expect(r.singular.count).toBe(2);
    expect(r.singular.indices).toEqual([1, 3]);
    // q0² q̈ + 2 q0 q̇² − q0 q̇² ... : M q̈ = f, f = ∂L/∂q − C q̇ = q0 q̇² − q0 − 2 q0 q̇² ⇒ q̈ =
    // (−q̇² − 1)/q0
    expect(r.accelerations[0]![0]).toBeCloseTo(-2, 12);
    expect(r.accelerations[0]![2]).toBeCloseTo(-1, 12);
  });
});

describe.each(TEST_BACKENDS)('Euler–Lagrange accelerations, tensor route on %s', (backend) => {
  it.each(ids)('%s matches its closed form within 1e-4 relative', async (id) => {
    await useBackend(backend);
    const def = PRESETS[id];
    const parsed = parseSystem(def);
    const learnable = def.parameters.map((p) => p.name);
    const eom = equationsOfMotion(
      parsed.lagrangian,
      def.coordinates,
      def.velocities,
      parsed.parameterValues,
      learnable,
    );
    const { q, qd } = randomState(def, 1000, 11);
    const got = tf.tidy(() => {
      const env: Record<string, tf.Tensor | number> = {};
      def.coordinates.forEach((c, i) => (env[c] = tf.tensor1d(Float32Array.from(q[i]!))));
      def.velocities.forEach((v, i) => (env[v] = tf.tensor1d(Float32Array.from(qd[i]!))));
      for (const p of learnable) env[p] = tf.scalar(parsed.parameterValues[p]!);
      return tf.stack(accelerationsTensor(eom, env));
    });
    const values = got.arraySync() as number[][];
    got.dispose();
    const want = expected(def, closedForms[id], q, qd, parsed.parameterValues);
    // Relative to each sample's |q̈| (float32 through a few dozen operations).
    for (let s = 0; s < 1000; s++) {
      const scale = Math.hypot(...want.map((w) => w[s]!));
      want.forEach((w, i) => {
        const err = Math.abs(values[i]![s]! - w[s]!);
        if (err > 1e-4 * Math.max(scale, 1e-3))
          throw new Error(`${id} sample ${s} component ${i}: ${values[i]![s]} vs ${w[s]}`);
      });
    }
  });
});
