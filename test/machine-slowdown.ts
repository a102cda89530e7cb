/*
 * How much slower than idle this machine runs right now, for timing bounds that must hold on a
 * loaded machine (issue 31.9: a second npm test beside the first doubles every figure): a fixed
 * piece of JavaScript is timed (the best of three) and compared with its time on the idle
 * 2-core machine. A bound multiplied by this grows with the machine's load, never with the code's.
 */
/** Its time on the idle 2-core machine in a vitest worker (best of three: 78–94 ms). */
const REFERENCE_IDLE_MS = 85;
const CAP = 3;

export function machineSlowdown(): number {
  const once = () => {
    const t = performance.now();
    let x = 0;
    for (let i = 1; i < 2_000_000; i++) x += Math.sqrt(i) * Math.sin(i);
    (globalThis as { slowdownSink?: number }).slowdownSink = x;
    return performance.now() - t;
  };
  const ms = Math.min(once(), once(), once());
  return Math.min(CAP, Math.max(1, ms / REFERENCE_IDLE_MS));
}
