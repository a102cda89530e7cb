import { accelerationsF64, equationsOfMotion, type EquationsOfMotion } from '../dynamics';
import { differentiate } from '../expression/differentiate';
import { evaluateF64 } from '../expression/evaluate-f64';
import { mul, num, sub, substitute, sumOf, sym, type Expr } from '../expression/ir';
import { compileProgram, type Program } from '../expression/program';
import { EngineError, throwIfStopped, type StopCheck } from '../errors';
import type { CompiledModel } from '../models/model';

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

const axpy = (y: Float64Array, terms: Array<[number, Float64Array]>) => {
  const out = Float64Array.from(y);
  for (const [c, k] of terms) for (let i = 0; i < out.length; i++) out[i] = out[i]! + c * k[i]!;
  return out;
};

export function rollout(
  sys: RolloutSystem,
  q0: readonly number[],
  qd0: readonly number[],
  options: RolloutOptions,
): Trajectory {
  const d = sys.d;
  if (!(options.duration > 0) || !(options.dt > 0))
    throw new EngineError('invalid-rollout', 'A rollout needs a positive duration and step');
  let y = Float64Array.from([...q0, ...qd0]);
  const maxSamples = options.maxSamples ?? 2000;
  const t: number[] = [];
  const q: number[][] = Array.from({ length: d }, () => []);
  const qd: number[][] = Array.from({ length: d }, () => []);
  const energy: number[] = [];
  const kinetic: number[] = [];
  const rest = new Float64Array(d);
  const recordState = (time: number, state: Float64Array) => {
    t.push(time);
    for (let i = 0; i < d; i++) {
      q[i]!.push(state[i]!);
      qd[i]!.push(state[d + i]!);
    }
    const e = sys.energy(state.subarray(0, d), state.subarray(d));
    energy.push(e);
    kinetic.push(e - sys.energy(state.subarray(0, d), rest));
  };
  const record = (time: number) => recordState(time, y);
  record(0);
  let time = 0;
  let steps = 0;
  let rejected = 0;
  const sampleEvery = options.duration / maxSamples;
  let nextSample = sampleEvery;
  let gridIndex = 1;
  let failure: Trajectory['failure'];
  try {
    if (options.method === 'rk4') {
      // n equal steps no longer than dt, ending exactly at the duration
      const n = Math.ceil(options.duration / options.dt - 1e-9);
      const h = options.duration / n;
      if (n > MAX_ROLLOUT_STEPS)
        throw new EngineError(
          'invalid-rollout',
          `RK4 with dt = ${options.dt} needs ${n} steps for ${options.duration} s (at most ${MAX_ROLLOUT_STEPS}): use a larger dt or RK45`,
        );
      for (let s = 0; s < n; s++) {
        if (s % 256 === 0) {
          throwIfStopped(options.shouldStop, 'The rollout');
          options.onProgress?.(s / n);
        }
        const k1 = derivative(sys, y);
        const k2 = derivative(sys, axpy(y, [[h / 2, k1]]));
        const k3 = derivative(sys, axpy(y, [[h / 2, k2]]));
        const k4 = derivative(sys, axpy(y, [[h, k3]]));
        y = axpy(y, [
          [h / 6, k1],
          [h / 3, k2],
          [h / 3, k3],
          [h / 6, k4],
        ]);
        time = (s + 1) * h;
        steps++;
        if (!y.every(Number.isFinite))
          throw new EngineError('not-finite', `The trajectory left finite values at t = ${time}`);
        if (time >= nextSample - 1e-12 || s === n - 1) {
          record(time);
          nextSample += sampleEvery;
        }
      }
    } else {
      // Dormand–Prince 5(4) tableau
      const tol = options.tolerance ?? 1e-9;
      let h = options.dt;
      let k1 = derivative(sys, y);
      while (time < options.duration - 1e-14) {
        if ((steps + rejected) % 256 === 0) {
          throwIfStopped(options.shouldStop, 'The rollout');
          options.onProgress?.(time / options.duration);
        }
        if (steps + rejected > MAX_ROLLOUT_STEPS)
          throw new EngineError(
            'invalid-rollout',
            `RK45 needed more than ${MAX_ROLLOUT_STEPS.toLocaleString('en-US')} steps by t = ${time.toPrecision(4)}: the trajectory is too stiff for this tolerance`,
          );
        if (h < MIN_STEP_FRACTION * options.duration)
          throw new EngineError(
            'invalid-rollout',
            `The rollout's step fell below ${(MIN_STEP_FRACTION * options.duration).toPrecision(2)} s at t = ${time.toPrecision(4)}: the trajectory diverges there (the learned dynamics blow up)`,
          );
        h = Math.min(h, options.duration - time);
        const k2 = derivative(sys, axpy(y, [[h / 5, k1]]));
        const k3 = derivative(
          sys,
          axpy(y, [
            [(3 * h) / 40, k1],
            [(9 * h) / 40, k2],
          ]),
        );
        const k4 = derivative(
          sys,
          axpy(y, [
            [(44 * h) / 45, k1],
            [(-56 * h) / 15, k2],
            [(32 * h) / 9, k3],
          ]),
        );
        const k5 = derivative(
          sys,
          axpy(y, [
            [(19372 * h) / 6561, k1],
            [(-25360 * h) / 2187, k2],
            [(64448 * h) / 6561, k3],
            [(-212 * h) / 729, k4],
          ]),
        );
        const k6 = derivative(
          sys,
          axpy(y, [
            [(9017 * h) / 3168, k1],
            [(-355 * h) / 33, k2],
            [(46732 * h) / 5247, k3],
            [(49 * h) / 176, k4],
            [(-5103 * h) / 18656, k5],
          ]),
        );
        const y5 = axpy(y, [
          [(35 * h) / 384, k1],
          [(500 * h) / 1113, k3],
          [(125 * h) / 192, k4],
          [(-2187 * h) / 6784, k5],
          [(11 * h) / 84, k6],
        ]);
        const k7 = derivative(sys, y5);
        // error = y5 − y4
        let err = 0;
        const e = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];
        const ks = [k1, k2, k3, k4, k5, k6, k7];
        for (let i = 0; i < y.length; i++) {
          let ei = 0;
          for (let j = 0; j < 7; j++) ei += e[j]! * ks[j]![i]!;
          const scale = tol * (1 + Math.max(Math.abs(y[i]!), Math.abs(y5[i]!)));
          err = Math.max(err, Math.abs(h * ei) / scale);
        }
        if (err <= 1 && Number.isFinite(err)) {
          // Output on the fixed grid t_k = k·duration/maxSamples, the same for every rollout of
          // this length, by cubic Hermite interpolation over the step (y, f at both ends).
          const end = time + h;
          while (
            gridIndex <= maxSamples &&
            gridIndex * sampleEvery <= end + 1e-12 * options.duration
          ) {
            const at = Math.min(gridIndex * sampleEvery, options.duration);
            recordState(at, hermite(y, k1, y5, k7, h, (at - time) / h));
            gridIndex++;
          }
          y = y5;
          k1 = k7; // first-same-as-last
          time = end;
          steps++;
        } else rejected++;
        const factor = Number.isFinite(err) && err > 0 ? 0.9 * Math.pow(err, -0.2) : 0.2;
        h *= Math.min(5, Math.max(0.2, factor));
      }
    }
  } catch (err) {
    // A blow-up along the way (not finite, the step collapsing, a singular mass matrix) keeps
    // the trajectory so far: what happened before the failure is what the user needs to see.
    const alongTheWay =
      err instanceof EngineError &&
      ['not-finite', 'invalid-rollout', 'singular-mass'].includes(err.code) &&
      steps > 0;
    if (!alongTheWay) throw err;
    failure = { time, reason: err.message };
  }
  return {
    t,
    q,
    qd,
    energy,
    kinetic,
    steps,
    rejectedSteps: rejected,
    ...(failure ? { failure } : {}),
  };
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
