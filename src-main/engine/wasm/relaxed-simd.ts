import { setFlagsFromString } from 'node:v8';
import { wasm } from './wasm-runtime';

/**
 * Fused multiply-add in SIMD lanes (`f32x4.relaxed_madd`, `f64x2.relaxed_madd`, WebAssembly's
 * relaxed-SIMD proposal): a·b + c in one instruction, rounded once on a CPU with FMA (x64 with
 * FMA3, every ARM64), twice elsewhere — either is within float32's own rounding, so the kernels
 * that use it (the GEMM) are tested against tfjs and float64 with the same tolerances as before.
 * Electron's V8 has it on by default; Node 20's V8 has it behind a flag, switched on here before
 * the first kernel is compiled (the flag only widens what WebAssembly validates).
 * LAGRANGE_RELAXED_SIMD=0 turns it off (tests compare both routes).
 */
export const RELAXED_MADD = { float32: 0x105, float64: 0x107 } as const;

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2
//   f32x4.relaxed_madd))
const PROBE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0,
  32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

let available: boolean | undefined;

export function relaxedMaddAvailable(): boolean {
  if (available !== undefined) return available;
  if (process.env.LAGRANGE_RELAXED_SIMD === '0') return (available = false);
  available = wasm.validate(PROBE);
  if (!available && process.versions.node) {
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      available = wasm.validate(PROBE);
    } catch {
      available = false;
    }
  }
  return available;
}
