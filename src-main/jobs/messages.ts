import type { StudyPhase, StudyResults } from '../study/run-study';
import type { StudySpec } from '../../src-shared/study/study-schema';
import type { ErrorEnvelope } from '../../src-shared/errors';
import type { TrainCheckpoint } from '../engine/training/train';
import type { HistorySnapshot } from '../engine/training/history';

export type ToWorker =
  | {
      readonly type: 'start';
      readonly runId: number;
      readonly study: StudySpec;
      readonly resumeFrom?: TrainCheckpoint;
      readonly progressIntervalMs: number;
      readonly checkpointIntervalMs: number;
      /**
       * Int32 [0]: 0 run, 1 cancel, 2 pause — set by the main thread with Atomics, so a stop is
       * seen inside a long synchronous phase, where the worker cannot receive messages.
       */
      readonly stopFlag: SharedArrayBuffer;
    }
  | { readonly type: 'cancel' }
  | { readonly type: 'pause' };

export interface GridMessage {
  readonly kind: string;
  readonly meta: unknown;
  readonly nx: number;
  readonly ny: number;
  readonly data: Float64Array;
}

export type FromWorker =
  | { readonly type: 'phase'; readonly phase: StudyPhase; readonly backend?: string }
  /** Fraction of the current analysis phase done (throttled by the worker). */
  | { readonly type: 'phase-progress'; readonly fraction: number }
  | {
      readonly type: 'progress';
      readonly step: number;
      readonly maxSteps: number;
      readonly loss: number;
      readonly parameters: number[];
      readonly elapsedMs: number;
    }
  | { readonly type: 'checkpoint'; readonly checkpoint: TrainCheckpoint }
  | { readonly type: 'paused'; readonly checkpoint: TrainCheckpoint }
  | {
      readonly type: 'done';
      readonly results: StudyResults;
      readonly history: HistorySnapshot;
      readonly checkpoint: TrainCheckpoint;
      readonly grids: GridMessage[];
    }
  | { readonly type: 'failed'; readonly error: ErrorEnvelope };

export const STOP_CANCEL = 1;
export const STOP_PAUSE = 2;
