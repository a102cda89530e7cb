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

/** Ended for good: the run has its finish time (a cancelled run too; a paused one has not). */
export const ENDED_STATUSES: readonly RunStatus[] = [
  'completed',
  'converged',
  'diverged',
  'cancelled',
  'failed',
];

/** A status list as SQL text: `status IN (${sqlList(ACTIVE_STATUSES)})`. Fixed words only. */
export const sqlList = (statuses: readonly RunStatus[]) => statuses.map((s) => `'${s}'`).join(', ');

/** Stopped part-way: the run may resume, and its results (if any) lack some analyses. */
export const STOPPED_STATUSES: readonly RunStatus[] = ['paused', 'interrupted', 'cancelled'];

/**
 * Why a run's figures would be incomplete ('' when they are not): still active, stopped before
 * its results, or stopped during an analysis (its fit kept, later phases missing).
 */
export function unfinishedReason(run: Pick<RunRow, 'status' | 'results' | 'message'>): string {
  if (ACTIVE_STATUSES.includes(run.status)) return `${run.status}`;
  if (!run.results) return `${run.status}, no results yet`;
  if (run.results.cancelledIn) return `${run.status} during ${run.results.cancelledIn}`;
  if (STOPPED_STATUSES.includes(run.status)) return `${run.status}: ${run.message}`;
  return '';
}

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
  /**
   * The model's parameter index of each column of `parameters` and `gradients` when a run page
   * carries only some of them (see `pageHistories`); absent: every parameter, in model order.
   */
  readonly parameterColumns?: number[];
}

/** A project's size on disk, and how much of it stored loss landscapes take. */
export interface ProjectSize {
  readonly bytes: number;
  readonly landscapeBytes: number;
  /** Runs with a stored landscape. */
  readonly landscapeRuns: number;
}

/** Parameter histories a run page plots: the first 12 (more is a table, not a chart). */
export const PLOTTED_PARAMETERS = 12;

/**
 * The run detail a page receives: per-step histories of the plotted parameters and the given
 * extra ones (a landscape's axes) only. A 300-coefficient polynomial's 1000 steps are 12 MB of
 * JSON the page would parse in one long task and never draw (issue 30.11); the data export keeps
 * them all.
 */
export function pageHistories(detail: RunDetail, extra: readonly number[] = []): RunDetail {
  const m = detail.metrics;
  const width = m.parameters[0]?.length ?? 0;
  const keep = [...new Set([...Array(PLOTTED_PARAMETERS).keys(), ...extra])]
    .filter((i) => i >= 0 && i < width)
    .sort((a, b) => a - b);
  if (m.parameterColumns || keep.length >= width) return detail;
  const pick = (rows: number[][]) => rows.map((r) => keep.map((i) => r[i]!));
  return {
    ...detail,
    metrics: {
      ...m,
      parameters: pick(m.parameters),
      gradients: pick(m.gradients),
      parameterColumns: keep,
    },
  };
}

/** The per-step history of the model's parameter `index`, if the detail carries it. */
export function parameterHistory(
  m: MetricsSeries,
  index: number,
  of: 'parameters' | 'gradients' = 'parameters',
): number[] | undefined {
  const column = m.parameterColumns ? m.parameterColumns.indexOf(index) : index;
  if (column < 0 || index < 0) return undefined;
  return m[of].map((row) => row[column]!);
}

export type RunSummary = Omit<RunRow, 'config' | 'results'> & {
  /** The configuration's settings as dotted paths → text (for the runs list's search). */
  readonly settings: Record<string, string>;
  readonly model: string;
  readonly optimizer: string;
  readonly fitted: Record<string, number> | null;
  /** 2/λmax of the loss Hessian at the fit (the largest stable gradient-descent rate). */
  readonly maxStableLearningRate: number | null;
};

/** A stored grid as it crosses the API (plain arrays); metadata typed by kind. */
export type GridData = TypedGrid<number[]>;

export interface RunDetail {
  readonly run: RunRow;
  readonly metrics: MetricsSeries;
  readonly grids: GridData[];
}

/**
 * The newest 2/λmax computed by a run of this study (same template or name): the learning-rate
 * field warns above it for gradient descent.
 */
export function lastStableRate(
  runs: readonly Pick<RunSummary, 'id' | 'name' | 'settings' | 'maxStableLearningRate'>[],
  study: string,
): { runId: number; rate: number } | null {
  let best: { runId: number; rate: number } | null = null;
  for (const r of runs)
    if (
      r.maxStableLearningRate !== null &&
      (r.settings.template === study || r.settings.name === study || r.name === study) &&
      (!best || r.id > best.runId)
    )
      best = { runId: r.id, rate: r.maxStableLearningRate };
  return best;
}
