// The text summary `lagrange study` prints for a finished run: the fit, the exact solve, the
// landscape, the rollout and the other analyses, in the numbers a physicist reads first.
import { unidentifiableDirection } from '../../src-shared/figures/identifiability';
import { formatNumber } from '../../src-shared/charts/format';
import type { StudyResults } from '../study/run-study';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { discoveryLines, learnedLines } from './discovery-summary';

export function formatSummary(study: StudySpec, r: StudyResults): string {
  const name = study.name;
  const names = r.model.parameterNames;
  const lines = [
    `study: ${name}`,
    `backend: ${r.backend}; data: ${r.dataset.n} points (${r.dataset.drawn} drawn${droppedText(r.dataset)}); model: ${r.model.family}, ${names.length} parameters, route ${r.model.route}`,
    `training: ${r.training.status} — ${r.training.message}; ${r.training.msPerStep.toFixed(3)} ms/step`,
    `loss: final ${formatNumber(r.training.finalLoss)}, best ${formatNumber(r.training.bestLoss)}`,
  ];
  lines.push(...learnedLines(study, r));
  if (r.discovery) lines.push(...discoveryLines(r.discovery));
  else if (names.length <= 12)
    lines.push(
      `fitted: ${names.map((n, i) => `${n} = ${formatNumber(r.training.parameters[i]!)}`).join(', ')}`,
    );
  if (r.ratios)
    lines.push(
      `fitted/true: ${Object.entries(r.ratios)
        .map(([n, v]) => `${n} ${Number.isFinite(v) ? v.toFixed(6) : 'n/a (true value 0)'}`)
        .join(', ')}`,
    );
  if (r.exact) {
    lines.push(
      `exact solve: loss ${formatNumber(r.exact.loss)}, rank ${r.exact.rank}, condition ${formatNumber(r.exact.effectiveConditionNumber)}${names.length <= 12 ? `; ${names.map((n, i) => `${n} = ${formatNumber(r.exact!.parameters[i]!)}`).join(', ')}` : ''}`,
    );
  }
  const unidentifiable = unidentifiableDirection(r);
  if (unidentifiable)
    lines.push(
      `condition ∞: the loss does not depend on ${unidentifiable.direction} (unidentifiable; e.g. a total time derivative)`,
    );
  if (r.identifiability)
    lines.push(
      `loss Hessian: eigenvalues ${r.identifiability.eigenvalues.map(formatNumber).join(', ')}; condition ${formatNumber(r.identifiability.conditionNumber)}; GD stable for lr < ${formatNumber(r.identifiability.maxStableLearningRate)}`,
    );
  if (r.landscape)
    lines.push(
      `landscape (${r.landscape.path}, ${r.landscape.precision}): grid minimum at ${r.landscape.x} = ${formatNumber(r.landscape.minimum.x)}, ${r.landscape.y} = ${formatNumber(r.landscape.minimum.y)}${gridSpacing(study)} — a node of the grid, not an estimate`,
    );
  if (r.roughness)
    lines.push(
      `landscape precision: float32 general vs float64 exact differ by ${formatNumber(r.roughness.medianRelativeDifference)} (median), ${formatNumber(r.roughness.maxRelativeDifference)} (max) relative`,
    );
  if (r.rollout)
    lines.push(
      `rollout: max |q_fit − q_true| ${formatNumber(r.rollout.maxDeviation)}; energy drift ${formatNumber(r.rollout.energyDriftFit)} (truth ${formatNumber(r.rollout.energyDriftTruth)})`,
    );
  if (r.validation)
    lines.push(
      `validation: mean squared error ${formatNumber(r.validation.validation.meanSquared)} vs training ${formatNumber(r.validation.training.meanSquared)} (×${formatNumber(r.validation.ratio)})`,
    );
  if (r.fixedPoints)
    lines.push(
      `fixed points: ${r.fixedPoints.map((f) => `(${f.q.map((x) => x.toFixed(6)).join(', ')}) ${f.stability}`).join('; ') || 'none in the window'}`,
    );
  if (r.fixedPointsFit)
    lines.push(
      `fixed points of the fit: ${r.fixedPointsFit.map((f) => `(${f.q.map((x) => x.toFixed(6)).join(', ')}) ${f.stability}`).join('; ') || 'none in the window'}`,
    );
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** Every dropped point by cause: "; dropped 120 in exclusion bands, 462 (singular mass matrix)". */
function droppedText(d: StudyResults['dataset']): string {
  if (!d.dropped) return `, ${d.rejected} rejected`;
  const parts = [
    [d.dropped.exclusionBand, 'in exclusion bands'],
    [d.dropped.halfPlane, 'outside half-planes'],
    [d.dropped.singularMass, 'where the mass matrix is singular'],
  ].filter(([n]) => (n as number) > 0);
  return parts.length === 0
    ? ', none dropped'
    : `; dropped ${parts.map(([n, why]) => `${n as number} ${why as string}`).join(', ')}`;
}

/** "(grid spacing Δk = 0.0402, Δalpha = 0.0101)" for the study's landscape axes. */
function gridSpacing(study: StudySpec): string {
  const l = study.landscape;
  if (!l) return '';
  const step = (a: { min: number; max: number; count: number }) =>
    Number(((a.max - a.min) / (a.count - 1)).toPrecision(3));
  return ` (grid spacing Δ${l.x.parameter} = ${step(l.x)}, Δ${l.y.parameter} = ${step(l.y)})`;
}
