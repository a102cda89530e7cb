import { equationsOfMotion } from '../dynamics';
import { evaluateF64 } from '../expression/evaluate-f64';
import { compileProgram } from '../expression/program';
import type { CompiledModel } from '../models/model';
import { definiteSign } from '../discovery/admissibility';

/*
 * Physical admissibility of a learned L, any family: M = ∂²L/∂q̇² must be definite (one sign) at
 * the points checked. Expression models (exact form, polynomials) derive M symbolically at the
 * fitted values; networks read it from their float64 jets.
 */

export interface LearnedKineticCheck {
  readonly indefinitePoints: number;
  readonly checkedPoints: number;
  /** The smallest eigenvalue-like pivot sign: +1 positive, −1 negative definite at most points. */
  readonly sign: 1 | -1;
}

/** At most this many points are checked (evenly thinned): a network's jet costs per point. */
const MAX_POINTS = 2000;

export function learnedKineticCheck(
  model: CompiledModel,
  theta: ArrayLike<number>,
  variables: { coordinates: readonly string[]; velocities: readonly string[] },
  points: { q: readonly Float64Array[]; qd: readonly Float64Array[] },
  shouldStop?: () => boolean,
): LearnedKineticCheck | null {
  const d = variables.coordinates.length;
  const n = points.q[0]!.length;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const picks = Array.from({ length: Math.ceil(n / stride) }, (_, k) => k * stride);
  const mass = massAt(model, theta, variables, points, picks);
  if (!mass) return null;
  let positive = 0;
  let negative = 0;
  const m = new Float64Array(d * d);
  const work = new Float64Array(d * d);
  for (let k = 0; k < picks.length; k++) {
    if ((k & 0xff) === 0 && shouldStop?.()) break;
    mass(k, m);
    const s = definiteSign(m, work, d);
    if (s > 0) positive++;
    else if (s < 0) negative++;
  }
  const checked = picks.length;
  return {
    indefinitePoints: checked - Math.max(positive, negative),
    checkedPoints: checked,
    sign: positive >= negative ? 1 : -1,
  };
}

/** M at the k-th picked point into `out` (row-major), or null when the model has no L to check. */
function massAt(
  model: CompiledModel,
  theta: ArrayLike<number>,
  variables: { coordinates: readonly string[]; velocities: readonly string[] },
  points: { q: readonly Float64Array[]; qd: readonly Float64Array[] },
  picks: readonly number[],
): ((k: number, out: Float64Array) => void) | null {
  const d = variables.coordinates.length;
  if (model.lagrangian) {
    const values: Record<string, number> = { ...model.fixedValues };
    model.parameterNames.forEach((p, i) => (values[p] = theta[i]!));
    const eom = equationsOfMotion(
      model.lagrangian,
      variables.coordinates,
      variables.velocities,
      values,
    );
    const program = compileProgram(eom.massMatrix.flat(), [
      ...variables.coordinates,
      ...variables.velocities,
    ]);
    const env: Record<string, Float64Array> = {};
    variables.coordinates.forEach(
      (c, j) => (env[c] = Float64Array.from(picks, (s) => points.q[j]![s]!)),
    );
    variables.velocities.forEach(
      (c, j) => (env[c] = Float64Array.from(picks, (s) => points.qd[j]![s]!)),
    );
    const entries = evaluateF64(program, env, picks.length);
    return (k, out) => {
      for (let e = 0; e < d * d; e++) {
        const v = entries[e]!;
        out[e] = typeof v === 'number' ? v : v[k]!;
      }
    };
  }
  if (model.numeric) {
    const L = model.numeric(theta);
    const q = new Float64Array(d);
    const qd = new Float64Array(d);
    return (k, out) => {
      const s = picks[k]!;
      for (let j = 0; j < d; j++) {
        q[j] = points.q[j]![s]!;
        qd[j] = points.qd[j]![s]!;
      }
      const jet = L.at(q, qd);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) out[i * d + j] = jet.hessian[(d + i) * 2 * d + d + j]!;
    };
  }
  return null;
}
