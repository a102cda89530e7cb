/**
 * The runtime's WebAssembly object, typed for what the engine uses (the Node tsconfig has no
 * DOM library, where these types live). Present in Node, Electron and every browser.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let simdSupport: boolean | undefined;
/** Whether this runtime's WebAssembly has 128-bit SIMD (Node ≥ 16, Electron, Chromium ≥ 91). */
export function simdAvailable(): boolean {
  // (module (func (result v128) v128.const i64x2 0 0))
  simdSupport ??= wasm.validate(
    Uint8Array.from([
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      1,
      5,
      1,
      96,
      0,
      1,
      123,
      3,
      2,
      1,
      0,
      10,
      22,
      1,
      20,
      0,
      253,
      12,
      ...new Array<number>(16).fill(0),
      11,
    ]),
  );
  return simdSupport === true;
}
