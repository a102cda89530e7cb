// The API's computations whose cost depends on what the user typed: checking a system (deriving
// its Euler–Lagrange equations), its fixed points, a dataset preview and analysis fields. They run
// in the compute workers (jobs/compute-pool.ts), never on the main thread.
import type { RequestOf, ResponseOf } from '../../src-shared/api/contract';
import { accelerationsF64, equationsOfMotion } from '../engine/dynamics';
import { buildLibrary } from '../engine/discovery/library';
import { parseExpression } from '../engine/expression/parse';
import { lagrangianText } from '../../src-shared/figures/discovered-lagrangian';
import { EngineError } from '../engine/errors';
import { generateDataset } from '../engine/dataset';
import { findFixedPoints } from '../engine/fixed-points';
import { bounds } from '../engine/sampling';
import { parseSystem } from '../engine/systems/system';
import { computeField } from './fields';
import { checkWindow } from './window-check';
import { fitData } from './phases/data';
import { ensureHeapRoom } from './heap-room';
import { compileModel } from '../engine/models/compile-model';
import { predictInChunks } from '../engine/analysis/predict';
import type { StudySpec } from '../../src-shared/study/study-schema';

export type ComputeChannel =
  | 'system:check'
  | 'system:fixed-points'
  | 'dataset:preview'
  | 'analysis:field'
  | 'run:data'
  | 'sampling:check';
export type ComputeRequest<C extends ComputeChannel> = RequestOf<C>;
export type ComputeResponse<C extends ComputeChannel> = ResponseOf<C>;

/** Fraction done, for requests that can take over a second. */
type Progress = (fraction: number) => void;

type Computations = {
  [C in ComputeChannel]: (
    request: ComputeRequest<C>,
    onProgress: Progress,
  ) => ComputeResponse<C> | Promise<ComputeResponse<C>>;
};

export const COMPUTATIONS: Computations = {
  // a Lagrangian that does not check is an error with its code and position (the envelope)
  'system:check': ({ system }) => {
    const parsed = parseSystem(system);
    const eom = equationsOfMotion(
      parsed.lagrangian,
      system.coordinates,
      system.velocities,
      parsed.parameterValues,
    );
    return {
      parameterNames: system.parameters.map((p) => p.name),
      constantMass: eom.constantMassInverse !== null,
      lagrangianText: system.lagrangian,
    };
  },
  'system:fixed-points': ({ system, window, parameters }) => {
    const parsed = parseSystem(system);
    return findFixedPoints(
      parsed.lagrangian,
      system.coordinates,
      system.velocities,
      { ...parsed.parameterValues, ...parameters },
      window.map(bounds),
    );
  },
  'dataset:preview': ({ system, sampling, trueParameters }, onProgress) => {
    const d = generateDataset(
      { system, sampling, ...(trueParameters ? { parameterValues: trueParameters } : {}) },
      { onProgress },
    );
    // q, q̇ and q̈ as plain arrays for the transport: 8 bytes a number
    ensureHeapRoom(3 * d.q.length * d.n * 8, 'The dataset preview');
    return {
      n: d.n,
      drawn: d.drawn,
      rejected: d.rejected,
      q: d.q.map((c) => Array.from(c)),
      qd: d.qd.map((c) => Array.from(c)),
      qdd: d.qdd.map((c) => Array.from(c)),
    };
  },
  'analysis:field': (request, onProgress) => computeField(request, onProgress),
  'sampling:check': ({ system, window, trueParameters }) =>
    checkWindow(system, window, trueParameters),
  'run:data': ({ study, maxPoints, parameters }) => {
    const d = fitData(study);
    // every k-th point, so the picture keeps the data's spread
    const step = Math.max(1, Math.ceil(d.n / (maxPoints ?? 5000)));
    const pick = (c: ArrayLike<number>) => {
      const out: number[] = [];
      for (let i = 0; i < d.n; i += step) out.push(c[i]!);
      return out;
    };
    const q = d.q.map(pick);
    const qd = d.qd.map(pick);
    return {
      n: d.n,
      measured: !!study.measured,
      shown: q[0]?.length ?? 0,
      q,
      qd,
      qdd: d.qdd.map(pick),
      ...(parameters ? { predicted: predictAt(study, parameters, q, qd) } : {}),
    };
  },
};

export async function compute<C extends ComputeChannel>(
  channel: C,
  request: ComputeRequest<C>,
  onProgress: Progress = () => {},
): Promise<ComputeResponse<C>> {
  const run = COMPUTATIONS[channel] as (
    r: ComputeRequest<C>,
    p: Progress,
  ) => Promise<ComputeResponse<C>>;
  return run(request, onProgress);
}

/** The fitted model's q̈ at given points (the measured error map's other half). */
function predictAt(
  study: StudySpec,
  parameters: readonly number[],
  q: readonly number[][],
  qd: readonly number[][],
): number[][] {
  if (study.model.family === 'discovery') return discoveredAccelerations(study, parameters, q, qd);
  const model = compileModel(study.model, study.system);
  if (parameters.length !== model.parameterNames.length)
    throw new EngineError(
      'invalid-model',
      `The model has ${model.parameterNames.length} parameters; ${parameters.length} were given`,
    );
  return predictInChunks(model, parameters, q.map(column), qd.map(column)).map((c) =>
    Array.from(c),
  );
}

const column = (c: readonly number[]) => Float64Array.from(c);

/**
 * A discovery run's q̈: its L = Σ θ_i φ_i over the library (one coefficient per term, as stored),
 * through the Euler–Lagrange equations; NaN where its mass matrix is singular (issue 32.13).
 */
function discoveredAccelerations(
  study: StudySpec,
  parameters: readonly number[],
  q: readonly number[][],
  qd: readonly number[][],
): number[][] {
  if (study.model.family !== 'discovery') throw new Error('not a discovery study');
  const terms = buildLibrary(study.model.library, study.system);
  if (parameters.length !== terms.length)
    throw new EngineError(
      'invalid-model',
      `The library has ${terms.length} terms; ${parameters.length} coefficients were given`,
    );
  const variables = [...study.system.coordinates, ...study.system.velocities];
  const lagrangian = parseExpression(
    lagrangianText(
      terms.map((t) => t.name),
      parameters,
    ),
    variables,
  );
  const eom = equationsOfMotion(lagrangian, study.system.coordinates, study.system.velocities, {});
  const r = accelerationsF64(eom, q.map(column), qd.map(column));
  return r.accelerations.map((c) => Array.from(c));
}
