import type { MetricsSeries, RunDetail, RunRow } from '../../src-shared/dto/runs';

/** A stored run as exports see it, built by hand (its config unchecked, as in a damaged file). */
export function storedRun(
  run: Partial<RunRow> & Pick<RunRow, 'id' | 'name' | 'config'>,
  metrics: MetricsSeries,
): RunDetail {
  const now = new Date(0).toISOString();
  return {
    run: {
      status: 'completed',
      message: '',
      backend: null,
      seed: 1,
      step: metrics.steps.length,
      maxSteps: metrics.steps.length,
      finalLoss: 1,
      bestLoss: 1,
      notes: '',
      tags: [],
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      finishedAt: now,
      results: null,
      ...run,
    },
    metrics,
    grids: [],
  };
}
