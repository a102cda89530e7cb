import * as tf from '../tf';
import { accelerationsTensor, equationsOfMotion } from '../dynamics';
import type { TensorValue } from '../expression/evaluate-tensor';
import { EngineError } from '../errors';
import { add, mul, num, pow, sub, sumOf, sym, type Expr } from '../expression/ir';
import { linearStructure } from '../linear-form';
import { parseSystem, type SystemDefinition } from '../systems/system';
import type { CompiledModel, ModelSpec, TensorSamples } from './model';

/** A model whose Lagrangian is an expression in q, q̇ and the parameters θ. */
export function compileExpressionModel(
  spec: ModelSpec,
  lagrangian: Expr,
  system: SystemDefinition,
  parameterNames: readonly string[],
  fixedValues: Readonly<Record<string, number>>,
  initial: Float64Array,
): CompiledModel {
  const eom = equationsOfMotion(
    lagrangian,
    system.coordinates,
    system.velocities,
    fixedValues,
    parameterNames,
  );
  const linear = linearStructure(eom) ?? undefined;
  return {
    spec,
    parameterNames,
    initial,
    eom,
    lagrangian,
    fixedValues,
    ...(linear ? { linear } : {}),
    accelerationsFor(
      parameters: Readonly<Record<string, TensorValue>>,
      samples: TensorSamples,
    ): tf.Tensor[] {
      const env: Record<string, TensorValue> = { ...parameters };
      system.coordinates.forEach((c, i) => (env[c] = samples.q[i]!));
      system.velocities.forEach((v, i) => (env[v] = samples.qd[i]!));
      return accelerationsTensor(eom, env);
    },
    accelerations(theta: tf.Tensor1D, samples: TensorSamples): tf.Tensor[] {
      const env: Record<string, tf.Tensor> = {};
      system.coordinates.forEach((c, i) => (env[c] = samples.q[i]!));
      system.velocities.forEach((v, i) => (env[v] = samples.qd[i]!));
      const values = parameterNames.length === 1 ? [tf.reshape(theta, [])] : tf.unstack(theta);
      parameterNames.forEach((p, i) => (env[p] = values[i]!));
      return accelerationsTensor(eom, env);
    },
  };
}

/** Exact form: the system's own expression with a subset of its parameters learnable. */
export function compileExactFormModel(
  spec: Extract<ModelSpec, { family: 'exact-form' }>,
  system: SystemDefinition,
): CompiledModel {
  const parsed = parseSystem(
    spec.expression
      ? {
          ...system,
          lagrangian: spec.expression.lagrangian,
          parameters: spec.expression.parameters,
        }
      : system,
  );
  if (spec.learnable.length === 0)
    throw new EngineError('invalid-model', 'Choose at least one learnable parameter');
  for (const p of spec.learnable) {
    if (!(p in parsed.parameterValues))
      throw new EngineError(
        'invalid-model',
        `"${p}" is not a parameter of ${system.name} (it has ${Object.keys(parsed.parameterValues).join(', ')})`,
      );
  }
  const initial = Float64Array.from(spec.learnable, (p) => spec.initial?.[p] ?? 1);
  if (initial.some((v) => !Number.isFinite(v)))
    throw new EngineError('invalid-model', 'Initial parameter values must be finite numbers');
  return compileExpressionModel(
    spec,
    parsed.lagrangian,
    system,
    spec.learnable,
    parsed.parameterValues,
    initial,
  );
}

const MAX_ORDER = 12;

function kinetic(velocities: readonly string[]): Expr {
  // ½ Σ q̇_i²
  return mul(num(0.5), sumOf(velocities.map((v) => pow(sym(v), num(2)))));
}

/**
 * The report's eq. (4), coupling polynomial:
 *   L = ½ q̇² − ½ k q² − Σ_{i,j=0..N} c_ij q0^i q1^j
 */
export function compileCouplingPolynomial(
  spec: Extract<ModelSpec, { family: 'coupling-polynomial' }>,
  system: SystemDefinition,
): CompiledModel {
  if (system.coordinates.length !== 2)
    throw new EngineError(
      'invalid-model',
      'The coupling polynomial needs a system with two coordinates',
    );
  checkOrder(spec.order);
  if (!Number.isFinite(spec.k)) throw new EngineError('invalid-model', 'k must be a finite number');
  const [q0, q1] = system.coordinates.map(sym) as [Expr, Expr];
  const names: string[] = [];
  const terms: Expr[] = [];
  for (let i = 0; i <= spec.order; i++) {
    for (let j = 0; j <= spec.order; j++) {
      const name = `c_${i}_${j}`;
      names.push(name);
      terms.push(mul(sym(name), mul(pow(q0, num(i)), pow(q1, num(j)))));
    }
  }
  const trap = mul(num(0.5 * spec.k), add(pow(q0, num(2)), pow(q1, num(2))));
  const L = sub(sub(kinetic(system.velocities), trap), sumOf(terms));
  return compileExpressionModel(spec, L, system, names, {}, new Float64Array(names.length));
}

/**
 * The report's eq. (1)–(2), full polynomial:
 *   L = ½ q̇² + Σ_{m ≤ n} Σ_{i,j=1..N} c_mnij q_m^i q_n^j
 */
export function compilePolynomial(
  spec: Extract<ModelSpec, { family: 'polynomial' }>,
  system: SystemDefinition,
): CompiledModel {
  checkOrder(spec.order);
  const q = system.coordinates.map(sym);
  const names: string[] = [];
  const terms: Expr[] = [];
  for (let m = 0; m < q.length; m++) {
    for (let n = m; n < q.length; n++) {
      for (let i = 1; i <= spec.order; i++) {
        for (let j = 1; j <= spec.order; j++) {
          const name = `c_${m}_${n}_${i}_${j}`;
          names.push(name);
          terms.push(mul(sym(name), mul(pow(q[m]!, num(i)), pow(q[n]!, num(j)))));
        }
      }
    }
  }
  const L = add(kinetic(system.velocities), sumOf(terms));
  return compileExpressionModel(spec, L, system, names, {}, new Float64Array(names.length));
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new EngineError(
      'invalid-model',
      `The polynomial order must be a whole number from 1 to ${MAX_ORDER}, not ${order}`,
    );
  }
}
