import type { LossAndGradient } from './graph-kernel';

/**
 * One training step split across two threads that share memory: the caller writes θ, wakes the
 * helper, computes its own part of the points, then waits for the helper's part (Atomics on a
 * SharedArrayBuffer, no message round trip: a step is milliseconds). Loss and gradient are sums
 * over points, so the parts add.
 *
 * Layout: Int32 control [generation, answered, stop, failed], then θ, the helper's gradient and
 * its loss in float64.
 */
const GENERATION = 0;
const ANSWERED = 1;
const STOP = 2;
const FAILED = 3;
const CONTROL_BYTES = 16;

export function sharedStepBuffer(p: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + 8 * (2 * p + 1));
}

function views(buffer: SharedArrayBuffer, p: number) {
  return {
    control: new Int32Array(buffer, 0, 4),
    theta: new Float64Array(buffer, CONTROL_BYTES, p),
    gradient: new Float64Array(buffer, CONTROL_BYTES + 8 * p, p),
    loss: new Float64Array(buffer, CONTROL_BYTES + 16 * p, 1),
  };
}

/** The helper's loop: wait for a step, evaluate its points, answer; until told to stop. */
export function serveSteps(buffer: SharedArrayBuffer, p: number, part: LossAndGradient): void {
  const v = views(buffer, p);
  let seen = 0;
  for (;;) {
    Atomics.wait(v.control, GENERATION, seen);
    if (Atomics.load(v.control, STOP)) return;
    seen = Atomics.load(v.control, GENERATION);
    try {
      const r = part.evaluate(v.theta);
      v.gradient.set(r.gradient);
      v.loss[0] = r.loss;
    } catch {
      Atomics.store(v.control, FAILED, 1);
    }
    Atomics.store(v.control, ANSWERED, seen);
    Atomics.notify(v.control, ANSWERED);
  }
}

/**
 * The caller's side: `local` over its points, the helper over the rest; if the helper does not
 * answer within `patience` ms (it died, or the machine is starved) or fails, `fallback` (the
 * helper's points computed here) takes over for good.
 */
export function splitObjective(
  buffer: SharedArrayBuffer,
  p: number,
  local: LossAndGradient,
  fallback: () => LossAndGradient,
  patience = 30_000,
): LossAndGradient & { readonly helped: () => boolean; stop(): void } {
  const v = views(buffer, p);
  let generation = 0;
  let remote: LossAndGradient | null = null;
  const stop = () => {
    Atomics.store(v.control, STOP, 1);
    Atomics.add(v.control, GENERATION, 1);
    Atomics.notify(v.control, GENERATION);
  };
  const evaluate = (theta: Float64Array): { loss: number; gradient: Float64Array } => {
    if (remote) {
      const a = local.evaluate(theta);
      const b = remote.evaluate(theta);
      for (let i = 0; i < p; i++) a.gradient[i]! += b.gradient[i]!;
      return { loss: a.loss + b.loss, gradient: a.gradient };
    }
    v.theta.set(theta);
    generation = Atomics.add(v.control, GENERATION, 1) + 1;
    Atomics.notify(v.control, GENERATION);
    const mine = local.evaluate(theta);
    const waited =
      Atomics.load(v.control, ANSWERED) === generation ||
      Atomics.wait(v.control, ANSWERED, generation - 1, patience) !== 'timed-out' ||
      Atomics.load(v.control, ANSWERED) === generation;
    if (!waited || Atomics.load(v.control, FAILED)) {
      stop();
      remote = fallback();
      return evaluate(theta);
    }
    for (let i = 0; i < p; i++) mine.gradient[i]! += v.gradient[i]!;
    return { loss: mine.loss + v.loss[0]!, gradient: mine.gradient };
  };
  return { helped: () => remote === null, stop, evaluate };
}
