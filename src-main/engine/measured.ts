import { Matrix, pseudoInverse } from 'ml-matrix';
import { parseCsv, type BadRow, type CsvTable } from './csv-table';
import { EngineError, type StopCheck } from './errors';

export { parseCsv, type BadRow, type CsvTable };
import type { PhaseSamples } from './training/samples';

/*
 * Measured data: a CSV of trajectories (t, q…) differentiated with a Savitzky–Golay filter, or a
 * CSV of (q, q̇, q̈) samples. Bad rows are reported by line and left out; the rest feeds the same
 * fitting and figures as synthetic data.
 */

export type MeasuredSpec =
  | {
      readonly kind: 'trajectory';
      readonly time: string;
      /** One column per coordinate, in the system's order. */
      readonly coordinates: readonly string[];
      /** Savitzky–Golay window (odd, points) and polynomial order. */
      readonly window: number;
      readonly order: number;
    }
  | {
      readonly kind: 'samples';
      readonly q: readonly string[];
      readonly qd: readonly string[];
      readonly qdd: readonly string[];
    };

export interface ImportReport {
  readonly rows: number;
  readonly used: number;
  readonly bad: BadRow[];
  /** Units read from headers such as "q0 [m]". */
  readonly units: Record<string, string>;
  readonly segments: number;
}

/** Above this order the fit's normal equations lose too many digits even on scaled offsets. */
export const MAX_SAVITZKY_GOLAY_ORDER = 20;

/**
 * Savitzky–Golay weights for the derivative of order `derivative` at the window's centre, for unit
 * spacing: least-squares fit of a polynomial of `order` over the offsets −m…m, then k!·c_k.
 * The offsets are scaled to x = r/m ∈ [−1, 1] (a Vandermonde matrix of raw offsets m^order is
 * hopelessly ill-conditioned: order 10 over 101 points loses every digit); the derivative in r
 * is then d^k/dr^k = m^(−k) d^k/dx^k.
 */
export function savitzkyGolayWeights(window: number, order: number, derivative: number): number[] {
  if (!Number.isInteger(window) || window < 3 || window % 2 === 0)
    throw new EngineError(
      'invalid-filter',
      `The Savitzky–Golay window must be an odd number ≥ 3, not ${window}`,
    );
  if (!Number.isInteger(order) || order < derivative || order >= window)
    throw new EngineError(
      'invalid-filter',
      `The polynomial order must be from ${derivative} to ${window - 1}, not ${order}`,
    );
  if (order > MAX_SAVITZKY_GOLAY_ORDER)
    throw new EngineError(
      'invalid-filter',
      `A Savitzky–Golay order above ${MAX_SAVITZKY_GOLAY_ORDER} is numerically unsafe (the fit loses its digits); choose a lower order or a shorter window`,
    );
  const m = (window - 1) / 2;
  const A = new Matrix(window, order + 1);
  for (let r = 0; r < window; r++)
    for (let c = 0; c <= order; c++) A.set(r, c, Math.pow((r - m) / m, c));
  const P = pseudoInverse(A);
  let factorial = 1;
  for (let k = 2; k <= derivative; k++) factorial *= k;
  const scale = factorial / Math.pow(m, derivative);
  return P.getRow(derivative).map((w) => w * scale);
}

/** A name from a file or a study, cut to a length a message can carry. */
export const clipName = (name: string, max = 40): string =>
  name.length > max ? `${name.slice(0, max)}…` : name;

/**
 * The column's index. A missing one is named with at most five of the file's columns (each
 * clipped): a message never carries a file's header line, which may be any file's first line.
 */
function column(table: CsvTable, name: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) {
    const some = table.header.slice(0, 5).map((h) => `"${clipName(h)}"`);
    const more = table.header.length > 5 ? ` and ${table.header.length - 5} more` : '';
    throw new EngineError(
      'invalid-csv',
      `The CSV has no column "${clipName(name)}" (it has ${table.header.length} columns: ${some.join(', ')}${more})`,
    );
  }
  return i;
}

export function importMeasured(
  text: string,
  spec: MeasuredSpec,
  shouldStop?: StopCheck,
): { samples: PhaseSamples; report: ImportReport } {
  const table = parseCsv(text, shouldStop);
  const bad = [...table.bad];
  if (spec.kind === 'samples') {
    const idx = [...spec.q, ...spec.qd, ...spec.qdd].map((c) => column(table, c));
    const d = spec.q.length;
    if (spec.qd.length !== d || spec.qdd.length !== d)
      throw new EngineError('invalid-csv', 'Give as many q̇ and q̈ columns as q columns');
    const cols = idx.map((i) => Float64Array.from(table.rows, (r) => r.cells[i]!));
    if (table.rows.length === 0) throw new EngineError('empty-window', 'No usable row in the CSV');
    return {
      samples: { q: cols.slice(0, d), qd: cols.slice(d, 2 * d), qdd: cols.slice(2 * d) },
      report: {
        rows: table.rows.length + bad.length,
        used: table.rows.length,
        bad,
        units: table.units,
        segments: 1,
      },
    };
  }
  const ti = column(table, spec.time);
  const qi = spec.coordinates.map((c) => column(table, c));
  const d = qi.length;
  const w1 = savitzkyGolayWeights(spec.window, spec.order, 1);
  const w2 = savitzkyGolayWeights(spec.window, spec.order, 2);
  const m = (spec.window - 1) / 2;
  // Segments of rows with a uniform time step (a bad row or a gap starts a new segment).
  const segments: Array<typeof table.rows> = [];
  let current: typeof table.rows = [];
  for (const row of table.rows) {
    const prev = current[current.length - 1];
    const prev2 = current[current.length - 2];
    const uniform =
      !prev ||
      !prev2 ||
      Math.abs(row.cells[ti]! - prev.cells[ti]! - (prev.cells[ti]! - prev2.cells[ti]!)) <=
        1e-6 * Math.abs(prev.cells[ti]! - prev2.cells[ti]!);
    const consecutive = !prev || row.line === prev.line + 1;
    if (!uniform || !consecutive || (prev && !(row.cells[ti]! > prev.cells[ti]!))) {
      segments.push(current);
      current = [];
    }
    current.push(row);
  }
  segments.push(current);
  const q: number[][] = Array.from({ length: d }, () => []);
  const qd: number[][] = Array.from({ length: d }, () => []);
  const qdd: number[][] = Array.from({ length: d }, () => []);
  const time: number[] = [];
  let usedSegments = 0;
  for (const seg of segments) {
    if (seg.length < spec.window) {
      if (seg.length)
        bad.push({
          line: seg[0]!.line,
          reason: `a run of ${seg.length} evenly spaced rows is shorter than the filter window (${spec.window}); left out`,
        });
      continue;
    }
    usedSegments++;
    const h = (seg[seg.length - 1]!.cells[ti]! - seg[0]!.cells[ti]!) / (seg.length - 1);
    for (let s = m; s < seg.length - m; s++) {
      time.push(seg[s]!.cells[ti]!);
      for (let c = 0; c < d; c++) {
        let v = 0,
          a = 0;
        for (let k = -m; k <= m; k++) {
          const x = seg[s + k]!.cells[qi[c]!]!;
          v += w1[k + m]! * x;
          a += w2[k + m]! * x;
        }
        q[c]!.push(seg[s]!.cells[qi[c]!]!);
        qd[c]!.push(v / h);
        qdd[c]!.push(a / (h * h));
      }
    }
  }
  const used = q[0]!.length;
  if (used === 0)
    throw new EngineError(
      'empty-window',
      `No usable samples: every evenly spaced run of rows is shorter than the filter window (${spec.window})`,
    );
  return {
    samples: {
      q: q.map((c) => Float64Array.from(c)),
      qd: qd.map((c) => Float64Array.from(c)),
      qdd: qdd.map((c) => Float64Array.from(c)),
      t: Float64Array.from(time),
    },
    report: {
      rows: table.rows.length + table.bad.length,
      used,
      bad,
      units: table.units,
      segments: usedSegments,
    },
  };
}
