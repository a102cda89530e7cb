import type { StudyPhase } from '../../src-shared/dto/results';

/**
 * Wall time per phase of a study: each `enter` closes the phase before it. Reported in the
 * results (`timings`, milliseconds) so users see where their time goes.
 */
export function phaseClock(onPhase?: (phase: StudyPhase) => void) {
  const started = performance.now();
  const timings: Partial<Record<StudyPhase | 'total', number>> = {};
  let current: StudyPhase | undefined;
  let since = started;
  return {
    enter: (phase: StudyPhase): void => {
      const now = performance.now();
      if (current && current !== 'done') timings[current] = (timings[current] ?? 0) + now - since;
      current = phase;
      since = now;
      if (phase === 'done') timings.total = now - started;
      onPhase?.(phase);
    },
    timings: (): Record<string, number> => ({ ...timings }),
  };
}
