import type { StudySpec, SystemDefinition } from '../../src-shared/api/contract';

/** The report's section 1.1 study: what a new project starts from. */
export function defaultStudy(system: SystemDefinition): StudySpec {
  const learnable = system.parameters
    .filter((p) => p.name !== 'm')
    .map((p) => p.name)
    .slice(0, 2);
  // Start away from the truth, as the report does: (k, alpha) from (1, 0.2), others from 1.
  const initial = Object.fromEntries(learnable.map((n) => [n, n === 'alpha' ? 0.2 : 1]));
  const range = (n: string) => {
    const v = system.parameters.find((p) => p.name === n)?.value ?? 1;
    return { min: Math.min(0, 2 * v), max: Math.max(0, 2 * v) || 1 };
  };
  return {
    name: 'Origin window, exact form',
    system: {
      ...system,
      coordinates: [...system.coordinates],
      velocities: [...system.velocities],
      parameters: system.parameters.map((p) => ({ ...p })),
    },
    sampling: {
      window: {
        q: system.coordinates.map(() => ({ min: -1, max: 1 })),
        qd: system.velocities.map(() => ({ min: -1, max: 1 })),
        exclusionBands:
          system.coordinates.length === 2 && /abs\(q0 *- *q1\)/.test(system.lagrangian)
            ? [{ i: 0, j: 1, epsilon: 0.1 }]
            : [],
      },
      count: 10000,
      seed: 1,
      countMode: 'drawn',
    },
    model: { family: 'exact-form', learnable, initial },
    optimizer: { algorithm: 'adam', learningRate: 0.01 },
    stopping: { maxSteps: 1000 },
    loss: { reduction: 'mean' },
    route: 'auto',
    ...(learnable.length >= 2
      ? {
          landscape: {
            x: { parameter: learnable[0]!, ...range(learnable[0]!), count: 200 },
            y: { parameter: learnable[1]!, ...range(learnable[1]!), count: 200 },
          },
        }
      : {}),
    fixedPoints: true,
  };
}

/** L as light typeset HTML: q̇ for qd, subscripts, superscripts, Greek names, · for *. */
export function lagrangianHtml(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return esc
    .replace(/\bqd(\d+)/g, 'q̇<sub>$1</sub>')
    .replace(/\bq(\d+)/g, 'q<sub>$1</sub>')
    .replace(/\^\(([^()]*)\)/g, '<sup>$1</sup>')
    .replace(/\^(-?[\w.]+)/g, '<sup>$1</sup>')
    .replace(/\balpha\b/g, 'α')
    .replace(/\bbeta\b/g, 'β')
    .replace(/\bomega\b/g, 'ω')
    .replace(/\btheta\b/g, 'θ')
    .replace(/\bpi\b/g, 'π')
    .replace(/\*/g, '·');
}
