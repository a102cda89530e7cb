import { accelerationsInChunks, type ChunkControl } from './chunked';
import { accelerationsF64, equationsOfMotion, type SingularReport } from './dynamics';
import { EngineError, throwIfStopped } from './errors';
import { sampleWindow, type SamplingSpec } from './sampling';
import { parseSystem, type SystemDefinition } from './systems/system';

/** Everything needed to regenerate a dataset exactly. */
export interface DatasetRecipe {
  readonly system: SystemDefinition;
  /** Parameter values used to generate q̈ (defaults: the system's own values). */
  readonly parameterValues?: Readonly<Record<string, number>>;
  readonly sampling: SamplingSpec;
}

export interface Dataset {
  readonly recipe: DatasetRecipe;
  readonly coordinates: readonly string[];
  readonly velocities: readonly string[];
  readonly n: number;
  readonly q: Float64Array[];
  readonly qd: Float64Array[];
  /** q̈ from the true Lagrangian, float64. */
  readonly qdd: Float64Array[];
  readonly drawn: number;
  readonly rejected: number;
  /** Rejected draws by cause (exclusion band, half-plane). */
  readonly rejectedBy?: { readonly band: number; readonly halfPlane: number };
  /** Samples dropped because M was singular there. */
  readonly singularDropped: SingularReport;
}

/** True when every component of q̈ is finite at sample s. */
function finiteAt(accelerations: readonly Float64Array[], s: number): boolean {
  for (const a of accelerations) if (!Number.isFinite(a[s]!)) return false;
  return true;
}

/**
 * Sample the window and compute q̈ from the system's Lagrangian (float64). Long datasets stop
 * between chunks when `control.shouldStop` says so (`cancelled`).
 */
export function generateDataset(recipe: DatasetRecipe, control: ChunkControl = {}): Dataset {
  const parsed = parseSystem(recipe.system);
  const values = { ...parsed.parameterValues, ...(recipe.parameterValues ?? {}) };
  const { coordinates, velocities } = recipe.system;
  if (recipe.sampling.window.q.length !== coordinates.length) {
    throw new EngineError(
      'invalid-window',
      `The window has ${recipe.sampling.window.q.length} coordinate intervals; the system has ${coordinates.length} coordinates`,
    );
  }
  const eom = equationsOfMotion(parsed.lagrangian, coordinates, velocities, values);
  const what = control.what ?? 'The dataset';
  const samples = sampleWindow(recipe.sampling, { coordinates, velocities }, control.shouldStop);
  const { accelerations, singular, singularMask } = accelerationsInChunks(
    samples.q,
    samples.qd,
    (q, qd) => accelerationsF64(eom, q, qd),
    { ...control, what },
  );
  const n = samples.q[0]!.length;
  const keep: number[] = [];
  let nonFinite = 0;
  let example = -1;
  for (let s = 0; s < n; s++) {
    if ((s & 0xffff) === 0) throwIfStopped(control.shouldStop, what);
    if (singularMask?.[s]) continue;
    if (!finiteAt(accelerations, s)) {
      nonFinite++;
      if (example < 0) example = s;
      continue;
    }
    keep.push(s);
  }
  if (nonFinite > 0) {
    const at = coordinates
      .map((c, i) => `${c}=${samples.q[i]![example]!.toPrecision(4)}`)
      .join(', ');
    throw new EngineError(
      'not-finite',
      `The equations of motion are not finite at ${nonFinite} of ${n} samples (e.g. ${at}): restrict the window or add an exclusion band around the singularity`,
    );
  }
  if (keep.length === 0)
    throw new EngineError(
      'singular-mass',
      `The mass matrix ∂²L/∂q̇² is singular at every sample (${n})`,
    );
  const pick = (cols: Float64Array[]) =>
    keep.length === n ? cols : cols.map((c) => Float64Array.from(keep, (s) => c[s]!));
  return {
    recipe,
    coordinates,
    velocities,
    n: keep.length,
    q: pick(samples.q),
    qd: pick(samples.qd),
    qdd: pick(accelerations),
    drawn: samples.drawn,
    rejected: samples.rejected,
    rejectedBy: samples.rejectedBy,
    singularDropped: singular,
  };
}
