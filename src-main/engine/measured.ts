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

/**
 * q, q̇, q̈ at the centre of every full window of each evenly spaced segment. q itself is the
 * filter's smoothed value too: raw q would carry the full noise into the regression's columns
 * (errors in variables), the smoothed one a fraction of it.
 */
function filterSegments(
  segments: ReadonlyArray<{ time: readonly number[]; q: ReadonlyArray<readonly number[]> }>,
  window: number,
  order: number,
) {
  const weights = [0, 1, 2].map((k) => savitzkyGolayWeights(window, order, k));
  const m = (window - 1) / 2;
  const d = segments[0]?.q.length ?? 0; // no segment: the caller says so
  const total = segments.reduce((sum, seg) => sum + seg.time.length - 2 * m, 0);
  const out = [0, 1, 2].map(() => Array.from({ length: d }, () => new Float64Array(total)));
  const time = new Float64Array(total);
  const segmentStarts: number[] = [];
  let at = 0;
  for (const seg of segments) {
    segmentStarts.push(at);
    const n = seg.time.length;
    const h = (seg.time[n - 1]! - seg.time[0]!) / (n - 1);
    for (let s = m; s < n - m; s++, at++) {
      time[at] = seg.time[s]!;
      for (let c = 0; c < d; c++)
        for (let k = 0; k < 3; k++) {
          let v = 0;
          for (let r = -m; r <= m; r++) v += weights[k]![r + m]! * seg.q[c]![s + r]!;
          out[k]![c]![at] = v / h ** k; // d^k/dt^k = h^(−k) d^k/dr^k
        }
    }
  }
  return { q: out[0]!, qd: out[1]!, qdd: out[2]!, time, segmentStarts };
}

/* eslint-disable-next-line max-lines-per-function --
   reads a measured CSV in order (header, columns, derivatives, window), each check naming the
   column */
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
  const kept = segments.filter((seg) => {
    if (seg.length >= spec.window) return true;
    if (seg.length)
      bad.push({
        line: seg[0]!.line,
        reason: `a run of ${seg.length} evenly spaced rows is shorter than the filter window (${spec.window}); left out`,
      });
    return false;
  });
  const columns = (seg: typeof table.rows) => qi.map((c) => seg.map((row) => row.cells[c]!));
  const series = kept.map((seg) => ({
    time: seg.map((row) => row.cells[ti]!),
    q: columns(seg),
  }));
  const { q, qd, qdd, time, segmentStarts } = filterSegments(series, spec.window, spec.order);
  const checkOrder = spec.order + 2;
  const filterCheck =
    checkOrder < spec.window && checkOrder <= MAX_SAVITZKY_GOLAY_ORDER
      ? { order: checkOrder, ...filterSegments(series, spec.window, checkOrder) }
      : undefined;
  const usedSegments = kept.length;
  const used = time.length;
  if (used === 0)
    throw new EngineError(
      'empty-window',
      `No usable samples: every evenly spaced run of rows is shorter than the filter window (${spec.window})`,
    );
  return {
    samples: {
      q,
      qd,
      qdd,
      t: time,
      correlation: { window: spec.window, segmentStarts },
      ...(filterCheck
        ? {
            filterCheck: {
              order: filterCheck.order,
              q: filterCheck.q,
              qd: filterCheck.qd,
              qdd: filterCheck.qdd,
            },
          }
        : {}),
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
