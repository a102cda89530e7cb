import { accelerationsF64, equationsOfMotion } from '../../src-main/engine/dynamics';
import { parseSystem, type SystemDefinition } from '../../src-main/engine/systems/system';
import type { PhaseSamples } from '../../src-main/engine/training/samples';
import { uniforms } from './helpers';

/** Systems whose q̈ is not linear in the parameters, for the fused kernels' tests. */

export const elasticPendulum: SystemDefinition = {
  name: 'Elastic pendulum',
  description: 'polar coordinates (r, θ); M = diag(m, m r²)',
  coordinates: ['r', 'th'],
  velocities: ['rd', 'thd'],
  parameters: [
    { name: 'm', value: 1 },
    { name: 'g', value: 9.81 },
    { name: 'k', value: 30 },
    { name: 'l0', value: 1 },
  ],
  lagrangian: '0.5*m*(rd^2 + r^2*thd^2) + m*g*r*cos(th) - 0.5*k*(r - l0)^2',
};

/** Three degrees of freedom with a configuration-dependent, parameter-dependent mass matrix. */
export const threeBody: SystemDefinition = {
  name: 'Coupled rotor',
  description: 'M = [[a(1+q0²), c q2, 0], [c q2, 1, 0], [0, 0, b]]',
  coordinates: ['q0', 'q1', 'q2'],
  velocities: ['qd0', 'qd1', 'qd2'],
  parameters: [
    { name: 'a', value: 1.5 },
    { name: 'b', value: 2 },
    { name: 'c', value: 0.4 },
  ],
  lagrangian:
    '0.5*a*(1 + q0^2)*qd0^2 + 0.5*qd1^2 + 0.5*b*qd2^2 + c*q2*qd0*qd1 - 0.5*(q0^2 + q1^2 + q2^2)',
};

/** Parameters inside a transcendental and in an exponent: lane-by-lane host calls. */
export const anharmonic: SystemDefinition = {
  name: 'Anharmonic well',
  description: 'L = ½q̇² − k(1 − cos(w q)) − 0.1 |q|^p',
  coordinates: ['q0'],
  velocities: ['qd0'],
  parameters: [
    { name: 'k', value: 2 },
    { name: 'w', value: 1.3 },
    { name: 'p', value: 3.5 },
  ],
  lagrangian: '0.5*qd0^2 - k*(1 - cos(w*q0)) - 0.1*abs(q0)^p',
};

/** A mixed value to integer powers, positive and negative: multiplication by squaring. */
export const quartic: SystemDefinition = {
  name: 'Shifted quartic well',
  description: 'L = ½q̇² − ¼k(q − s)⁴ − 0.1/(q − s + 3)²',
  coordinates: ['q0'],
  velocities: ['qd0'],
  parameters: [
    { name: 'k', value: 3 },
    { name: 's', value: 0.2 },
  ],
  lagrangian: '0.5*qd0^2 - 0.25*k*(q0 - s)^4 - 0.1/(q0 - s + 3)^2',
};

/** Points uniform in [−q, q] × [−q̇, q̇] (an independent generator) with the system's q̈. */
export function samplesOf(
  system: SystemDefinition,
  n: number,
  q: number,
  qd: number,
): PhaseSamples {
  const parsed = parseSystem(system);
  const eom = equationsOfMotion(
    parsed.lagrangian,
    system.coordinates,
    system.velocities,
    parsed.parameterValues,
  );
  const d = system.coordinates.length;
  const qs = Array.from({ length: d }, (_, i) => uniforms(11 + i, n, -q, q));
  const qds = Array.from({ length: d }, (_, i) => uniforms(31 + i, n, -qd, qd));
  return { q: qs, qd: qds, qdd: accelerationsF64(eom, qs, qds).accelerations };
}
