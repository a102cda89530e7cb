import type { TermStatus } from '../../../src-shared/dto/discovery';
import { leastSquares } from '../training/least-squares';
import { throwIfStopped } from '../errors';

/** A column is "no effect" below this fraction of the largest column's norm. */
const NO_EFFECT_RATIO = 1e-10;
/** A column is "dependent" when this fraction or less of it is outside the span of earlier ones. */
const DEPENDENT_RATIO = 1e-8;

export interface ScreenedTerm {
  readonly status: TermStatus;
  readonly note?: string;
}

const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/**
 * Which terms can be fitted. A term whose Euler–Lagrange column vanishes has no effect on the
 * motion (a constant, or a total time derivative such as q0·q̇0 = d/dt(q0²/2)); a term whose
 * column is a multiple of the normalisation term's, or a combination of earlier candidates
 * (library order), cannot be told apart from them, e.g. q0·q̇1 and −q1·q̇0 differ by d/dt(q0 q1).
 * Both are reported instead of being given a coefficient. The normalisation column is kept out
 * of the span test: with exact data the true terms together are a combination of it.
 * Modified Gram–Schmidt, twice for stability.
 */
export function screenTerms(
  columns: readonly Float64Array[],
  names: readonly string[],
  normalisation: number,
  shouldStop?: () => boolean,
): ScreenedTerm[] {
  const scale = Math.max(...columns.map(norm));
  const out = new Array<ScreenedTerm>(columns.length);
  const normColumn = columns[normalisation]!;
  const normSize = norm(normColumn);
  if (!(normSize > NO_EFFECT_RATIO * scale)) {
    out.fill({ status: 'candidate' });
    out[normalisation] = { status: 'no-effect', note: NO_EFFECT };
    return out;
  }
  out[normalisation] = { status: 'normalisation' };
  const normUnit = normColumn.map((v) => v / normSize);
  const basis: Array<{ index: number; unit: Float64Array }> = [];
  for (let i = 0; i < columns.length; i++) {
    throwIfStopped(shouldStop, 'Screening the library terms');
    if (i === normalisation) continue;
    const column = columns[i]!;
    const size = norm(column);
    if (!(size > NO_EFFECT_RATIO * scale)) {
      out[i] = { status: 'no-effect', note: NO_EFFECT };
      continue;
    }
    const alongNorm = Math.abs(dot(column, normUnit));
    if (size - alongNorm <= DEPENDENT_RATIO * size) {
      const w = dot(column, normColumn) / (normSize * normSize);
      out[i] = {
        status: 'dependent',
        note: dependentNote(names[i]!, [[names[normalisation]!, w]]),
      };
      continue;
    }
    const residual = Float64Array.from(column);
    const weights = new Map<number, number>();
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        const w = dot(residual, b.unit);
        for (let r = 0; r < residual.length; r++) residual[r] = residual[r]! - w * b.unit[r]!;
        weights.set(b.index, (weights.get(b.index) ?? 0) + w);
      }
    const rest = norm(residual);
    if (rest <= DEPENDENT_RATIO * size) {
      // the combination in the original terms (the Gram–Schmidt weights are on the
      // orthogonalised basis, which names every earlier term)
      const combination = originalCombination(
        column,
        basis.map((b) => b.index),
        columns,
        shouldStop,
      );
      out[i] = {
        status: 'dependent',
        note: dependentNote(
          names[i]!,
          combination.map(([j, w]) => [names[j]!, w]),
        ),
      };
      continue;
    }
    basis.push({ index: i, unit: residual.map((v) => v / rest) });
    out[i] = { status: 'candidate' };
  }
  return out;
}

const NO_EFFECT =
  'its Euler–Lagrange term vanishes: a constant or a total time derivative, invisible in the motion';
/** "q1*qd0 = −q0*qd1 + d/dt(F)": the term as its partners plus a total derivative. */
function dependentNote(name: string, partners: ReadonlyArray<readonly [string, number]>): string {
  const parts = partners.map(([partner, w], k) => {
    const size = Math.abs(w);
    const sign = w < 0 ? '−' : k === 0 ? '' : '+';
    const factor = Math.abs(size - 1) < 1e-9 ? '' : `${Number(size.toPrecision(6))}·`;
    return `${k === 0 ? sign : ` ${sign} `}${factor}${partner}`;
  });
  return `${name} = ${parts.join('')} + d/dt(F) for some F: its Euler–Lagrange term is that combination's, so only together are they identifiable`;
}

/**
 * Weights w with column = Σ w_j columns[j] over the fewest of `pool`: least squares on all, then
 * terms whose share is below 10⁻⁷ of the column dropped and the rest refitted.
 */
function originalCombination(
  column: Float64Array,
  pool: readonly number[],
  columns: readonly Float64Array[],
  shouldStop?: () => boolean,
): Array<[number, number]> {
  const size = norm(column);
  let kept = [...pool];
  for (let round = 0; round < 3; round++) {
    const theta = leastSquares(
      kept.map((j) => columns[j]!),
      column,
      shouldStop,
    ).theta;
    const next = kept.filter((j, k) => Math.abs(theta[k]!) * norm(columns[j]!) > 1e-7 * size);
    if (next.length === kept.length || next.length === 0)
      return kept.map((j, k) => [j, theta[k]!] as [number, number]);
    kept = next;
  }
  const theta = leastSquares(
    kept.map((j) => columns[j]!),
    column,
    shouldStop,
  ).theta;
  return kept.map((j, k) => [j, theta[k]!] as [number, number]);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let r = 0; r < a.length; r++) s += a[r]! * b[r]!;
  return s;
}
