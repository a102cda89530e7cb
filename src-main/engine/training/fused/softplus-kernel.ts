import { Op, Simd } from '../../wasm/wasm-writer';
import { activationKernel, expm1Reduced, powerOfTwo, reduceExp } from './exp-lanes';

/**
 * softplus and its first three derivatives for float32 lanes, four values an instruction (the
 * JavaScript loop's Math.exp and Math.log1p were a third of a structured step):
 *   e = exp(−|z|),  softplus = max(z, 0) + log1p(e),  softplus′ = s = 1/(1+e) or e/(1+e),
 *   softplus″ = s(1 − s) = e/(1+e)²,  softplus‴ = s(1 − s)(1 − 2s), 1 − 2s = ∓(1 − e)/(1 + e).
 * exp as in exp-lanes.ts (relative error ≈ 2·10⁻⁷); log1p(e), e ∈ (0, 1], as 2 atanh(t),
 * t = e/(2 + e) ≤ 1/3, to t¹³ (≈ 10⁻⁸).
 * Parameters: byte offsets of z, h, σ′, σ″, σ‴ and the bytes to do (a multiple of 16).
 */
export function emitSoftplusKernel(): Uint8Array {
  const [zP, hP, s1P, s2P, s3P] = [0, 1, 2, 3, 4];
  const r = 6;
  const [x, e, t, t2, k, s, tmp, mask] = [7, 8, 9, 10, 11, 12, 13, 14];
  return activationKernel('softplus', 8, (code) => {
    const c = (value: number) => code.f32(value).simd(Simd.f32x4Splat);
    const at = (base: number) => code.get(base).get(r).op(Op.i32Add);
    const mul = () => code.simd(Simd.f32x4Mul);
    const add = () => code.simd(Simd.f32x4Add);
    at(zP).loadV(0).set(x);
    // y = max(−|z|, −87) (e^−87 is the smallest normal float32)
    code.get(x).simd(Simd.f32x4Abs).simd(Simd.f32x4Neg);
    c(-87);
    code.simd(Simd.f32x4Max).set(tmp);
    // e = e^y = 2^k (1 + (e^r − 1)), y = k ln2 + r (exp-lanes.ts)
    reduceExp(code, tmp, k, t);
    expm1Reduced(code, t);
    c(1);
    add();
    powerOfTwo(code, k);
    mul();
    code.set(e);
    // t = e/(2 + e), log1p(e) = 2t(1 + t²/3 + t⁴/5 + … + t¹²/13)
    code.get(e);
    c(2);
    code.get(e);
    add();
    code.simd(Simd.f32x4Div).set(t);
    code.get(t).get(t);
    mul();
    code.set(t2);
    c(1 / 13);
    for (const coefficient of [1 / 11, 1 / 9, 1 / 7, 1 / 5, 1 / 3, 1]) {
      code.get(t2);
      mul();
      c(coefficient);
      add();
    }
    code.get(t);
    mul();
    c(2);
    mul();
    // h = max(z, 0) + log1p(e)
    code.get(x);
    c(0);
    code.simd(Simd.f32x4Max);
    add();
    code.set(tmp);
    at(hP).get(tmp).storeV(0);
    // inv = 1/(1 + e); s = inv where z ≥ 0, else e·inv
    c(1);
    c(1);
    code.get(e);
    add();
    code.simd(Simd.f32x4Div).set(tmp);
    code.get(x);
    c(0);
    code.simd(Simd.f32x4Ge).set(mask);
    code.get(tmp).get(e).get(tmp);
    mul();
    code.get(mask).simd(Simd.v128Bitselect).set(s);
    at(s1P).get(s).storeV(0);
    // softplus″ = s(1 − s) = e·inv² and 1 − 2s = ∓(1 − e)·inv, without cancelling 1 − s
    at(s2P).get(e).get(tmp);
    mul();
    code.get(tmp);
    mul();
    code.set(t2);
    code.get(t2).storeV(0);
    c(1);
    code.get(e).simd(Simd.f32x4Sub).get(tmp);
    mul();
    code.set(t);
    code.get(t).simd(Simd.f32x4Neg).get(t).get(mask).simd(Simd.v128Bitselect).set(t);
    // softplus‴ = s(1 − s)(1 − 2s)
    at(s3P).get(t2).get(t);
    mul();
    code.storeV(0);
  });
}
