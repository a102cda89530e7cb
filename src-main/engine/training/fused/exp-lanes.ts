import { Code } from '../../wasm/code';
import { assembleModule, I32, Simd, V128 } from '../../wasm/wasm-writer';

/*
 * exp in float32 lanes, in parts the activation kernels combine: y = k ln2 + r with k =
 * nearest(y log2 e) and |r| ≤ ln2/2 (ln2 in two parts, so r is exact), e^r − 1 to degree 6 by
 * Horner (relative error ≈ 2·10⁻⁷; kept without its 1 so that tanh's e^y − 1 does not cancel
 * near 0), and 2^k written into the exponent bits. y must be ≥ −87 (e^−87 is the smallest
 * normal float32).
 */

const c = (code: Code, value: number) => code.f32(value).simd(Simd.f32x4Splat);

/** k and r of y (locals). */
export function reduceExp(code: Code, y: number, k: number, r: number): void {
  code.get(y);
  c(code, Math.LOG2E);
  code.simd(Simd.f32x4Mul).simd(Simd.f32x4Nearest).set(k);
  code.get(y).get(k);
  c(code, 0.693145751953125);
  code.simd(Simd.f32x4Mul).simd(Simd.f32x4Sub).get(k);
  c(code, 1.428606765330187e-6);
  code.simd(Simd.f32x4Mul).simd(Simd.f32x4Sub).set(r);
}

/** Pushes e^r − 1 = r(1 + r(1/2 + r(1/6 + … + r/720))). */
export function expm1Reduced(code: Code, r: number): void {
  c(code, 1 / 720);
  for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 0.5, 1]) {
    code.get(r).simd(Simd.f32x4Mul);
    c(code, coefficient);
    code.simd(Simd.f32x4Add);
  }
  code.get(r).simd(Simd.f32x4Mul);
}

/** Pushes 2^k: (k + 127) << 23 as float32 bits. */
export function powerOfTwo(code: Code, k: number): void {
  code.get(k).simd(Simd.i32x4TruncSatF32x4S);
  code.i32(127).simd(Simd.i32x4Splat);
  code.simd(Simd.i32x4Add).i32(23).simd(Simd.i32x4Shl);
}

/**
 * An activation kernel's frame, as JetNetwork calls it: parameters are the byte offsets of z, h,
 * σ′, σ″, σ‴ and the bytes to do (a multiple of 16); `lanes` writes one v128 of each for the byte
 * offset in local 6, with `vectors` v128 locals from 7 on.
 */
export function activationKernel(name: string, vectors: number, lanes: (code: Code) => void) {
  const code = new Code();
  code.forEach(6, { local: 5 }, () => lanes(code), 16);
  return assembleModule({
    memoryPages: 1,
    imports: [],
    exportName: name,
    params: new Array<typeof I32>(6).fill(I32),
    locals: [
      [1, I32],
      [vectors, V128],
    ],
    body: code.bytes,
  });
}
