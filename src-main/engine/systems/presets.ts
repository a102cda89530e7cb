import type { StudySpec } from '../../../src-shared/study/study-schema';
import type { SystemDefinition } from './system';

/** 1D harmonic oscillator: q̈ = −(k/m) q. */
export const harmonicOscillator: SystemDefinition = {
  name: 'Harmonic oscillator',
  description: 'One particle in a 1D harmonic potential.',
  coordinates: ['q0'],
  velocities: ['qd0'],
  parameters: [
    { name: 'm', value: 1, description: 'mass' },
    { name: 'k', value: 1, description: 'spring constant' },
  ],
  lagrangian: '0.5*m*qd0^2 - 0.5*k*q0^2',
};

/** The report's system: two unit charges in a harmonic trap with Coulomb repulsion. */
export const coulombPair: SystemDefinition = {
  name: 'Coulomb pair in a harmonic trap',
  description:
    'Two particles on a line in a harmonic potential (strength k) repelling with alpha/|q0 − q1| (alpha = charge0·charge1).',
  coordinates: ['q0', 'q1'],
  velocities: ['qd0', 'qd1'],
  parameters: [
    { name: 'm', value: 1, description: 'mass of each particle' },
    { name: 'k', value: 4, description: 'trap strength' },
    { name: 'alpha', value: 1, description: 'product of the charges' },
  ],
  lagrangian: '0.5*m*(qd0^2 + qd1^2) - 0.5*k*(q0^2 + q1^2) - alpha/abs(q0 - q1)',
};

/** Double pendulum: angles q0 = θ1, q1 = θ2 from the downward vertical; M depends on q0 − q1. */
export const doublePendulum: SystemDefinition = {
  name: 'Double pendulum',
  description: 'Two point masses on massless rods; the mass matrix depends on the configuration.',
  coordinates: ['q0', 'q1'],
  velocities: ['qd0', 'qd1'],
  parameters: [
    { name: 'm1', value: 1, description: 'upper mass' },
    { name: 'm2', value: 1, description: 'lower mass' },
    { name: 'l1', value: 1, description: 'upper rod length' },
    { name: 'l2', value: 1, description: 'lower rod length' },
    { name: 'g', value: 9.81, description: 'gravitational acceleration' },
  ],
  lagrangian:
    '0.5*(m1 + m2)*l1^2*qd0^2 + 0.5*m2*l2^2*qd1^2 + m2*l1*l2*qd0*qd1*cos(q0 - q1)' +
    ' + (m1 + m2)*g*l1*cos(q0) + m2*g*l2*cos(q1)',
};

/**
 * Charged particle in a plane with a uniform magnetic field B along z (symmetric gauge
 * A = B/2 (−y, x)) and a weak harmonic trap: L depends on q and q̇ together, ∂²L/∂q̇∂q ≠ 0.
 */
export const chargeInMagneticField: SystemDefinition = {
  name: 'Charge in a magnetic field',
  description:
    'A charge in a uniform magnetic field (symmetric gauge) and a harmonic trap: the Lorentz force enters through the velocity-dependent term.',
  coordinates: ['q0', 'q1'],
  velocities: ['qd0', 'qd1'],
  parameters: [
    { name: 'm', value: 1, description: 'mass' },
    { name: 'charge', value: 1, description: 'charge' },
    { name: 'B', value: 2, description: 'field strength along z' },
    { name: 'k', value: 1, description: 'trap strength' },
  ],
  lagrangian: '0.5*m*(qd0^2 + qd1^2) + 0.5*charge*B*(q0*qd1 - q1*qd0) - 0.5*k*(q0^2 + q1^2)',
};

export const PRESETS = {
  'harmonic-oscillator': harmonicOscillator,
  'coulomb-pair': coulombPair,
  'double-pendulum': doublePendulum,
  'magnetic-field': chargeInMagneticField,
} as const satisfies Record<string, SystemDefinition>;

/**
 * The report's §1.1 sampling window for the Coulomb pair: q, q̇ in [−1, 1]², with the band
 * |q0 − q1| < 0.1 (where the Coulomb force blows up) dropped.
 */
export function reportOriginWindow(): StudySpec['sampling']['window'] {
  const unit = () => [
    { min: -1, max: 1 },
    { min: -1, max: 1 },
  ];
  return { q: unit(), qd: unit(), exclusionBands: [{ i: 0, j: 1, epsilon: 0.1 }] };
}
