// What the job queue shows of a running study: the bar's fraction and ETA through the phases,
// computed from the worker's messages (pure: the queue keeps the state and emits).
import type { JobProgress } from '../../src-shared/dto/jobs';
import type { StudyPhase } from '../../src-shared/dto/results';

/** The progress as a phase starts: after training, each analysis fills the bar from 0 again. */
export function enteringPhase(
  current: JobProgress | null,
  start: { runId: number; step: number; maxSteps: number },
  phase: StudyPhase,
): JobProgress {
  const base = current ?? {
    ...start,
    fraction: 0,
    loss: null,
    parameters: null,
    etaSeconds: null,
  };
  const analysis = !['dataset', 'compile', 'training'].includes(phase);
  return { ...base, phase, ...(analysis ? { fraction: 0, etaSeconds: null } : {}) };
}

/** A phase's own fraction, and its ETA at its rate so far: elapsed · (1 − f) / f. */
export function withinPhase(
  current: JobProgress,
  elapsedSeconds: number,
  fraction: number,
): JobProgress {
  const f = Math.min(1, Math.max(0, fraction));
  const eta = f > 0.02 ? (elapsedSeconds * (1 - f)) / f : null;
  return { ...current, fraction: f, etaSeconds: eta };
}

/** A training step's progress; the ETA from the rate since the first step seen (steps per ms). */
export function trainingProgress(
  runId: number,
  msg: { step: number; maxSteps: number; loss: number; parameters: number[] },
  first: { step: number; at: number },
  now: number,
): JobProgress {
  const rate = (msg.step - first.step) / Math.max(now - first.at, 1);
  return {
    runId,
    phase: 'training',
    step: msg.step,
    maxSteps: msg.maxSteps,
    fraction: msg.step / msg.maxSteps,
    loss: msg.loss,
    parameters: msg.parameters,
    etaSeconds: rate > 0 ? (msg.maxSteps - msg.step) / rate / 1000 : null,
  };
}
