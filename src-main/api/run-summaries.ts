// A run as the API answers it: its whole detail (or a not-found error naming it), and the short
// summary the runs list shows and searches.
import { ApiError, type RunDetail, type RunSummary } from '../../src-shared/api/contract';
import { flattenConfig } from '../../src-shared/figures/compare';
import type { ProjectStore } from '../store/project-store';

export function runDetail(store: ProjectStore, id: number): RunDetail {
  const detail = store.detail(id);
  if (!detail) throw new ApiError('not-found', `There is no run ${id}`);
  return detail;
}

export function summarize(run: ReturnType<ProjectStore['listRuns']>[number]): RunSummary {
  const { config, results, ...rest } = run;
  let fitted: Record<string, number> | null = null;
  const names = results?.model.parameterNames;
  if (results && names && names.length <= 8)
    fitted = Object.fromEntries(names.map((n, i) => [n, results.training.parameters[i]!]));
  const maxStableLearningRate = results?.identifiability?.maxStableLearningRate ?? null;
  if (run.damage)
    return { ...rest, settings: {}, model: '?', optimizer: '?', fitted, maxStableLearningRate };
  const { model, optimizer } = config;
  // short settings only: the Lagrangian's text and long lists are not what one searches by value
  const settings = Object.fromEntries(
    Object.entries(flattenConfig(config)).filter(([, v]) => v.length <= 80),
  );
  return {
    ...rest,
    settings,
    model: model.family,
    optimizer: `${optimizer.algorithm} (lr ${optimizer.learningRate})`,
    fitted,
    maxStableLearningRate,
  };
}
