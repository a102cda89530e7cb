import { errorField, gridSamples } from '../engine/analysis/error-fields';
import { predictInChunks } from '../engine/analysis/predict';
import { initBackend } from '../engine/backend';
import { accelerationsInChunks } from '../engine/chunked';
import { accelerationsF64, equationsOfMotion } from '../engine/dynamics';
import { EngineError } from '../engine/errors';
import { compileModel } from '../engine/models/compile-model';
import { parseSystem } from '../engine/systems/system';
import type { FieldRequest, FieldResponse } from '../../src-shared/api/contract';

/**
 * q̈ of the truth (and of a fitted model, with its errors) on a grid: the data behind quivers and
 * error maps.
 */
export async function computeField(
  req: FieldRequest,
  onProgress: (fraction: number) => void = () => {},
): Promise<FieldResponse> {
  const { system, trueParameters, model, parameters, grid } = req;
  const parsed = parseSystem(system);
  const { q, qd, xValues, yValues } = gridSamples(grid, system.coordinates.length);
  const eom = equationsOfMotion(parsed.lagrangian, system.coordinates, system.velocities, {
    ...parsed.parameterValues,
    ...trueParameters,
  });
  const withModel = !!(model && parameters);
  // The truth is the first half of the work when a fit follows, all of it otherwise.
  const share = withModel ? 0.5 : 1;
  const truth = accelerationsInChunks(q, qd, (qc, qdc) => accelerationsF64(eom, qc, qdc), {
    onProgress: (f) => onProgress(share * f),
  }).accelerations;
  const out = {
    xValues: Array.from(xValues),
    yValues: Array.from(yValues),
    truth: truth.map((c) => Array.from(c)),
  };
  if (!model || !parameters) return out;
  await initBackend();
  const compiled = compileModel(model, system);
  if (parameters.length !== compiled.parameterNames.length)
    throw new EngineError(
      'invalid-request',
      `The model has ${compiled.parameterNames.length} parameters; ${parameters.length} were given`,
    );
  const fit = predictInChunks(compiled, parameters, q, qd, {
    onProgress: (f) => onProgress(0.5 + 0.5 * f),
  });
  const field = errorField(fit, truth);
  return {
    ...out,
    fit: fit.map((c) => Array.from(c)),
    absolute: Array.from(field.absolute),
    relative: Array.from(field.relative),
  };
}
