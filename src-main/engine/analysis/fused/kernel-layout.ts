import { align16 } from '../../wasm/kernel-memory';
import type { SlotKind } from './slot-kinds';
import type { Precision } from '../../../../src-shared/dto/precision';

/**
 * Where everything lives in the kernel's linear memory (byte offsets, 16-byte aligned).
 * Point columns hold npad values (n rounded up to the lane count; padding copies the last point
 * and has weight 0); cell columns and the output hold one float64 per cell of the job.
 */
export interface KernelLayout {
  readonly precision: Precision;
  /** Bytes of one point column (npad × 4 or 8). */
  readonly pointBytes: number;
  readonly kinds: readonly SlotKind[];
  readonly pointColumns: ReadonlyMap<number, number>;
  readonly cellColumns: ReadonlyMap<number, number>;
  readonly uniformValues: ReadonlyMap<number, number>;
  /** Offsets of the measured q̈ columns, one per coordinate. */
  readonly targets: readonly number[];
  /** Offset of the per-point weights (relative loss, or 0 on padding), or null when all are 1. */
  readonly weights: number | null;
  readonly output: number;
  /** Bytes in use. */
  readonly bytes: number;
  /** 1/n for the mean loss, 1 for the sum. */
  readonly scale: number;
}

export const laneCount = (precision: Precision): number => (precision === 'float32' ? 4 : 2);
export const elementBytes = (precision: Precision): number => (precision === 'float32' ? 4 : 8);

export interface LayoutRequest {
  readonly precision: Precision;
  readonly n: number;
  readonly cells: number;
  readonly dimensions: number;
  readonly kinds: readonly SlotKind[];
  readonly pointSlots: readonly number[];
  readonly cellSlots: readonly number[];
  readonly uniformValues: ReadonlyMap<number, number>;
  readonly weighted: boolean;
  readonly scale: number;
}

export function planLayout(r: LayoutRequest): KernelLayout {
  const lanes = laneCount(r.precision);
  const npad = Math.ceil(r.n / lanes) * lanes;
  const pointBytes = align16(npad * elementBytes(r.precision));
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += align16(bytes);
    return at;
  };
  const pointColumns = new Map(r.pointSlots.map((s) => [s, take(pointBytes)] as const));
  const targets = Array.from({ length: r.dimensions }, () => take(pointBytes));
  const weights = r.weighted || npad > r.n ? take(pointBytes) : null;
  const cellColumns = new Map(r.cellSlots.map((s) => [s, take(r.cells * 8)] as const));
  const output = take(r.cells * 8);
  return {
    precision: r.precision,
    pointBytes,
    kinds: r.kinds,
    pointColumns,
    cellColumns,
    uniformValues: r.uniformValues,
    targets,
    weights,
    output,
    bytes: offset,
    scale: r.scale,
  };
}
