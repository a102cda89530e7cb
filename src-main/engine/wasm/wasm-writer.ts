/**
 * A minimal WebAssembly binary writer: just what the fused landscape kernel needs (one memory
 * import, scalar function imports, one exported function, i32/f32/f64/v128 locals and the SIMD
 * opcodes below). Programs are generated from the expression IR, never from user text.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Plain opcodes (one byte). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
} as const;

/** SIMD opcodes (0xfd prefix, LEB128 index). */
export const Simd = {
  v128Load: 0x00,
  v128Store: 0x0b,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f,
  f32x4ReplaceLane: 0x20,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f32x4Nearest: 0x6a,
  f32x4Ge: 0x46,
  v128Bitselect: 0x52,
  i32x4Splat: 0x11,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  i32x4TruncSatF32x4S: 0xf8,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
} as const;

/** A growing byte buffer with the encodings of the binary format. */
export class Bytes {
  private data = new Uint8Array(256);
  private length = 0;

  get size(): number {
    return this.length;
  }

  byte(b: number): this {
    if (this.length === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = b & 0xff;
    return this;
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]!);
    return this;
  }

  /** Unsigned LEB128. */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (32-bit). */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(value: number): this {
    return this.raw(new Uint8Array(Float32Array.of(value).buffer));
  }

  f64(value: number): this {
    return this.raw(new Uint8Array(Float64Array.of(value).buffer));
  }

  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).raw(utf8);
  }

  /** Length-prefixed copy of another buffer. */
  sized(inner: Bytes): this {
    return this.u32(inner.length).raw(inner.view());
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}

export interface FunctionImport {
  readonly module: string;
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

export interface ModuleParts {
  /** Pages of 64 KiB of the imported memory `env.memory`. */
  readonly memoryPages: number;
  readonly imports: readonly FunctionImport[];
  readonly exportName: string;
  readonly params: readonly ValueType[];
  /** Local declarations after the parameters, as (count, type) runs. */
  readonly locals: readonly (readonly [number, ValueType])[];
  /** The function body's instructions, without the final `end`. */
  readonly body: Bytes;
}

/** A module with one memory import, function imports and one exported function. */
export function assembleModule(parts: ModuleParts): Uint8Array {
  const out = new Bytes().raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, content: Bytes) => out.byte(id).sized(content);
  const signature = (params: readonly ValueType[], results: readonly ValueType[]) =>
    new Bytes().byte(0x60).u32(params.length).raw(params).u32(results.length).raw(results);
  // Types: the kernel's, then one per import (duplicates are allowed).
  const types = new Bytes().u32(1 + parts.imports.length);
  types.raw(signature(parts.params, []).view());
  for (const imp of parts.imports) types.raw(signature(imp.params, imp.results).view());
  section(1, types);
  const imports = new Bytes().u32(1 + parts.imports.length);
  imports.name('env').name('memory').byte(0x02).byte(0x00).u32(parts.memoryPages);
  parts.imports.forEach((imp, i) =>
    imports
      .name(imp.module)
      .name(imp.name)
      .byte(0x00)
      .u32(1 + i),
  );
  section(2, imports);
  section(3, new Bytes().u32(1).u32(0));
  const kernelIndex = parts.imports.length;
  section(7, new Bytes().u32(1).name(parts.exportName).byte(0x00).u32(kernelIndex));
  const fn = new Bytes().u32(parts.locals.length);
  for (const [count, type] of parts.locals) fn.u32(count).byte(type);
  fn.raw(parts.body.view()).byte(Op.end);
  section(10, new Bytes().u32(1).sized(fn));
  return out.view().slice();
}
