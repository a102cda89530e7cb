import type { StopCheck } from '../errors';
import type { LossSpec } from '../../../src-shared/dto/training';
import type { Precision } from '../../../src-shared/dto/precision';
import type { LandscapeAxis } from '../../../src-shared/study/study-schema';

export interface LandscapeSpec {
  readonly x: LandscapeAxis;
  readonly y: LandscapeAxis;
  /** Values of every model parameter; x and y are overwritten on the grid. */
  readonly parameters: Readonly<Record<string, number>>;
  readonly loss: LossSpec;
  /** 'general' evaluates every cell; 'gram' uses the exact quadratic form (linear models). */
  readonly path?: 'auto' | 'general' | 'gram';
  /** Upper bound on cells × samples per tensor batch (memory bound). */
  readonly maxBatchElements?: number;
  /** Checked between batches: Cancel stops a landscape within one batch. */
  readonly shouldStop?: StopCheck;
  /**
   * General path: 'fused' (default) runs the WebAssembly SIMD kernel compiled from the
   * Euler–Lagrange program where it applies; 'tensor' the tfjs route (the reference).
   */
  readonly kernel?: 'fused' | 'tensor';
  /** Precision of the general path: float32 (default, the report's route) or float64. */
  readonly precision?: Precision;
  /** Which kernel ran the general path, and why the fused one did not (e.g. V8 refused it). */
  readonly onKernel?: (kernel: 'fused' | 'tensor', why?: string) => void;
  /** Called between batches with the cells done and the cells in the job. */
  readonly onProgress?: (done: number, total: number) => void;
}

export function axisValues(axis: LandscapeAxis): Float64Array {
  return Float64Array.from(
    { length: axis.count },
    (_, i) => axis.min + ((axis.max - axis.min) * i) / (axis.count - 1),
  );
}
