import type { DiscoveryCandidate, DiscoveryResults } from '../../../src-shared/dto/discovery';
import { lagrangianText } from '../../../src-shared/figures/discovered-lagrangian';
import { kineticCheck, worstKineticEigenvalues } from './admissibility';
import type { OnShellFamily } from './ambiguity';
import {
  predictAccelerations,
  type AccelerationSamples,
  type TermParts,
} from './euler-lagrange-columns';
import { refitOnAccelerations } from './output-refit';

/** Noise levels as discover() takes them (absent: unknown). */
type NoiseLevels = { readonly training: number; readonly validation: number } | undefined;

/** Mean over samples of |q̈|² (the report's 'mean' loss form). */
export function meanSquareOf(qdd: readonly Float64Array[]): number {
  const n = qdd[0]!.length;
  return qdd.reduce((s, c) => s + c.reduce((t, v) => t + v * v, 0), 0) / n;
}

/** Mean over samples of |q̈_L − q̈_data|²; ∞ where the candidate's mass matrix is singular. */
export function accelerationError(
  parts: TermParts,
  coefficients: readonly number[],
  qdd: readonly Float64Array[],
): number {
  const predicted = predictAccelerations(parts, coefficients);
  const n = qdd[0]!.length;
  let total = 0;
  for (let j = 0; j < qdd.length; j++)
    for (let s = 0; s < n; s++) total += (predicted[j]![s]! - qdd[j]![s]!) ** 2;
  return Number.isNaN(total) ? Infinity : total / n;
}

interface EvidenceInput {
  readonly family: OnShellFamily;
  readonly path: readonly DiscoveryCandidate[];
  readonly selected: number;
  readonly names: readonly string[];
  readonly normIndex: number;
  readonly candidates: readonly number[];
  readonly parts: TermParts;
  readonly validParts: TermParts;
  readonly checkSets: readonly TermParts[];
  readonly training: AccelerationSamples;
  readonly validation: AccelerationSamples;
  readonly noise: NoiseLevels;
  readonly bound: number;
  /** The selected terms on the data filtered two orders higher (trajectories only). */
  readonly filterCheck?: {
    readonly order: number;
    readonly parts: TermParts;
    readonly qdd: readonly Float64Array[];
  };
}

const fmt = (x: number) => Number(x.toPrecision(4)).toString();

/**
 * What the selected answer rests on: admissibility, the on-shell family the data admit, other
 * candidates as good, the coefficients refitted on q̈ with intervals, and the fit's residual
 * against the noise level; with a warning in words for each doubt.
 */
export function gatherEvidence(e: EvidenceInput): NonNullable<DiscoveryResults['evidence']> {
  const chosen = e.path[e.selected]!;
  const warnings: string[] = [];
  const kinetic = kineticCheck(e.checkSets, chosen.coefficients);
  const eigen = worstKineticEigenvalues(e.checkSets, chosen.coefficients);
  if (kinetic.indefinitePoints > 0)
    warnings.push(
      `kinetic energy not positive definite at ${kinetic.indefinitePoints} of ${kinetic.checkedPoints} points (eigenvalues of ∂²L/∂q̇² down to ${fmt(eigen[0] ?? NaN)}): no admissible candidate fits as well`,
    );
  const family = e.family;
  const directions = family.directions.map((dir) => {
    const coefficients = new Array<number>(e.names.length).fill(0);
    e.candidates.forEach((term, k) => (coefficients[term] = dir.coefficients[k + 1]!));
    return { lagrangian: lagrangianText(e.names, coefficients), coefficients };
  });
  if (family.dimension > 0)
    warnings.push(
      `the data do not decide: a ${family.dimension}-dimensional family of Lagrangians gives the same motion on these data (add any multiple of ${directions.map((d) => `ΔL = ${d.lagrangian}`).join('; or ')}); the sparsest admissible one is shown`,
    );
  const alternatives = e.path
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => i !== e.selected && c.validationError <= e.bound)
    .filter(({ c }) => c.support.join() !== chosen.support.join())
    .sort((a, b) => a.c.support.length - b.c.support.length)
    .filter((a, k, all) => all.findIndex((b) => b.c.support.join() === a.c.support.join()) === k)
    .slice(0, 5)
    .map(({ i }) => i);
  const refit = refitOnAccelerations(
    e.parts,
    e.training.qdd,
    chosen.coefficients,
    e.normIndex,
    e.training.correlation,
  );
  const filter = e.filterCheck ? filterShifts(e, refit) : undefined;
  const flagged = filter
    ? filter.shifts.map((v, i) => (filterErrorMatters(v, filter.significance[i]!) ? v : 0))
    : [];
  if (filter && Math.max(...flagged) > 0) {
    const worst = flagged.indexOf(Math.max(...flagged));
    warnings.push(
      `the Savitzky–Golay filter's own smoothing error is not negligible: filtered at order ${filter.order} instead, ${e.names[worst]}'s coefficient moves by ${fmt(filter.shifts[worst]!)} standard errors; the intervals do not include this — use a shorter window or a higher order`,
    );
  }
  const validationError = meanSquareErrorOf(e.validParts, refit.coefficients, e.validation.qdd);
  const meanSquare = meanSquareOf(e.validation.qdd);
  let adequate: boolean | null = null;
  if (e.noise) {
    const allowed = 1.5 * e.noise.validation + 0.1 * e.noise.training + 1e-10 * meanSquare;
    adequate = validationError <= allowed;
    if (!adequate)
      warnings.push(
        `no candidate fits: the q̈ error ${fmt(validationError)} is above the noise level ${fmt(e.noise.validation)} (${fmt(Math.sqrt(validationError / meanSquare) * 100)} % of the rms q̈); the library may lack a term`,
      );
  }
  return {
    admissible: kinetic.indefinitePoints === 0,
    indefinitePoints: kinetic.indefinitePoints,
    checkedPoints: kinetic.checkedPoints,
    kineticEigenvalues: eigen,
    ambiguity: { dimension: family.dimension, gap: family.gap, directions },
    alternatives,
    estimate: {
      method: e.training.correlation
        ? `refit of the selected terms on q̈ (weighted Gauss–Newton); SE robust to the filter's error correlation over ${e.training.correlation.window} samples (sandwich); 95 % interval ±1.96 SE`
        : 'refit of the selected terms on q̈ (weighted Gauss–Newton); 95 % interval ±1.96 SE',
      coefficients: refit.coefficients,
      standardErrors: refit.standardErrors,
      iterations: refit.iterations,
    },
    fit: { validationError, noiseMeanSquare: e.noise ? e.noise.validation : null, adequate },
    ...(filter ? { filterCheck: filter } : {}),
    warnings,
  };
}

/**
 * Per term: the move |θ(order + 2) − θ(order)| in standard errors, and its significance: the
 * lower order's estimate is nearly a projection of the higher one's, so Var(Δθ) ≈ SE₊₂² − SE²
 * (Hausman's test); a move is the filter's smoothing error, not noise, when z = Δθ/√Var > 3.
 */
function filterShifts(e: EvidenceInput, refit: ReturnType<typeof refitOnAccelerations>) {
  const check = e.filterCheck!;
  const other = refitOnAccelerations(
    check.parts,
    check.qdd,
    refit.coefficients,
    e.normIndex,
    e.training.correlation,
  );
  const shifts: number[] = [];
  const significance: number[] = [];
  refit.coefficients.forEach((c, i) => {
    const se = refit.standardErrors[i]!;
    const move = Math.abs(other.coefficients[i]! - c);
    const spread = Math.sqrt(Math.max(other.standardErrors[i]! ** 2 - se ** 2, 0.01 * se ** 2));
    shifts.push(se > 0 ? move / se : 0);
    significance.push(se > 0 ? move / spread : 0);
  });
  return { order: check.order, shifts, significance };
}

/** The filter's own error matters: significant (z > 3) and at least one SE. */
export const filterErrorMatters = (shift: number, significance: number) =>
  shift > 1 && significance > 3;

function meanSquareErrorOf(
  parts: TermParts,
  coefficients: readonly number[],
  qdd: readonly Float64Array[],
): number {
  return accelerationError(parts, coefficients, qdd);
}
