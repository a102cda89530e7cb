/* A discovered Lagrangian Σ θ_i φ_i as text: to copy, and as an exact-form model. */
import type { DiscoveryResults } from '../dto/discovery';
import type { StudySpec } from '../study/study-schema';

/** Σ θ_i φ_i as mathjs text: coefficients to 12 significant digits, zeros left out. */
export function lagrangianText(names: readonly string[], coefficients: readonly number[]): string {
  const parts = names.flatMap((name, i) => {
    const c = coefficients[i]!;
    if (c === 0) return [];
    const value = String(Number(Math.abs(c).toPrecision(12)));
    const term = /^[\w^*]+$/.test(name) ? name : `(${name})`;
    return [{ sign: c < 0 ? '-' : '+', text: `${value}*${term}` }];
  });
  return parts
    .map((p, k) => (k === 0 ? (p.sign === '-' ? '-' : '') + p.text : ` ${p.sign} ${p.text}`))
    .join('');
}

/** The Lagrangian with each free coefficient as a parameter c1, c2, … in term order. */
export function parametrised(
  names: readonly string[],
  coefficients: readonly number[],
  normIndex: number,
): { lagrangian: string; parameters: Array<{ name: string; value: number }> } {
  const parameters: Array<{ name: string; value: number }> = [];
  const parts = names.flatMap((name, i) => {
    const c = coefficients[i]!;
    if (c === 0) return [];
    const term = /^[\w^*]+$/.test(name) ? name : `(${name})`;
    if (i === normIndex) return [`${String(c)}*${term}`];
    const parameter = `c${parameters.length + 1}`;
    parameters.push({ name: parameter, value: c });
    return [`${parameter}*${term}`];
  });
  return { lagrangian: parts.join(' + '), parameters };
}

/**
 * A study that refines a discovered Lagrangian as an exact-form model on the same data: its free
 * coefficients c1, c2, … learnable from their discovered values, every figure of an exact-form
 * run available (landscape of the first two coefficients, rollouts against the truth).
 */
export function exactFormStudy(
  study: StudySpec,
  discovery: DiscoveryResults,
  candidate: number,
): StudySpec {
  const chosen = discovery.path[candidate]!;
  const names = discovery.terms.map((t) => t.name);
  const normIndex = discovery.terms.findIndex((t) => t.status === 'normalisation');
  const expression = parametrised(names, chosen.coefficients, normIndex);
  const learnable = expression.parameters.map((p) => p.name);
  const axis = (p: { name: string; value: number } | undefined) =>
    p && {
      parameter: p.name,
      min: p.value - 0.5 * Math.abs(p.value || 1),
      max: p.value + 0.5 * Math.abs(p.value || 1),
      count: 101,
    };
  const [x, y] = [axis(expression.parameters[0]), axis(expression.parameters[1])];
  return {
    ...study,
    name: `${study.name} → exact form`,
    model: {
      family: 'exact-form',
      learnable,
      initial: Object.fromEntries(expression.parameters.map((p) => [p.name, p.value])),
      expression,
    },
    optimizer: { algorithm: 'adam', learningRate: 1e-3 },
    stopping: { maxSteps: 500 },
    ...(x && y ? { landscape: { x, y } } : { landscape: undefined }),
  };
}

/**
 * The Lagrangian a refined model learned: its expression with each learnable parameter replaced
 * by its fitted value (e.g. "0.5*qd0^2 + 0.4999*qd1^2 - 2.001*q0^2"); null for other models.
 */
export function fittedLagrangian(
  study: StudySpec,
  parameterNames: readonly string[],
  fitted: readonly number[],
): string | null {
  const m = study.model;
  if (m.family !== 'exact-form' || !m.expression) return null;
  const values = new Map(m.expression.parameters.map((p) => [p.name, p.value]));
  parameterNames.forEach((name, i) => values.set(name, fitted[i]!));
  return m.expression.lagrangian.replace(/\b[A-Za-z][A-Za-z0-9_]*\b/g, (word) =>
    values.has(word) ? `(${Number(values.get(word)!.toPrecision(8))})` : word,
  );
}
