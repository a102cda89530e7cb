import { accelerationsF64, equationsOfMotion, type EquationsOfMotion } from '../dynamics';
import { differentiate } from '../expression/differentiate';
import { evaluateF64 } from '../expression/evaluate-f64';
import { mul, num, sub, substitute, sumOf, sym, type Expr } from '../expression/ir';
import { compileProgram, type Program } from '../expression/program';
import { EngineError, throwIfStopped, type StopCheck } from '../errors';
import type { CompiledModel } from '../models/model';
import { DOPRI5, errorNorm, RK4, rkStep } from './runge-kutta';

/**
 * Trajectories from the Euler–Lagrange equations: state y = (q, q̇), dy/dt = (q̇, q̈(q, q̇)).
 * Fixed-step RK4, or adaptive Dormand–Prince RK45 with error control. Energy
 * E = Σ q̇_i ∂L/∂q̇_i − L is tracked (conserved for time-independent L).
 */
export interface RolloutSystem {
  readonly d: number;
  acceleration(q: Float64Array, qd: Float64Array): Float64Array;
  energy(q: Float64Array, qd: Float64Array): number;
}

export interface Trajectory {
  readonly t: number[];
  /** q[i][k]: coordinate i at time t[k]. */
  readonly q: number[][];
  readonly qd: number[][];
  readonly energy: number[];
  /**
   * The kinetic part T = E(q, q̇) − E(q, 0) at each sample (for L = T − V with T quadratic in q̇;
   * free of the potential's additive constant): the scale of the energy drift.
   */
  readonly kinetic: number[];
  readonly steps: number;
  readonly rejectedSteps: number;
  /** Where and why integration stopped early (the trajectory up to there is kept). */
  readonly failure?: { readonly time: number; readonly reason: string };
}

export interface RolloutOptions {
  readonly duration: number;
  readonly method: 'rk4' | 'rk45';
  /** RK4 step, or RK45 initial step. */
  readonly dt: number;
  readonly tolerance?: number;
  /** Record every n-th accepted step (RK4) / at most this many samples (both). */
  readonly maxSamples?: number;
  /** Checked every few hundred steps: Cancel stops a rollout within a second. */
  readonly shouldStop?: StopCheck;
  /** Fraction of the duration integrated, every few hundred steps. */
  readonly onProgress?: (fraction: number) => void;
}

/** Steps (accepted and rejected) a rollout may take before it is stopped as too costly. */
export const MAX_ROLLOUT_STEPS = 1_000_000;
/** An RK45 step below this fraction of the duration means the trajectory is blowing up. */
const MIN_STEP_FRACTION = 1e-12;

/** A rollout system for an expression Lagrangian with all parameters given as numbers. */
export function expressionRolloutSystem(
  lagrangian: Expr,
  coordinates: readonly string[],
  velocities: readonly string[],
  values: Readonly<Record<string, number>>,
): RolloutSystem {
  const eom = equationsOfMotion(lagrangian, coordinates, velocities, values);
  const L = substitute(lagrangian, new Map(Object.entries(values).map(([k, v]) => [k, num(v)])));
  // E = Σ q̇_i ∂L/∂q̇_i − L
  const energyExpr = sub(sumOf(velocities.map((v) => mul(sym(v), differentiate(L, v)))), L);
  const energyProgram: Program = compileProgram([energyExpr], [...coordinates, ...velocities]);
  return fromEom(eom, energyProgram);
}

function fromEom(eom: EquationsOfMotion, energyProgram: Program): RolloutSystem {
  const d = eom.coordinates.length;
  const cols = (v: Float64Array) => Array.from(v, (x) => Float64Array.of(x));
  return {
    d,
    acceleration(q, qd) {
      const r = accelerationsF64(eom, cols(q), cols(qd));
      if (r.singular.count)
        throw new EngineError(
          'singular-mass',
          'The mass matrix became singular along the trajectory',
        );
      return Float64Array.from(r.accelerations, (a) => a[0]!);
    },
    energy(q, qd) {
      const env: Record<string, Float64Array> = {};
      eom.coordinates.forEach((c, i) => (env[c] = Float64Array.of(q[i]!)));
      eom.velocities.forEach((c, i) => (env[c] = Float64Array.of(qd[i]!)));
      const e = evaluateF64(energyProgram, env, 1)[0]!;
      return typeof e === 'number' ? e : e[0]!;
    },
  };
}

function derivative(sys: RolloutSystem, y: Float64Array): Float64Array {
  const d = sys.d;
  const a = sys.acceleration(y.subarray(0, d), y.subarray(d));
  const out = new Float64Array(2 * d);
  out.set(y.subarray(d), 0);
  out.set(a, d);
  return out;
}

/** The samples a rollout keeps: t, q, q̇, the energy and its kinetic part. */
class Samples {
  readonly t: number[] = [];
  readonly q: number[][];
  readonly qd: number[][];
  readonly energy: number[] = [];
  readonly kinetic: number[] = [];
  private readonly rest: Float64Array;
  constructor(private readonly sys: RolloutSystem) {
    this.q = Array.from({ length: sys.d }, () => []);
    this.qd = Array.from({ length: sys.d }, () => []);
    this.rest = new Float64Array(sys.d);
  }
  record(time: number, state: Float64Array): void {
    const d = this.sys.d;
    this.t.push(time);
    for (let i = 0; i < d; i++) {
      this.q[i]!.push(state[i]!);
      this.qd[i]!.push(state[d + i]!);
    }
    const e = this.sys.energy(state.subarray(0, d), state.subarray(d));
    this.energy.push(e);
    this.kinetic.push(e - this.sys.energy(state.subarray(0, d), this.rest));
  }
}

/** Where an integration is: the time reached and the steps taken (kept when it fails). */
interface Progress {
  time: number;
  steps: number;
  rejected: number;
}

export function rollout(
  sys: RolloutSystem,
  q0: readonly number[],
  qd0: readonly number[],
  options: RolloutOptions,
): Trajectory {
  if (!(options.duration > 0) || !(options.dt > 0))
    throw new EngineError('invalid-rollout', 'A rollout needs a positive duration and step');
  const y0 = Float64Array.from([...q0, ...qd0]);
  const samples = new Samples(sys);
  samples.record(0, y0);
  const at: Progress = { time: 0, steps: 0, rejected: 0 };
  let failure: Trajectory['failure'];
  try {
    if (options.method === 'rk4') fixedSteps(sys, y0, options, samples, at);
    else adaptiveSteps(sys, y0, options, samples, at);
  } catch (err) {
    // A blow-up along the way (not finite, the step collapsing, a singular mass matrix) keeps
    // the trajectory so far: what happened before the failure is what the user needs to see.
    const alongTheWay =
      err instanceof EngineError &&
      ['not-finite', 'invalid-rollout', 'singular-mass'].includes(err.code) &&
      at.steps > 0;
    if (!alongTheWay) throw err;
    failure = { time: at.time, reason: err.message };
  }
  const { t, q, qd, energy, kinetic } = samples;
  return {
    ...{ t, q, qd, energy, kinetic },
    steps: at.steps,
    rejectedSteps: at.rejected,
    ...(failure ? { failure } : {}),
  };
}

/** Every 256 steps: Cancel, and the fraction done. */
function checkpoint(options: RolloutOptions, count: number, fraction: number): void {
  if (count % 256 !== 0) return;
  throwIfStopped(options.shouldStop, 'The rollout');
  options.onProgress?.(fraction);
}

/** RK4: n equal steps no longer than dt, ending exactly at the duration; every k-th recorded. */
function fixedSteps(
  sys: RolloutSystem,
  y0: Float64Array,
  options: RolloutOptions,
  samples: Samples,
  at: Progress,
): void {
  const n = Math.ceil(options.duration / options.dt - 1e-9);
  const h = options.duration / n;
  if (n > MAX_ROLLOUT_STEPS)
    throw new EngineError(
      'invalid-rollout',
      `RK4 with dt = ${options.dt} needs ${n} steps for ${options.duration} s (at most ${MAX_ROLLOUT_STEPS}): use a larger dt or RK45`,
    );
  const sampleEvery = options.duration / (options.maxSamples ?? 2000);
  let nextSample = sampleEvery;
  let y = y0;
  for (let s = 0; s < n; s++) {
    checkpoint(options, s, s / n);
    y = rkStep((v: Float64Array) => derivative(sys, v), RK4, y, derivative(sys, y), h).y1;
    at.time = (s + 1) * h;
    at.steps++;
    if (!y.every(Number.isFinite))
      throw new EngineError('not-finite', `The trajectory left finite values at t = ${at.time}`);
    if (at.time >= nextSample - 1e-12 || s === n - 1) {
      samples.record(at.time, y);
      nextSample += sampleEvery;
    }
  }
}

/**
 * Dormand–Prince 5(4) with error control; samples on the fixed grid t_k = k·duration/maxSamples
 * (the same for every rollout of this length) by cubic Hermite interpolation over each step.
 */
function adaptiveSteps(
  sys: RolloutSystem,
  y0: Float64Array,
  options: RolloutOptions,
  samples: Samples,
  at: Progress,
): void {
  const { duration } = options;
  const tol = options.tolerance ?? 1e-9;
  const maxSamples = options.maxSamples ?? 2000;
  const sampleEvery = duration / maxSamples;
  let gridIndex = 1;
  let h = options.dt;
  let y = y0;
  let f = derivative(sys, y);
  while (at.time < duration - 1e-14) {
    checkpoint(options, at.steps + at.rejected, at.time / duration);
    checkStepping(options, at, h);
    h = Math.min(h, duration - at.time);
    const { y1, k } = rkStep((v: Float64Array) => derivative(sys, v), DOPRI5, y, f, h);
    const err = errorNorm(DOPRI5.e!, k, y, y1, h, tol);
    if (err <= 1 && Number.isFinite(err)) {
      const end = at.time + h;
      const fEnd = k[k.length - 1]!; // first-same-as-last
      for (
        ;
        gridIndex <= maxSamples && gridIndex * sampleEvery <= end + 1e-12 * duration;
        gridIndex++
      ) {
        const t = Math.min(gridIndex * sampleEvery, duration);
        samples.record(t, hermite(y, f, y1, fEnd, h, (t - at.time) / h));
      }
      [y, f, at.time] = [y1, fEnd, end];
      at.steps++;
    } else at.rejected++;
    // the step for an error of tol next time: h (0.9 / err)^(1/5), within ×0.2 … ×5
    const factor = Number.isFinite(err) && err > 0 ? 0.9 * Math.pow(err, -0.2) : 0.2;
    h *= Math.min(5, Math.max(0.2, factor));
  }
}

/** Too many steps, or a step collapsing: the trajectory is too stiff, or blows up here. */
function checkStepping(options: RolloutOptions, at: Progress, h: number): void {
  if (at.steps + at.rejected > MAX_ROLLOUT_STEPS)
    throw new EngineError(
      'invalid-rollout',
      `RK45 needed more than ${MAX_ROLLOUT_STEPS.toLocaleString('en-US')} steps by t = ${at.time.toPrecision(4)}: the trajectory is too stiff for this tolerance`,
    );
  if (h < MIN_STEP_FRACTION * options.duration)
    throw new EngineError(
      'invalid-rollout',
      `The rollout's step fell below ${(MIN_STEP_FRACTION * options.duration).toPrecision(2)} s at t = ${at.time.toPrecision(4)}: the trajectory diverges there (the learned dynamics blow up)`,
    );
}

/**
 * Cubic Hermite interpolation of a step from (y0, f0) to (y1, f1) of length h at θ ∈ [0, 1]:
 * y(θ) = h00 y0 + h10 h f0 + h01 y1 + h11 h f1 (error O(h⁴), below the step's own tolerance).
 */
function hermite(
  y0: Float64Array,
  f0: Float64Array,
  y1: Float64Array,
  f1: Float64Array,
  h: number,
  theta: number,
): Float64Array {
  const t2 = theta * theta,
    t3 = t2 * theta;
  const h00 = 2 * t3 - 3 * t2 + 1,
    h10 = t3 - 2 * t2 + theta,
    h01 = -2 * t3 + 3 * t2,
    h11 = t3 - t2;
  return y0.map((v, i) => h00 * v + h10 * h * f0[i]! + h01 * y1[i]! + h11 * h * f1[i]!);
}

/**
 * Largest and final |q_fit(t) − q_true(t)| at the fit's sample times; the truth is taken at the
 * same times (linear interpolation if its samples fall elsewhere), never paired by index.
 */
export function rolloutError(
  fit: Trajectory,
  truth: Trajectory,
): { maxDeviation: number; finalDeviation: number } {
  let max = 0;
  let last = 0;
  let j = 0;
  const end = truth.t[truth.t.length - 1]!;
  for (let k = 0; k < fit.t.length; k++) {
    const time = fit.t[k]!;
    if (time > end + 1e-12 * Math.max(1, end)) break;
    while (j < truth.t.length - 2 && truth.t[j + 1]! < time) j++;
    const t0 = truth.t[j]!,
      t1 = truth.t[Math.min(j + 1, truth.t.length - 1)]!;
    const w = t1 > t0 ? Math.min(1, Math.max(0, (time - t0) / (t1 - t0))) : 0;
    let dev = 0;
    for (let i = 0; i < fit.q.length; i++) {
      const row = truth.q[i]!;
      const value = row[j]! + w * (row[Math.min(j + 1, row.length - 1)]! - row[j]!);
      dev = Math.max(dev, Math.abs(fit.q[i]![k]! - value));
    }
    max = Math.max(max, dev);
    last = dev;
  }
  return { maxDeviation: max, finalDeviation: last };
}

/**
 * max_t |E(t) − E(0)| / max_t |T(t)|: the drift on the scale of the kinetic energy along the
 * rollout, which the potential's arbitrary additive constant does not change (dividing by |E0|
 * did: the same motion read as a drift of 10⁻⁹ or 1 depending on where V was zero).
 */
export function energyDrift(tr: Pick<Trajectory, 'energy' | 'kinetic'>): number {
  const e0 = tr.energy[0]!;
  let drift = 0;
  for (const e of tr.energy) drift = Math.max(drift, Math.abs(e - e0));
  return drift / Math.max(kineticScale(tr), 1e-300);
}

/** max |T| along a trajectory: the energy's scale, free of L's factor and constant. */
export function kineticScale(tr: Pick<Trajectory, 'kinetic'>): number {
  let scale = 0;
  for (const k of tr.kinetic) scale = Math.max(scale, Math.abs(k));
  return scale;
}

/** The learned Lagrangian at θ as a rollout system (expression models). */
export function modelRolloutSystem(
  model: CompiledModel,
  theta: ArrayLike<number>,
  coordinates: readonly string[],
  velocities: readonly string[],
): RolloutSystem {
  if (!model.lagrangian)
    throw new EngineError(
      'invalid-rollout',
      'Rollouts need a model with a Lagrangian expression (exact form or polynomial)',
    );
  const values: Record<string, number> = { ...model.fixedValues };
  model.parameterNames.forEach((p, i) => (values[p] = theta[i]!));
  return expressionRolloutSystem(model.lagrangian, coordinates, velocities, values);
}
