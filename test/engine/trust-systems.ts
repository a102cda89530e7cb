// Systems the discovery had not been tested on (issue 28): each as a study, with its true
// Lagrangian's coefficients in the library's terms (hand-derived; the normalisation term fixes
// the gauge).
import type { StudySpec } from '../../src-shared/study/study-schema';
import { parseStudy } from '../../src-shared/study/study-schema';

const box = (lo: number, hi: number, d: number) =>
  Array.from({ length: d }, () => ({ min: lo, max: hi }));

interface TrustSystem {
  readonly study: (noise: number, seed?: number, count?: number) => StudySpec;
  /** term → true coefficient (the normalisation term included); other terms are zero. */
  readonly truth: Record<string, number>;
}

function study(
  name: string,
  system: StudySpec['system'],
  window: { q: Array<{ min: number; max: number }>; qd: Array<{ min: number; max: number }> },
  library: object,
  normalisation: { term: string; coefficient: number },
  noise: number,
  seed: number,
  count: number,
): StudySpec {
  return parseStudy({
    name,
    system,
    sampling: {
      window,
      count,
      seed,
      countMode: 'drawn',
      ...(noise > 0 ? { accelerationNoise: { relative: noise, seed: seed + 1000 } } : {}),
    },
    validation: {
      sampling: { window, count: Math.ceil(count / 2), seed: seed + 1, countMode: 'drawn' },
    },
    model: { family: 'discovery', library, normalisation },
    optimizer: { algorithm: 'gd', learningRate: 0.01 },
    stopping: { maxSteps: 1 },
  });
}

/** Three unit masses, springs k = 1 between the walls and each neighbour. */
export const springChain: TrustSystem = {
  study: (noise, seed = 1, count = 2000) =>
    study(
      'three-mass spring chain',
      {
        name: 'spring chain',
        coordinates: ['q0', 'q1', 'q2'],
        velocities: ['qd0', 'qd1', 'qd2'],
        parameters: [{ name: 'k', value: 1 }],
        lagrangian: '0.5*(qd0^2 + qd1^2 + qd2^2) - 0.5*k*(q0^2 + (q1 - q0)^2 + (q2 - q1)^2 + q2^2)',
      },
      { q: box(-1, 1, 3), qd: box(-1, 1, 3) },
      { kinetic: true, polynomialOrder: 2 },
      { term: 'qd0^2', coefficient: 0.5 },
      noise,
      seed,
      count,
    ),
  truth: {
    'qd0^2': 0.5,
    'qd1^2': 0.5,
    'qd2^2': 0.5,
    'q0^2': -1,
    'q1^2': -1,
    'q2^2': -1,
    'q0*q1': 1,
    'q1*q2': 1,
  },
};

/** A spring pendulum in polar coordinates (r, θ): k = 20, l0 = 1, g = 9.81, unit mass. */
export const elasticPendulum: TrustSystem = {
  study: (noise, seed = 1, count = 2000) =>
    study(
      'elastic pendulum (polar)',
      {
        name: 'elastic pendulum',
        coordinates: ['q0', 'q1'],
        velocities: ['qd0', 'qd1'],
        parameters: [
          { name: 'k', value: 20 },
          { name: 'l0', value: 1 },
          { name: 'g', value: 9.81 },
        ],
        lagrangian: '0.5*(qd0^2 + q0^2*qd1^2) - 0.5*k*(q0 - l0)^2 + g*q0*cos(q1)',
      },
      {
        q: [
          { min: 0.7, max: 1.5 },
          { min: -1, max: 1 },
        ],
        qd: box(-1, 1, 2),
      },
      {
        kinetic: true,
        kineticCoupled: true,
        polynomialOrder: 2,
        trigonometric: true,
        coordinateTrig: true,
      },
      { term: 'qd0^2', coefficient: 0.5 },
      noise,
      seed,
      count,
    ),
  truth: { 'qd0^2': 0.5, 'q0^2*qd1^2': 0.5, 'q0^2': -10, q0: 20, 'q0*cos(q1)': 9.81 },
};

/** A spherical pendulum (θ from the downward vertical, φ), unit mass and length, g = 9.81. */
export const sphericalPendulum: TrustSystem = {
  study: (noise, seed = 1, count = 2000) =>
    study(
      'spherical pendulum',
      {
        name: 'spherical pendulum',
        coordinates: ['q0', 'q1'],
        velocities: ['qd0', 'qd1'],
        parameters: [{ name: 'g', value: 9.81 }],
        lagrangian: '0.5*(qd0^2 + sin(q0)^2*qd1^2) + g*cos(q0)',
      },
      {
        q: [
          { min: 0.4, max: 1.4 },
          { min: -3, max: 3 },
        ],
        qd: box(-1, 1, 2),
      },
      { kinetic: true, kineticTrig: true, polynomialOrder: 2, trigonometric: true },
      { term: 'qd0^2', coefficient: 0.5 },
      noise,
      seed,
      count,
    ),
  truth: { 'qd0^2': 0.5, 'sin(q0)^2*qd1^2': 0.5, 'cos(q0)': 9.81 },
};

/**
 * A unit charge of unit mass in a uniform field B = 1 along z with an isotropic trap k = 2,
 * symmetric gauge A = B/2 (−y, x): L = ½|v|² + (B/2)(x ẏ − y ẋ) − (k/2)(x² + y²).
 */
export const chargeInField: TrustSystem = {
  study: (noise, seed = 1, count = 2000) =>
    study(
      'charged particle in a magnetic field with a trap',
      {
        name: 'charge in B with a trap',
        coordinates: ['q0', 'q1'],
        velocities: ['qd0', 'qd1'],
        parameters: [
          { name: 'B', value: 1 },
          { name: 'k', value: 2 },
        ],
        lagrangian: '0.5*(qd0^2 + qd1^2) + 0.5*B*(q0*qd1 - q1*qd0) - 0.5*k*(q0^2 + q1^2)',
      },
      { q: box(-1, 1, 2), qd: box(-1, 1, 2) },
      { kinetic: true, polynomialOrder: 2, custom: ['q0*qd1', 'q1*qd0', 'q0*qd0', 'q1*qd1'] },
      { term: 'qd0^2', coefficient: 0.5 },
      noise,
      seed,
      count,
    ),
  // q1·q̇0 = −q0·q̇1 + d/dt(q0 q1): only the sum is identifiable, as B·q0·q̇1 (the library's order)
  truth: { 'qd0^2': 0.5, 'qd1^2': 0.5, 'q0*qd1': 1, 'q0^2': -1, 'q1^2': -1 },
};

/** A Kepler orbit in the plane (Cartesian), GM = 1: L = ½|v|² + 1/r. */
export const kepler: TrustSystem = {
  study: (noise, seed = 1, count = 2000) =>
    study(
      'Kepler orbit',
      {
        name: 'Kepler',
        coordinates: ['q0', 'q1'],
        velocities: ['qd0', 'qd1'],
        parameters: [{ name: 'GM', value: 1 }],
        lagrangian: '0.5*(qd0^2 + qd1^2) + GM/sqrt(q0^2 + q1^2)',
      },
      {
        q: [
          { min: 0.5, max: 1.5 },
          { min: -1, max: 1 },
        ],
        qd: box(-1, 1, 2),
      },
      { kinetic: true, polynomialOrder: 2, central: ['inverse', 'square', 'log'] },
      { term: 'qd0^2', coefficient: 0.5 },
      noise,
      seed,
      count,
    ),
  truth: { 'qd0^2': 0.5, 'qd1^2': 0.5, '1/sqrt(q0^2 + q1^2)': 1 },
};
