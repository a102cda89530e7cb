import type { StudySpec } from '../study/study-schema';
import type { StudyResults, TypedGrid } from './results';

export type RunStatus =
  | 'queued'
  | 'running'
  | 'paused'
  | 'completed'
  | 'converged'
  | 'diverged'
  | 'cancelled'
  | 'failed'
  | 'interrupted';

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export interface RunRow {
  readonly id: number;
  readonly name: string;
  readonly status: RunStatus;
  readonly message: string;
  readonly backend: string | null;
  readonly seed: number | null;
  readonly step: number;
  readonly maxSteps: number;
  readonly finalLoss: number | null;
  readonly bestLoss: number | null;
  readonly notes: string;
  readonly tags: string[];
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly config: StudySpec;
  readonly results: StudyResults | null;
  /** Why part of this row could not be read (damaged JSON); the rest of the run is usable. */
  readonly damage?: string;
}

export interface MetricsSeries {
  readonly steps: number[];
  readonly loss: number[];
  readonly parameters: number[][];
  readonly gradients: number[][];
  /**
   * Wall-clock time of each row (ms since the Unix epoch), when every row has one (runs
   * recorded before times were stored have none).
   */
  readonly times?: number[];
}

export type RunSummary = Omit<RunRow, 'config' | 'results'> & {
  /** The configuration's settings as dotted paths → text (for the runs list's search). */
  readonly settings: Record<string, string>;
  readonly model: string;
  readonly optimizer: string;
  readonly fitted: Record<string, number> | null;
};

/** A stored grid as it crosses the API (plain arrays); metadata typed by kind. */
export type GridData = TypedGrid<number[]>;

export interface RunDetail {
  readonly run: RunRow;
  readonly metrics: MetricsSeries;
  readonly grids: GridData[];
}
