import type { ActivationName } from '../../models/activations';

/**
 * σ(z) into h and σ′, σ″, σ‴ into three arrays, for `count` values of one memory (element
 * indices): the forward pass of second-order jets needs σ″, their reverse pass σ‴. One tight loop
 * per activation.
 */
export type SlopeLoop = (
  f: Float32Array | Float64Array,
  z: number,
  h: number,
  s1: number,
  s2: number,
  s3: number,
  count: number,
) => void;

export const SLOPES: Record<ActivationName, SlopeLoop> = {
  // t = tanh z: σ′ = 1 − t², σ″ = −2tσ′, σ‴ = (6t² − 2)σ′
  tanh(f, z, h, s1, s2, s3, count) {
    for (let r = 0; r < count; r++) {
      const t = Math.tanh(f[z + r]!);
      const d1 = 1 - t * t;
      f[h + r] = t;
      f[s1 + r] = d1;
      f[s2 + r] = -2 * t * d1;
      f[s3 + r] = (6 * t * t - 2) * d1;
    }
  },
  // s = 1/(1 + e⁻ᶻ): softplus′ = s, ″ = s(1 − s), ‴ = s(1 − s)(1 − 2s);
  // log(1 + eᶻ) = max(z, 0) + log(1 + e^−|z|) without overflow
  softplus(f, z, h, s1, s2, s3, count) {
    for (let r = 0; r < count; r++) {
      const x = f[z + r]!;
      const e = Math.exp(-Math.abs(x));
      const s = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      const d2 = s * (1 - s);
      f[h + r] = Math.max(x, 0) + Math.log1p(e);
      f[s1 + r] = s;
      f[s2 + r] = d2;
      f[s3 + r] = d2 * (1 - 2 * s);
    }
  },
  sin(f, z, h, s1, s2, s3, count) {
    for (let r = 0; r < count; r++) {
      const sn = Math.sin(f[z + r]!);
      const cs = Math.cos(f[z + r]!);
      f[h + r] = sn;
      f[s1 + r] = cs;
      f[s2 + r] = -sn;
      f[s3 + r] = -cs;
    }
  },
};
