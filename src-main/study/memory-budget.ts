import type { StudySpec } from '../../src-shared/study/study-schema';
import { checkBudget, runBudgetBytes } from '../engine/budget';

export { runBudgetBytes };

/*
 * Memory is budgeted before it is spent (issue 32.3): a study inside the schema's limits
 * (polynomial order 12 on 8 coordinates, 20 000 points) built a 6.6 GB design matrix and took
 * the machine with it. The largest allocations are estimated from the study alone and a study
 * past the budget is refused with `too-large`, naming the figure, before its data exist.
 */

export interface MemoryEstimate {
  readonly bytes: number;
  /** What dominates, in words ("the design matrix: 160 000 rows × 5 184 parameters"). */
  readonly what: string;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** The model's parameter count from its settings (expression families), null when not linear. */
function linearParameters(study: StudySpec): number | null {
  const d = study.system.coordinates.length;
  const m = study.model;
  if (m.family === 'polynomial') return ((d * (d + 1)) / 2) * m.order * m.order;
  if (m.family === 'coupling-polynomial') return m.order * m.order;
  return null;
}

/** The study's largest allocations: the dataset, and the design matrix of a linear model. */
export function estimateRunBytes(study: StudySpec): MemoryEstimate[] {
  const d = study.system.coordinates.length;
  const n = study.sampling.count;
  // q, q̇, q̈ in float64, and as much again while drawing and filtering
  const out: MemoryEstimate[] = [
    { bytes: n * 3 * d * 8 * 2, what: `the dataset: ${fmt(n)} points × ${d} coordinates` },
  ];
  const p = linearParameters(study);
  if (p !== null)
    // A is (n·d) × p in float64, plus its float32 copy on the tensor route
    out.push({
      bytes: n * d * p * 12,
      what: `the design matrix: ${fmt(n * d)} rows × ${fmt(p)} parameters`,
    });
  const m = study.model;
  if (m.family === 'neural' || m.family === 'structured-neural') {
    // second-order jets through the network: per point and unit, 1 + 2d + (2d)² float32 values
    const units = m.hidden.reduce((s, w) => s + w, 0);
    out.push({
      bytes: n * units * (1 + 2 * d + 4 * d * d) * 4 * 2,
      what: `the network's second-order jets: ${fmt(n)} points × ${fmt(units)} units × ${fmt(1 + 2 * d + 4 * d * d)} derivatives`,
    });
  }
  return out;
}

/** Refuse a study whose estimate passes the budget, naming what and the limit. */
export function checkRunBudget(study: StudySpec, budget = runBudgetBytes()): void {
  const worst = estimateRunBytes(study).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  checkBudget(worst.bytes, worst.what, budget);
}
