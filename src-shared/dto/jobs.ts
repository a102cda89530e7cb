import type { StudyPhase } from './results';
import type { RunStatus } from './runs';

export interface JobProgress {
  readonly runId: number;
  readonly phase: StudyPhase;
  readonly step: number;
  readonly maxSteps: number;
  readonly fraction: number;
  readonly loss: number | null;
  readonly parameters: number[] | null;
  /** Seconds left at the current step rate, or null before it is known. */
  readonly etaSeconds: number | null;
}

export interface JobStatusEvent {
  readonly runId: number;
  readonly status: RunStatus;
  readonly message: string;
}

export interface JobInfo {
  readonly runId: number;
  readonly state: 'queued' | 'running';
  readonly progress: JobProgress | null;
}
