import type { DiscoveryCandidate } from '../../../src-shared/dto/discovery';
import { admissible } from './admissibility';
import type { OnShellFamily } from './ambiguity';

/** Subsets of coefficients tried when zeroing along the family (bounded: C(p, m) grows fast). */
const MAX_FAMILY_TRIALS = 600;
/**
 * Members of the family agree with the data to the noise level; a sparser member's regression
 * error may exceed the densest fit's by a noise-level amount (errors in variables favour extra
 * terms), which this slack allows. A wrong support is off by orders of magnitude.
 */
const FAMILY_SLACK = 1.5;
/** Relative sizes below which a coefficient moved along the family counts as zeroed. */
const PRUNE_LEVELS = [1e-7, 1e-3, 1e-2, 3e-2];

/**
 * The sparsest admissible member of the on-shell family through `chosen`: for each set of m
 * coefficients (m = the family's dimension), move along the family to zero them, refit the
 * support that remains and keep it when it predicts within the bound and is admissible.
 */
export function sparsestInFamily(
  chosen: DiscoveryCandidate,
  family: OnShellFamily,
  candidates: readonly number[],
  termCount: number,
  score: (local: number[]) => DiscoveryCandidate,
  bound: number,
): DiscoveryCandidate | null {
  const m = family.dimension;
  // in candidate space (index 0 of a direction is the normalisation term's: zero)
  const theta = candidates.map((term) => chosen.coefficients[term]!);
  const dirs = family.directions.map((d) => d.coefficients.slice(1));
  const movable = theta
    .map((_, k) => k)
    .filter((k) => theta[k] !== 0 || dirs.some((d) => d[k] !== 0));
  let best: DiscoveryCandidate | null = null;
  const seen = new Set<string>();
  let trials = 0;
  for (const subset of combinations(movable, m)) {
    if (++trials > MAX_FAMILY_TRIALS) break;
    // Σ_l t_l d_l[k] = −θ_k for k in the subset
    const A = subset.map((k) => dirs.map((d) => d[k]!));
    const t = solveSmall(
      A,
      subset.map((k) => -theta[k]!),
    );
    if (!t) continue;
    const moved = theta.map((x, k) => x + dirs.reduce((s, d, l) => s + t[l]! * d[k]!, 0));
    const scale = Math.max(...moved.map(Math.abs), 1e-300);
    // with noise the family is known to its noise level: what is left of a zeroed-out term is
    // small but not 0, so small coefficients are dropped at a few relative levels
    for (const level of PRUNE_LEVELS) {
      const local = moved.flatMap((x, k) => (Math.abs(x) > level * scale ? [k] : []));
      const key = local.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      if (best && local.length + 1 >= best.support.length) continue;
      if (local.length + 1 >= chosen.support.length) continue;
      const trial = score(local);
      if (trial.validationError <= FAMILY_SLACK * bound && admissible(trial)) best = trial;
    }
  }
  void termCount;
  return best;
}

function* combinations(items: readonly number[], k: number): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = 0; i <= items.length - k; i++)
    for (const rest of combinations(items.slice(i + 1), k - 1)) yield [items[i]!, ...rest];
}

/** Solve the small square system A t = b by Gaussian elimination; null when singular. */
function solveSmall(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    const pivot = M.reduce(
      (p, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(M[p]![c]!) ? r : p),
      c,
    );
    if (!(Math.abs(M[pivot]![c]!) > 1e-12)) return null;
    [M[c], M[pivot]] = [M[pivot]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k] = M[r]![k]! - f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}
