import { throwIfStopped, type StopCheck } from './errors';

/** Samples per unit of work between two stop checks: about 50–200 ms of q̈ on this machine. */
export const SAMPLES_PER_CHUNK = 65_536;

/** How a long per-sample computation is stopped and how it reports where it is. */
export interface ChunkControl {
  readonly shouldStop?: StopCheck;
  /** Fraction of the samples done, after each chunk. */
  readonly onProgress?: (fraction: number) => void;
  /** What is computed, for the "… was stopped" message. */
  readonly what?: string;
}

/**
 * Apply a per-sample map (columns in, columns out) to n samples chunk by chunk, on views of the
 * input (no copies), checking for a stop between chunks. The map sees only its chunk, so it must
 * be pointwise; the outputs are written into d columns of length n.
 */
export function mapSamplesInChunks(
  inputs: readonly Float64Array[],
  outputCount: number,
  map: (chunk: Float64Array[], offset: number) => readonly Float64Array[],
  control: ChunkControl = {},
): Float64Array[] {
  const n = inputs[0]?.length ?? 0;
  const out = Array.from({ length: outputCount }, () => new Float64Array(n));
  for (let start = 0; start < n; start += SAMPLES_PER_CHUNK) {
    throwIfStopped(control.shouldStop, control.what ?? 'The computation');
    const end = Math.min(n, start + SAMPLES_PER_CHUNK);
    const views = inputs.map((c) => c.subarray(start, end));
    const chunkOut = map(views, start);
    for (let i = 0; i < outputCount; i++) out[i]!.set(chunkOut[i]!, start);
    control.onProgress?.(end / n);
  }
  throwIfStopped(control.shouldStop, control.what ?? 'The computation');
  return out;
}

/** Singular samples of one chunk, shifted to the whole batch's indices. */
interface ChunkSingular {
  readonly count: number;
  readonly indices: readonly number[];
  readonly mask?: Uint8Array;
}

/**
 * q̈ of many samples, chunk by chunk (see mapSamplesInChunks), with the chunks' singular samples
 * merged into one report: count, the first 1000 indices and the whole mask.
 */
export function accelerationsInChunks(
  q: readonly Float64Array[],
  qd: readonly Float64Array[],
  accelerations: (
    q: Float64Array[],
    qd: Float64Array[],
  ) => {
    accelerations: Float64Array[];
    singular: { count: number; indices: readonly number[] };
    singularMask?: Uint8Array;
  },
  control: ChunkControl = {},
) {
  const d = q.length;
  const n = q[0]?.length ?? 0;
  const singular: ChunkSingular[] = [];
  let mask: Uint8Array | undefined;
  const values = mapSamplesInChunks(
    [...q, ...qd],
    d,
    (cols, offset) => {
      const r = accelerations(cols.slice(0, d), cols.slice(d));
      if (r.singular.count > 0) {
        singular.push({
          count: r.singular.count,
          indices: r.singular.indices.map((s) => s + offset),
        });
        if (r.singularMask) (mask ??= new Uint8Array(n)).set(r.singularMask, offset);
      }
      return r.accelerations;
    },
    control,
  );
  const indices = singular.flatMap((s) => s.indices).slice(0, 1000);
  const count = singular.reduce((sum, s) => sum + s.count, 0);
  return {
    accelerations: values,
    singular: { count, indices },
    ...(mask ? { singularMask: mask } : {}),
  };
}
