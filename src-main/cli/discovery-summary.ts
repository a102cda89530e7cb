import { formatCoefficient } from '../../src-shared/charts/format';
import type { DiscoveryResults } from '../../src-shared/dto/discovery';
import type { StudyResults } from '../../src-shared/dto/results';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { fittedLagrangian } from '../../src-shared/figures/discovered-lagrangian';

/** The discovered Lagrangian, its terms with uncertainties, and what was set aside and why. */
export function discoveryLines(d: DiscoveryResults): string[] {
  const chosen = d.path[d.selected]!;
  const lines = [
    `discovered: L = ${d.lagrangian}`,
    `selection: ${chosen.support.length} of ${d.terms.length} terms by ${d.selection} (${d.solver}, ${d.path.length} candidates); q̈ error ${formatCoefficient(chosen.validationError)} on validation, ${formatCoefficient(chosen.trainingError)} on training; BIC ${formatCoefficient(chosen.bic)}`,
    ...chosen.support.map((i) => {
      const term = d.terms[i]!;
      // the refit on q̈ when stored (its intervals cover under noise), else the regression's
      const value = d.evidence?.estimate.coefficients[i] ?? chosen.coefficients[i]!;
      const se = d.evidence?.estimate.standardErrors[i] ?? chosen.standardErrors[i]!;
      const interval = `[${formatCoefficient(value - 1.96 * se)}, ${formatCoefficient(value + 1.96 * se)}]`;
      const fixed =
        term.status === 'normalisation'
          ? ' (normalisation, fixed)'
          : ` ± ${formatCoefficient(se)}  95 % ${interval}`;
      return `  ${term.name.padEnd(28)} ${formatCoefficient(value).padStart(14)}${fixed}`;
    }),
    ...evidenceLines(d),
  ];
  for (const t of d.terms)
    if (t.status === 'no-effect' || t.status === 'dependent')
      lines.push(`${t.status}: ${t.name} — ${t.note ?? ''}`);
  return lines;
}

/** Admissibility, ambiguity and fit in words (runs stored before the check have none). */
function evidenceLines(d: DiscoveryResults): string[] {
  const e = d.evidence;
  if (!e) return [];
  const eig = e.kineticEigenvalues.map((v) => formatCoefficient(v)).join(', ');
  return [
    e.admissible
      ? `admissible: ∂²L/∂q̇² positive definite at all ${e.checkedPoints} points (eigenvalues at the least definite: ${eig})`
      : `NOT admissible: kinetic energy not positive definite at ${e.indefinitePoints} of ${e.checkedPoints} points (eigenvalues down to ${eig})`,
    e.ambiguity.dimension === 0
      ? 'decided: no other Lagrangian in the library gives this motion (beyond total derivatives)'
      : `the data do not decide: ${e.ambiguity.dimension}-dimensional family; add any multiple of ${e.ambiguity.directions.map((x) => `ΔL = ${x.lagrangian}`).join(' or ')}`,
    e.fit.adequate === false
      ? `NO FIT: q̈ error ${formatCoefficient(e.fit.validationError)} above the noise level ${formatCoefficient(e.fit.noiseMeanSquare ?? NaN)}`
      : `fit: q̈ error ${formatCoefficient(e.fit.validationError)}${e.fit.noiseMeanSquare === null ? ' (noise level unknown)' : ` (noise level ${formatCoefficient(e.fit.noiseMeanSquare)})`}`,
    `intervals: ${e.estimate.method}`,
    ...(e.filterCheck ? [filterCheckLine(d, e.filterCheck)] : []),
    ...e.alternatives.map(
      (i) =>
        `alternative: ${d.path[i]!.support.length} terms, q̈ error ${formatCoefficient(d.path[i]!.validationError)}${(d.path[i]!.indefinitePoints ?? 0) > 0 ? ', not admissible' : ''}`,
    ),
  ];
}

/** Trajectories: how far the coefficients move when the filter is two orders higher. */
function filterCheckLine(
  d: DiscoveryResults,
  check: NonNullable<NonNullable<DiscoveryResults['evidence']>['filterCheck']>,
): string {
  const worst = check.shifts.indexOf(Math.max(...check.shifts));
  const term = d.terms[worst]?.name ?? '?';
  return `filter check: at Savitzky–Golay order ${check.order} the coefficients move by up to ${formatCoefficient(check.shifts[worst] ?? 0)} SE (${term}; significance ${formatCoefficient(check.significance[worst] ?? 0)}, above 3 it is the filter's own error)`;
}

/** A learned L's admissibility and, for a refined discovery, the L with its fitted values. */
export function learnedLines(study: StudySpec, r: StudyResults): string[] {
  const lines: string[] = [];
  const a = r.admissibility;
  if (a)
    lines.push(
      a.indefinitePoints
        ? `NOT admissible: kinetic energy not positive definite at ${a.indefinitePoints} of ${a.checkedPoints} points`
        : `admissible: ∂²L/∂q̇² definite at all ${a.checkedPoints} points checked`,
    );
  const refined = fittedLagrangian(study, r.model.parameterNames, r.training.parameters);
  if (refined) lines.push(`learned: L = ${refined}`);
  return lines;
}
