import type { F64Value } from '../expression/evaluate-f64';
import { kernelImports, type HostFunction } from './host-functions';
import { wasm, type WasmMemory } from './wasm-runtime';

/** Offsets and column sizes rounded up to 16 bytes: every v128 load is aligned. */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** 64 KiB WebAssembly pages holding `bytes` (at least one). */
export const pagesFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / 65536));

/**
 * A generated kernel instantiated with its host functions on a fresh memory of `bytes`, or on
 * `shared` (several kernels working on the same buffers).
 */
export function instantiateKernel(
  module: Uint8Array,
  hostFunctions: readonly HostFunction[],
  bytes: number,
  shared?: WasmMemory,
): { memory: WasmMemory; exports: Record<string, unknown> } {
  const memory = shared ?? new wasm.Memory({ initial: pagesFor(bytes) });
  const instance = new wasm.Instance(new wasm.Module(module), kernelImports(memory, hostFunctions));
  return { memory, exports: instance.exports };
}

/**
 * One point column of a kernel: the n values (or one value for all), then the padding up to the
 * lane count, which repeats the last point (finite wherever the data is: its weight is 0) unless
 * `pad` says otherwise (the weights column pads with 0).
 */
export function fillPointColumn(
  view: Float32Array | Float64Array,
  values: F64Value,
  n: number,
  pad?: number,
): void {
  if (typeof values === 'number') view.fill(values, 0, n);
  else view.set(values);
  view.fill(pad ?? view[n - 1]!, n);
}
