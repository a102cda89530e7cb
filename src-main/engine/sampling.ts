import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { EngineError, throwIfStopped, type StopCheck } from './errors';
import {
  bounds,
  type Interval,
  type SamplingSpec,
  type SamplingWindow,
} from '../../src-shared/dto/sampling';
export { bounds, type Interval, type SamplingSpec, type SamplingWindow };

export interface Samples {
  /** Coordinates and velocities, one Float64Array of length n per component. */
  readonly q: Float64Array[];
  readonly qd: Float64Array[];
  readonly drawn: number;
  readonly rejected: number;
  /** The rejected draws by cause: in an exclusion band, or outside a half-plane. */
  readonly rejectedBy: { readonly band: number; readonly halfPlane: number };
}

export const MAX_SAMPLES = 5_000_000;

function checkInterval(interval: Interval, label: string): { min: number; max: number } {
  const { min, max } = bounds(interval);
  if (!Number.isFinite(min) || !Number.isFinite(max))
    throw new EngineError(
      'invalid-window',
      `The window for ${label} has a bound that is not a finite number`,
    );
  if (!(max > min)) {
    throw new EngineError(
      'zero-width-window',
      `The window for ${label} is [${min}, ${max}]: its width must be positive`,
    );
  }
  return { min, max };
}

/** Draw samples uniformly in the window with a seeded xoroshiro128+ (same seed, same points). */
/* eslint-disable-next-line max-lines-per-function, complexity --
   the window's draw with its restrictions (bands, half-planes, two count modes) in one pass */
export function sampleWindow(
  spec: SamplingSpec,
  names?: { coordinates: readonly string[]; velocities: readonly string[] },
  shouldStop?: StopCheck,
): Samples {
  const { window, seed } = spec;
  const d = window.q.length;
  if (d === 0) throw new EngineError('invalid-window', 'The sampling window has no coordinates');
  if (window.qd.length !== d)
    throw new EngineError(
      'invalid-window',
      `The window has ${d} coordinate intervals but ${window.qd.length} velocity intervals`,
    );
  if (!Number.isInteger(spec.count) || spec.count < 1)
    throw new EngineError(
      'invalid-count',
      `The point count must be a whole number ≥ 1, not ${spec.count}`,
    );
  if (spec.count > MAX_SAMPLES)
    throw new EngineError('invalid-count', `At most ${MAX_SAMPLES} points, not ${spec.count}`);
  if (!Number.isInteger(seed))
    throw new EngineError('invalid-seed', `The seed must be a whole number, not ${seed}`);
  const qName = (i: number) => names?.coordinates[i] ?? `q${i}`;
  const qdName = (i: number) => names?.velocities[i] ?? `qd${i}`;
  const qb = window.q.map((iv, i) => checkInterval(iv, qName(i)));
  const qdb = window.qd.map((iv, i) => checkInterval(iv, qdName(i)));
  const bands = window.exclusionBands ?? [];
  const planes = window.halfPlanes ?? [];
  for (const r of [...bands, ...planes]) {
    if (!(r.i >= 0 && r.i < d && r.j >= 0 && r.j < d) || r.i === r.j)
      throw new EngineError(
        'invalid-window',
        `A restriction names coordinates ${r.i} and ${r.j}; they must be two different coordinates of 0…${d - 1}`,
      );
    if (!Number.isFinite(r.epsilon) || r.epsilon < 0)
      throw new EngineError(
        'invalid-window',
        `A restriction's epsilon must be ≥ 0, not ${r.epsilon}`,
      );
  }
  const rejectedBy = { band: 0, halfPlane: 0 };
  // Counted by the first restriction a draw fails: bands, then half-planes.
  const admissible = (q: number[]) => {
    if (!bands.every((b) => Math.abs(q[b.i]! - q[b.j]!) >= b.epsilon)) {
      rejectedBy.band++;
      return false;
    }
    if (!planes.every((h) => q[h.j]! > q[h.i]! + h.epsilon)) {
      rejectedBy.halfPlane++;
      return false;
    }
    return true;
  };

  const rng = xoroshiro128plus(seed);
  const mode = spec.countMode ?? 'accepted';
  // At most `count` points are kept in either mode: preallocated, no growing arrays to collect.
  const outQ = Array.from({ length: d }, () => new Float64Array(spec.count));
  const outQd = Array.from({ length: d }, () => new Float64Array(spec.count));
  let kept = 0;
  let drawn = 0;
  let rejected = 0;
  const maxDraws = mode === 'drawn' ? spec.count : Math.max(100_000, spec.count * 1000);
  let batch = spec.count;
  while ((mode === 'drawn' ? drawn < spec.count : kept < spec.count) && drawn < maxDraws) {
    batch = Math.min(batch, maxDraws - drawn);
    // Component-major within a batch (all q0, then all q1, …, then the velocities), as the report
    // draws.
    const cols = [...qb, ...qdb].map(({ min, max }) => {
      const col = new Float64Array(batch);
      for (let s = 0; s < batch; s++) {
        if ((s & 0xffff) === 0) throwIfStopped(shouldStop, 'Sampling the window');
        col[s] = min + (max - min) * uniformFloat64(rng);
      }
      return col;
    });
    const q = new Array<number>(d); // one draw's coordinates, reused: no garbage per draw
    for (let s = 0; s < batch; s++) {
      // A stop check every 2¹⁶ draws: the draw order (and so the points) stays the same.
      if ((s & 0xffff) === 0) throwIfStopped(shouldStop, 'Sampling the window');
      for (let i = 0; i < d; i++) q[i] = cols[i]![s]!;
      if (mode === 'accepted' && kept >= spec.count) break;
      if (!admissible(q)) {
        rejected++;
        continue;
      }
      for (let i = 0; i < d; i++) {
        outQ[i]![kept] = q[i]!;
        outQd[i]![kept] = cols[d + i]![s]!;
      }
      kept++;
    }
    drawn += batch;
    const accepted = kept;
    const rate = accepted / drawn;
    batch = rate > 0 ? Math.ceil(((spec.count - accepted) / rate) * 1.1) + 16 : batch * 4;
  }
  const accepted = kept;
  if (accepted === 0) {
    throw new EngineError(
      'empty-window',
      `The window leaves no admissible point: all ${drawn} draws fell in an exclusion band or outside a half-plane. Widen the window or relax the restrictions.`,
    );
  }
  if (mode === 'accepted' && accepted < spec.count) {
    throw new EngineError(
      'empty-window',
      `Only ${accepted} of the requested ${spec.count} points are admissible after ${drawn} draws (acceptance ${(accepted / drawn).toExponential(1)}): widen the window or relax the restrictions.`,
    );
  }
  return {
    q: outQ.map((c) => (kept === c.length ? c : c.slice(0, kept))),
    qd: outQd.map((c) => (kept === c.length ? c : c.slice(0, kept))),
    drawn,
    rejected,
    rejectedBy,
  };
}
