import { Bytes, Op, Simd } from './wasm-writer';

/**
 * A function body written instruction by instruction, with counted loops: enough structure to
 * write small fixed kernels by hand without an assembler.
 */
export class Code {
  readonly bytes = new Bytes();

  get(local: number): this {
    this.bytes.byte(Op.localGet).u32(local);
    return this;
  }

  set(local: number): this {
    this.bytes.byte(Op.localSet).u32(local);
    return this;
  }

  /** local.tee: set and keep the value on the stack. */
  tee(local: number): this {
    this.bytes.byte(Op.localTee).u32(local);
    return this;
  }

  /** Call the function at `index` (imports first). */
  call(index: number): this {
    this.bytes.byte(Op.call).u32(index);
    return this;
  }

  i32(value: number): this {
    this.bytes.byte(Op.i32Const).s32(value);
    return this;
  }

  f64(value: number): this {
    this.bytes.byte(Op.f64Const).f64(value);
    return this;
  }

  f32(value: number): this {
    this.bytes.byte(Op.f32Const).f32(value);
    return this;
  }

  op(...opcodes: number[]): this {
    for (const o of opcodes) this.bytes.byte(o);
    return this;
  }

  simd(opcode: number, lane?: number): this {
    this.bytes.byte(0xfd).u32(opcode);
    if (lane !== undefined) this.bytes.byte(lane);
    return this;
  }

  /** v128.load / v128.store at the address on the stack plus a constant offset. */
  loadV(offset: number): this {
    this.simd(Simd.v128Load).bytes.u32(4).u32(offset);
    return this;
  }

  storeV(offset: number): this {
    this.simd(Simd.v128Store).bytes.u32(4).u32(offset);
    return this;
  }

  loadF32(offset: number): this {
    this.bytes.byte(Op.f32Load).u32(2).u32(offset);
    return this;
  }

  loadF64(offset: number): this {
    this.bytes.byte(Op.f64Load).u32(3).u32(offset);
    return this;
  }

  storeF64(offset: number): this {
    this.bytes.byte(Op.f64Store).u32(3).u32(offset);
    return this;
  }

  /** address = base local + index local · scale (both i32). */
  address(base: number | null, index: number, scale: number): this {
    this.get(index).i32(scale).op(Op.i32Mul);
    if (base !== null) this.get(base).op(Op.i32Add);
    return this;
  }

  /** f32x4 → f64: the sum of the four lanes, each promoted first. */
  sumLanesF32(vector: number): this {
    for (let lane = 0; lane < 4; lane++) {
      this.get(vector).simd(Simd.f32x4ExtractLane, lane).op(Op.f64PromoteF32);
      if (lane > 0) this.op(Op.f64Add);
    }
    return this;
  }

  /**
   * for (counter = start; counter < end; counter += step) body, end an i32 local or constant (a
   * byte count with step 16 walks v128 lanes); start 0 or an i32 local.
   */
  forEach(
    counter: number,
    end: { local: number } | { value: number },
    body: () => void,
    step = 1,
    start: { local: number } | { value: 0 } = { value: 0 },
  ): this {
    if ('local' in start) this.get(start.local).set(counter);
    else this.i32(0).set(counter);
    this.bytes.byte(Op.block).byte(0x40).byte(Op.loop).byte(0x40);
    this.get(counter);
    if ('local' in end) this.get(end.local);
    else this.i32(end.value);
    this.op(Op.i32GeU, Op.brIf).bytes.u32(1);
    body();
    this.get(counter).i32(step).op(Op.i32Add).set(counter);
    this.op(Op.br).bytes.u32(0);
    this.op(Op.end, Op.end);
    return this;
  }
}
