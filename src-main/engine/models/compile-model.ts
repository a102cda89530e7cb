import { EngineError } from '../errors';
import type { SystemDefinition } from '../systems/system';
import {
  compileCouplingPolynomial,
  compileExactFormModel,
  compilePolynomial,
} from './expression-model';
import type { CompiledModel, ModelSpec } from './model';
import { compileNeuralModel } from './neural';
import { compileStructuredNeuralModel } from './structured-neural';

export function compileModel(spec: ModelSpec, system: SystemDefinition): CompiledModel {
  switch (spec.family) {
    case 'exact-form':
      return compileExactFormModel(spec, system);
    case 'polynomial':
      return compilePolynomial(spec, system);
    case 'coupling-polynomial':
      return compileCouplingPolynomial(spec, system);
    case 'neural':
      return compileNeuralModel(spec, system);
    case 'structured-neural':
      return compileStructuredNeuralModel(spec, system);
    default:
      throw new EngineError(
        'invalid-model',
        `Unknown model family "${String((spec as { family?: unknown }).family)}"`,
      );
  }
}
