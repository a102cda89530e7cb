// Timing for npm run bench: one warm-up, then timed runs.
import type { Objective } from '../engine/training/objective';
import { train } from '../engine/training/train';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One warm-up, then `runs` timed runs; `perUnit` divides each time (e.g. by the step count). */
export async function measure<T>(
  runs: number,
  fn: () => Promise<T> | T,
  perUnit = 1,
): Promise<{ times: number[]; result: T }> {
  let result = await fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = await fn();
    times.push((performance.now() - t0) / perUnit);
  }
  return { times, result };
}

/** `steps` Adam steps (rate 0.001) from `initial`, timed per step over `runs` (after a warm-up). */
export function timedAdam(
  objective: Objective,
  initial: Float64Array,
  runs: number,
  steps: number,
) {
  return measure(
    runs,
    () =>
      train(objective, {
        optimizer: { algorithm: 'adam', learningRate: 0.001 },
        stopping: { maxSteps: steps },
        initial,
      }),
    steps,
  );
}
