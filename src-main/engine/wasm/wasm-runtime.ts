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
