import { Code } from '../../wasm/code';
import { LANES } from '../../wasm/lanes';
import type { Precision } from '../../../../src-shared/dto/precision';
import { assembleModule, I32, Op, V128 } from '../../wasm/wasm-writer';
import type { Channel } from './jet-network';

/**
 * The channel updates of one hidden layer in SIMD (four float32 or two float64 units a v128),
 * every channel unrolled (the channel list and the channel stride are constants of the kernel):
 *   forward   h_a = σ′ z_a,  h_ab = σ′ z_ab + σ″ z_a z_b   (the value h = σ(z) is written by JS);
 *   backward  the transpose, H̄ → Z̄ in place (see JetNetwork.activateBackward's formula).
 * Parameters: byte offsets of Z, H (or the adjoints), σ′, σ″, σ‴ and the bytes per channel.
 */
/* eslint-disable-next-line max-lines-per-function --
   emits one kernel's straight-line WebAssembly beside the formula each block implements */
export function emitChannelKernel(
  channels: readonly Channel[],
  stride: number,
  direction: 'forward' | 'backward',
  precision: Precision = 'float32',
): Uint8Array {
  const { add, mul } = LANES[precision];
  const [pre, target, s1, s2, s3, bytes] = [0, 1, 2, 3, 4, 5];
  const [r, z, g] = [6, 7, 8];
  const [v1, v2, v3, value, h] = [9, 10, 11, 12, 13];
  const first = channels.flatMap((ch, c) => (ch.order === 1 ? [c] : []));
  const zLocal = new Map(first.map((c, k) => [c, 14 + k]));
  const gLocal = new Map(first.map((c, k) => [c, 14 + first.length + k]));
  const code = new Code();
  const slope = (base: number, local: number) =>
    code.get(base).get(r).op(Op.i32Add).loadV(0).set(local);
  // for (r = 0; r < bytes; r += 16): one v128 of every array a turn
  code.forEach(
    r,
    { local: bytes },
    () => {
      code.get(pre).get(r).op(Op.i32Add).set(z);
      code.get(target).get(r).op(Op.i32Add).set(g);
      slope(s1, v1);
      slope(s2, v2);
      const zAt = (c: number) => code.get(z).loadV(c * stride);
      if (direction === 'forward') {
        channels.forEach((ch, c) => {
          if (ch.order === 0) return;
          code.get(g).get(v1);
          zAt(c).simd(mul);
          if (ch.order === 2) {
            code.get(v2);
            zAt(ch.a).simd(mul);
            zAt(ch.b).simd(mul).simd(add);
          }
          code.storeV(c * stride);
        });
      } else {
        slope(s3, v3);
        const gAt = (c: number) => code.get(g).loadV(c * stride);
        // value = σ′ h̄
        code.get(v1);
        gAt(0).simd(mul).set(value);
        for (const c of first) {
          zAt(c).set(zLocal.get(c)!);
          gAt(c).set(h);
          // value += σ″ z_a h̄_a;  z̄_a = σ′ h̄_a
          code.get(value).get(v2).get(zLocal.get(c)!).simd(mul).get(h);
          code.simd(mul).simd(add).set(value);
          code.get(v1).get(h).simd(mul).set(gLocal.get(c)!);
        }
        channels.forEach((ch, c) => {
          if (ch.order !== 2) return;
          const za = zLocal.get(ch.a)!;
          const zb = zLocal.get(ch.b)!;
          gAt(c).set(h);
          // value += (σ″ z_ab + σ‴ z_a z_b) h̄_ab
          code.get(value).get(v2);
          zAt(c).simd(mul).get(v3).get(za).simd(mul).get(zb);
          code.simd(mul).simd(add).get(h).simd(mul);
          code.simd(add).set(value);
          // z̄_a += σ″ z_b h̄_ab;  z̄_b += σ″ z_a h̄_ab;  z̄_ab = σ′ h̄_ab
          for (const [into, other] of [
            [ch.a, zb],
            [ch.b, za],
          ] as const) {
            const local = gLocal.get(into)!;
            code.get(local).get(v2).get(other).simd(mul).get(h).simd(mul);
            code.simd(add).set(local);
          }
          code
            .get(g)
            .get(v1)
            .get(h)
            .simd(mul)
            .storeV(c * stride);
        });
        for (const c of first)
          code
            .get(g)
            .get(gLocal.get(c)!)
            .storeV(c * stride);
        code.get(g).get(value).storeV(0);
      }
    },
    16,
  );
  return assembleModule({
    memoryPages: 1,
    imports: [],
    exportName: 'channels',
    params: new Array<typeof I32>(6).fill(I32),
    locals: [
      [3, I32],
      [5 + 2 * first.length, V128],
    ],
    body: code.bytes,
  });
}
