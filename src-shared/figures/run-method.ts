import type { StudySpec } from '../study/study-schema';

const OPTIMIZER_NAMES = {
  gd: 'plain gradient descent',
  momentum: 'gradient descent with momentum',
  adam: 'Adam',
  adagrad: 'AdaGrad',
  rmsprop: 'RMSProp',
} as const;

/**
 * How a run was fitted, for captions: "plain gradient descent, lr 0.001 (loss-adaptive), 3000
 * steps". A figure's caption names the method of the run behind it, so a reader never takes an
 * Adam run for gradient descent.
 */
export function runMethod(study: StudySpec, stepsTaken?: number): string {
  const o = study.optimizer;
  const schedule = 'schedule' in o && o.schedule && o.schedule.kind !== 'constant';
  const rate = `lr ${o.learningRate}${schedule ? ` (${o.schedule!.kind} schedule)` : ''}`;
  const steps = stepsTaken ?? study.stopping.maxSteps;
  return `${OPTIMIZER_NAMES[o.algorithm]}, ${rate}, ${steps} steps`;
}
