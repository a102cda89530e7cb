import { Op, Simd } from '../../wasm/wasm-writer';
import { activationKernel, expm1Reduced, powerOfTwo, reduceExp } from './exp-lanes';

/**
 * tanh and its first three derivatives for float32 lanes, four values an instruction (Math.tanh
 * in a JavaScript loop was a quarter of a tanh network's step), without cancellation anywhere:
 *   y = −2|z|,  u = e^y − 1 (exp-lanes.ts, kept apart from its 1),  |t| = −u/(2 + u),
 *   1 − t² = (1 − |t|)(1 + |t|) = 4e^y/(2 + u)²,  σ″ = −2t(1 − t²),  σ‴ = (6t² − 2)(1 − t²).
 * y ≥ −87 (float32's smallest normal exponential): |t| is 1 to float32 there. Parameters: byte
 * offsets of z, h, σ′, σ″, σ‴ and the bytes to do (a multiple of 16), as the softplus kernel.
 */
export function emitTanhKernel(): Uint8Array {
  const [zP, hP, s1P, s2P, s3P] = [0, 1, 2, 3, 4];
  const r = 6;
  const [x, y, k, rest, p, twoK, u, den, t, d1, mask] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  return activationKernel('tanh', 11, (code) => {
    const c = (value: number) => code.f32(value).simd(Simd.f32x4Splat);
    const at = (base: number) => code.get(base).get(r).op(Op.i32Add);
    const mul = () => code.simd(Simd.f32x4Mul);
    const add = () => code.simd(Simd.f32x4Add);
    at(zP).loadV(0).set(x);
    // y = max(−2|z|, −87)
    code.get(x).simd(Simd.f32x4Abs);
    c(-2);
    mul();
    c(-87);
    code.simd(Simd.f32x4Max).set(y);
    reduceExp(code, y, k, rest);
    expm1Reduced(code, rest);
    code.set(p);
    powerOfTwo(code, k);
    code.set(twoK);
    // u = e^y − 1 = 2^k p + (2^k − 1): exact where k = 0 (|y| < ln2/2)
    code.get(twoK).get(p);
    mul();
    code.get(twoK);
    c(1);
    code.simd(Simd.f32x4Sub);
    add();
    code.set(u);
    // den = 2 + u;  t = ±(−u/den) with the sign of z
    c(2);
    code.get(u);
    add();
    code.set(den);
    code.get(u).simd(Simd.f32x4Neg).get(den).simd(Simd.f32x4Div).set(t);
    code.get(x);
    c(0);
    code.simd(Simd.f32x4Ge).set(mask);
    code.get(t).get(t).simd(Simd.f32x4Neg).get(mask).simd(Simd.v128Bitselect).set(t);
    at(hP).get(t).storeV(0);
    // 1 − t² = 4 e^y / den², e^y = 2^k p + 2^k
    c(4);
    code.get(twoK).get(p);
    mul();
    code.get(twoK);
    add();
    mul();
    code.get(den).get(den);
    mul();
    code.simd(Simd.f32x4Div).set(d1);
    at(s1P).get(d1).storeV(0);
    // σ″ = −2 t (1 − t²)
    at(s2P);
    c(-2);
    code.get(t);
    mul();
    code.get(d1);
    mul();
    code.storeV(0);
    // σ‴ = (6t² − 2)(1 − t²)
    at(s3P);
    c(6);
    code.get(t);
    mul();
    code.get(t);
    mul();
    c(2);
    code.simd(Simd.f32x4Sub).get(d1);
    mul();
    code.storeV(0);
  });
}
