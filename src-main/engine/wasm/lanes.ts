import { Simd } from './wasm-writer';

import type { Precision } from '../../../src-shared/dto/precision';

/** The element size and the lane opcodes of one precision. */
export interface Lanes {
  readonly bytes: 4 | 8;
  readonly splat: number;
  readonly add: number;
  readonly mul: number;
  /** A view of a memory in this precision. */
  view(buffer: ArrayBuffer): Float32Array | Float64Array;
}

export const LANES: Record<Precision, Lanes> = {
  float32: {
    bytes: 4,
    splat: Simd.f32x4Splat,
    add: Simd.f32x4Add,
    mul: Simd.f32x4Mul,
    view: (b) => new Float32Array(b),
  },
  float64: {
    bytes: 8,
    splat: Simd.f64x2Splat,
    add: Simd.f64x2Add,
    mul: Simd.f64x2Mul,
    view: (b) => new Float64Array(b),
  },
};
