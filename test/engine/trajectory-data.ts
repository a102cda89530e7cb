// Measured-style trajectories for the coverage tests: seeded RK4 rollouts of hand-derived
// equations of motion (independent of the engine's), Gaussian noise on q, written as the CSV a
// user would import.
import { gaussianSource } from '../../src-main/engine/noise';

export interface TrajectoryPlan {
  readonly coordinates: readonly string[];
  /** q̈(q, q̇), derived by hand. */
  readonly accelerations: (q: readonly number[], qd: readonly number[]) => number[];
  readonly trajectories: number;
  readonly duration: number;
  /** Sampling interval of the recorded q(t); RK4 takes `substeps` steps per interval. */
  readonly dt: number;
  readonly substeps: number;
  /** Noise standard deviation as a fraction of each coordinate's standard deviation. */
  readonly noise: number;
  /** Initial (q, q̇) of a trajectory from standard normal draws. */
  readonly start: (gaussian: () => number) => { q: number[]; qd: number[] };
}

function rk4(plan: TrajectoryPlan, q0: number[], qd0: number[]): number[][] {
  const d = q0.length;
  const f = (y: number[]) => [...y.slice(d), ...plan.accelerations(y.slice(0, d), y.slice(d))];
  const axpy = (y: number[], h: number, k: number[]) => y.map((v, i) => v + h * k[i]!);
  let y = [...q0, ...qd0];
  const h = plan.dt / plan.substeps;
  const samples = [y.slice(0, d)];
  const steps = Math.round(plan.duration / plan.dt);
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < plan.substeps; k++) {
      const k1 = f(y);
      const k2 = f(axpy(y, h / 2, k1));
      const k3 = f(axpy(y, h / 2, k2));
      const k4 = f(axpy(y, h, k3));
      y = y.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    }
    samples.push(y.slice(0, d));
  }
  return samples;
}

/** CSV "t,q0,q1,…": the trajectories one after another, 10 s apart (each its own segment). */
export function trajectoryCsv(plan: TrajectoryPlan, seed: number): string {
  const gaussian = gaussianSource(seed);
  const lines = [['t', ...plan.coordinates].join(',')];
  let offset = 0;
  for (let k = 0; k < plan.trajectories; k++) {
    const { q, qd } = plan.start(gaussian);
    const path = rk4(plan, q, qd);
    const sd = q.map((_, j) => {
      const mean = path.reduce((a, p) => a + p[j]!, 0) / path.length;
      return Math.sqrt(path.reduce((a, p) => a + (p[j]! - mean) ** 2, 0) / path.length);
    });
    path.forEach((p, i) =>
      lines.push(
        [offset + i * plan.dt, ...p.map((v, j) => v + plan.noise * sd[j]! * gaussian())].join(','),
      ),
    );
    offset += plan.duration + 10;
  }
  return lines.join('\n');
}

const K = 20;
const G = 9.81;
/**
 * The elastic pendulum of trust-systems.ts (r, θ; unit mass, l0 = 1) as 8 trajectories of 4 s at
 * dt = 0.01 s with 1 % noise: r̈ = r θ̇² − k (r − 1) + g cos θ, θ̈ = −(2 ṙ θ̇ + g sin θ)/r.
 */
export const elasticPlan = {
  plan: {
    coordinates: ['q0', 'q1'],
    accelerations: ([r, th], [rd, thd]) => [
      r! * thd! ** 2 - K * (r! - 1) + G * Math.cos(th!),
      -(2 * rd! * thd! + G * Math.sin(th!)) / r!,
    ],
    trajectories: 8,
    duration: 4,
    dt: 0.01,
    substeps: 4,
    noise: 0.01,
    start: (gaussian) => ({
      q: [1 + 0.15 * gaussian(), 0.6 * gaussian()],
      qd: [0.5 * gaussian(), 0.5 * gaussian()],
    }),
  } satisfies TrajectoryPlan as TrajectoryPlan,
  csv: trajectoryCsv,
};
