import type {
  DiscoveryCandidate,
  DiscoveryResults,
  DiscoverySpec,
} from '../../../src-shared/dto/discovery';
import { lagrangianText, parametrised } from '../../../src-shared/figures/discovered-lagrangian';
import { EngineError, throwIfStopped } from '../errors';
import { leastSquares } from '../training/least-squares';
import { gaussianSource } from '../noise';
import {
  compileParts,
  designColumns,
  evaluateParts,
  type AccelerationSamples,
} from './euler-lagrange-columns';
import { buildLibrary, findTerm, type LibraryTerm, type Variables } from './library';
import type { FilterCheck } from '../training/samples';
import { lassoSupports, pathThresholds, stlsqSupports } from './sparse-path';
import { screenTerms } from './term-screen';
import { admissible, kineticCheck } from './admissibility';
import { accelerationError, gatherEvidence, meanSquareOf } from './evidence';
import { sparsestInFamily } from './family-search';
import { onShellFamily } from './ambiguity';

/** Within this factor of the best validation error, the sparsest candidate is chosen. */
const VALIDATION_TOLERANCE = 1.05;

export interface DiscoveryInput {
  readonly spec: DiscoverySpec;
  readonly variables: Variables;
  readonly training: AccelerationSamples;
  /** A second window for model selection (default: the training data). */
  readonly validation?: AccelerationSamples;
  /** Between path points: true stops the discovery (cancel). */
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (fraction: number) => void;
  /**
   * Mean over samples of |noise on q̈|² in the training and validation data (0: exact data;
   * absent: unknown, e.g. measured data).
   */
  readonly noise?: { readonly training: number; readonly validation: number };
}

/** What one discovery may hold in memory (LAGRANGE_DISCOVERY_BUDGET_MB overrides; 1.5 GiB). */
export function discoveryBudgetBytes(): number {
  const set = Number(process.env.LAGRANGE_DISCOVERY_BUDGET_MB);
  return (Number.isFinite(set) && set > 0 ? set : 1536) * 2 ** 20;
}

/**
 * Refuse before allocating: each term keeps d² + d float64 columns per sample on the training
 * and validation data, and the regression's on- and off-shell design columns d more each.
 */
function checkDiscoveryMemory(terms: number, d: number, input: DiscoveryInput): void {
  const n = input.training.q[0]!.length;
  const nv = input.validation ? input.validation.q[0]!.length : 0;
  const bytes = terms * ((d * d + d) * (n + nv) + 3 * d * n) * 8;
  const budget = discoveryBudgetBytes();
  if (bytes > budget)
    throw new EngineError(
      'too-large',
      `This discovery needs about ${(bytes / 2 ** 30).toFixed(1)} GiB (${terms} terms × ${d} coordinates × ${n + nv} points); the limit is ${(budget / 2 ** 30).toFixed(1)} GiB: use fewer terms or fewer points`,
    );
}

/** Random accelerations of the data's scale: columns that stay dependent are identities. */
function offShell(data: AccelerationSamples): Float64Array[] {
  const gaussian = gaussianSource(0x5eed);
  return data.qdd.map((c) => {
    const scale = Math.sqrt(c.reduce((s, v) => s + v * v, 0) / c.length) || 1;
    return c.map(() => scale * gaussian());
  });
}

/** Residual of the homogeneous Euler–Lagrange system: y − Σ θ_k A_k over the support. */
function residual(y: Float64Array, columns: readonly Float64Array[], theta: ArrayLike<number>) {
  const r = Float64Array.from(y);
  columns.forEach((c, k) => {
    const t = theta[k]!;
    for (let i = 0; i < r.length; i++) r[i] = r[i]! - t * c[i]!;
  });
  return r;
}

/**
 * Sparse regression for L = Σ θ_i φ_i. Each term's Euler–Lagrange column E[φ_i] is derived
 * symbolically; the motion requires Σ θ_i E[φ_i] = 0 at every sample, so with the
 * normalisation term's coefficient fixed at c this is A θ = −c E[φ_norm], solved sparsely along
 * a path of thresholds, each support refitted by float64 least squares and scored by how well
 * its Lagrangian predicts q̈ (solving its own M q̈ = −g) on the validation data, and by AIC/BIC
 * of the Euler–Lagrange residual.
 */
/* eslint-disable-next-line max-lines-per-function, complexity --
   the discovery pipeline in order (columns, path, selection, evidence); each step is its own
   function */
export function discover(input: DiscoveryInput): DiscoveryResults {
  const { spec, variables } = input;
  const stop = input.shouldStop;
  // progress by stage: derivation 0–30 %, evaluation to 45 %, screening to 50 %, the path after
  const stage = (from: number, to: number) => (f: number) =>
    input.onProgress?.(from + (to - from) * f);
  const terms = buildLibrary(spec.library, variables, stop);
  checkDiscoveryMemory(terms.length, variables.coordinates.length, input);
  const names = terms.map((t) => t.name);
  const normIndex = findTerm(terms, spec.normalisation.term, variables);
  const program = compileParts(terms, variables, stop, stage(0, 0.3));
  stage(0.3, 0.45)(0);
  const parts = evaluateParts(program, terms.length, input.training, variables, stop);
  const validation = input.validation ?? input.training;
  const validParts = input.validation
    ? evaluateParts(program, terms.length, validation, variables, stop)
    : parts;
  stage(0.45, 0.5)(0);
  const train = designColumns(parts, input.training.qdd, stop);
  // Off shell (random q̈), so that only identities count as dependence, not the data's own
  // equations of motion (on the data, other Lagrangians of the same motion are combinations).
  const screened = screenTerms(
    designColumns(parts, offShell(input.training), stop),
    names,
    normIndex,
    stop,
  );
  if (screened[normIndex]!.status !== 'normalisation')
    throw new EngineError(
      'invalid-model',
      `The normalisation term "${spec.normalisation.term}" has no effect on the motion: choose a kinetic term`,
    );
  const candidates = screened.flatMap((s, i) => (s.status === 'candidate' ? [i] : []));
  const c = spec.normalisation.coefficient;
  const y = train[normIndex]!.map((v) => -c * v);
  const columns = candidates.map((i) => train[i]!);

  const solver = spec.solver ?? 'stlsq';
  const thresholds = [0, ...pathThresholds()];
  stage(0.5, 0.6)(0);
  const supports = (solver === 'lasso' ? lassoSupports : stlsqSupports)(
    columns,
    y,
    thresholds,
    stop,
  );
  const seen = new Set<string>();
  const path: DiscoveryCandidate[] = [];
  // admissibility is checked where the data are and on the validation window
  const checkSets = input.validation ? [parts, validParts] : [parts];
  for (const [k, threshold] of thresholds.entries()) {
    if (input.shouldStop?.()) throw new EngineError('cancelled', 'The discovery was cancelled');
    stage(0.6, 1)(k / thresholds.length);
    const local = supports[k]!;
    const key = local.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    path.push(scoreSupport(local, threshold));
  }

  function scoreSupport(local: number[], threshold: number): DiscoveryCandidate {
    // each score is a float64 QR over every row: long for wide libraries, so a stop check each
    throwIfStopped(stop, 'The discovery');
    const fit = leastSquares(
      local.map((k) => columns[k]!),
      y,
      stop,
    );
    const N = y.length;
    const p = local.length;
    const rss = residual(
      y,
      local.map((k) => columns[k]!),
      fit.theta,
    ).reduce((s, v) => s + v * v, 0);
    const sigma2 = N > p ? rss / (N - p) : NaN;
    const coefficients = new Array<number>(terms.length).fill(0);
    const standardErrors = new Array<number>(terms.length).fill(0);
    coefficients[normIndex] = c;
    local.forEach((k, m) => {
      coefficients[candidates[k]!] = fit.theta[m]!;
      standardErrors[candidates[k]!] = Math.sqrt(sigma2 * fit.inverseGram[m]![m]!);
    });
    const logLikelihoodTerm = N * Math.log(Math.max(rss / N, Number.MIN_VALUE));
    const kinetic = kineticCheck(checkSets, coefficients);
    return {
      indefinitePoints: kinetic.indefinitePoints,
      checkedPoints: kinetic.checkedPoints,
      threshold,
      support: [normIndex, ...local.map((k) => candidates[k]!)].sort((a, b) => a - b),
      coefficients,
      standardErrors,
      trainingError: accelerationError(parts, coefficients, input.training.qdd),
      validationError: accelerationError(validParts, coefficients, validation.qdd),
      aic: logLikelihoodTerm + 2 * p,
      bic: logLikelihoodTerm + p * Math.log(N),
    };
  }

  const selection = spec.selection ?? 'validation';
  let selected = selectCandidate(path, selection, meanSquareOf(validation.qdd));
  if (selection === 'validation') {
    // Backward elimination from the chosen support: on the data, other Lagrangians of the same
    // motion are combinations of library terms, so a thresholded path can stop at a dense
    // member of that family; dropping terms while the q̈ error stays within bounds finds the
    // sparse one (and prunes terms that only fit noise).
    const bound = validationBound(path, meanSquareOf(validation.qdd));
    let current = path[selected]!;
    for (;;) {
      const local = current.support
        .filter((i) => i !== normIndex)
        .map((i) => candidates.indexOf(i));
      if (input.shouldStop?.()) throw new EngineError('cancelled', 'The discovery was cancelled');
      const trials = local
        .map((_, k) => scoreSupport(local.toSpliced(k, 1), current.threshold))
        .filter((t) => admissible(t) || !admissible(current));
      const best = trials.reduce<DiscoveryCandidate | null>(
        (b, t) => (!b || t.validationError < b.validationError ? t : b),
        null,
      );
      if (!best || !(best.validationError <= bound)) break;
      current = best;
      path.push(best);
      selected = path.length - 1;
    }
  }
  // The data may admit a family of Lagrangians (a linear chain: a 2-dimensional one); its
  // sparsest admissible member is the default answer, found by zeroing coefficients along it.
  const family = onShellFamily([train[normIndex]!, ...columns]);
  if (family.dimension > 0 && selection === 'validation') {
    const bound = validationBound(path, meanSquareOf(validation.qdd));
    const better = sparsestInFamily(
      path[selected]!,
      family,
      candidates,
      terms.length,
      (local) => {
        if (input.shouldStop?.()) throw new EngineError('cancelled', 'The discovery was cancelled');
        return scoreSupport(local, path[selected]!.threshold);
      },
      bound,
    );
    if (better) {
      path.push(better);
      selected = path.length - 1;
    }
  }
  const evidence = gatherEvidence({
    family,
    path,
    selected,
    names,
    normIndex,
    candidates,
    parts,
    validParts,
    checkSets,
    training: input.training,
    validation,
    noise: input.noise,
    bound: validationBound(path, meanSquareOf(validation.qdd)),
    ...(input.training.filterCheck
      ? { filterCheck: filterCheckParts(input.training.filterCheck, terms, path[selected]!, input) }
      : {}),
  });
  const reported = evidence.estimate.coefficients;
  return {
    terms: terms.map((t, i) => ({
      name: t.name,
      status: screened[i]!.status,
      ...(screened[i]!.note ? { note: screened[i]!.note } : {}),
    })),
    solver,
    selection,
    path,
    selected,
    lagrangian: lagrangianText(names, reported),
    exactForm: parametrised(names, reported, normIndex),
    evidence,
    rows: y.length,
    validationRows: validation.qdd[0]!.length * validation.qdd.length,
  };
}

/**
 * The selected terms evaluated on the data filtered two orders higher (only those: the rest of
 * the library is never read by the refit, so its entries stay empty).
 */
function filterCheckParts(
  check: FilterCheck,
  terms: readonly LibraryTerm[],
  chosen: DiscoveryCandidate,
  input: DiscoveryInput,
) {
  const used = chosen.support;
  const program = compileParts(
    used.map((i) => terms[i]!),
    input.variables,
  );
  const sub = evaluateParts(program, used.length, check, input.variables, input.shouldStop);
  const mass: Float64Array[][] = terms.map(() => []);
  const force: Float64Array[][] = terms.map(() => []);
  used.forEach((i, k) => {
    mass[i] = sub.mass[k]!;
    force[i] = sub.force[k]!;
  });
  return { order: check.order, parts: { n: sub.n, d: sub.d, mass, force }, qdd: check.qdd };
}

/**
 * Validation: the sparsest candidate whose q̈ error on the validation data is within 5% of the
 * best (plus a floor of 10⁻¹² of the mean |q̈|², where exact data leaves only rounding).
 * BIC: the smallest BIC.
 */
export function selectCandidate(
  path: readonly DiscoveryCandidate[],
  selection: 'validation' | 'bic',
  targetMeanSquare: number,
): number {
  const by = (score: (c: DiscoveryCandidate) => number) =>
    path.reduce((best, c, i) => (score(c) < score(path[best]!) ? i : best), 0);
  // an inadmissible candidate (indefinite ∂²L/∂q̇²) is chosen only when no admissible one is
  const anyAdmissible = path.some(admissible);
  const penalty = (c: DiscoveryCandidate) => (anyAdmissible && !admissible(c) ? 1e6 : 0);
  if (selection === 'bic') return by((c) => c.bic + penalty(c) * (Math.abs(c.bic) + 1));
  const bound = validationBound(path, targetMeanSquare);
  return by((c) =>
    c.validationError <= bound
      ? penalty(c) + c.support.length + c.validationError / (bound + 1)
      : Infinity,
  );
}

function validationBound(path: readonly DiscoveryCandidate[], targetMeanSquare: number): number {
  const best = Math.min(...path.map((c) => c.validationError));
  return best * VALIDATION_TOLERANCE + 1e-12 * targetMeanSquare;
}
