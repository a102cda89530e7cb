import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

function standardDeviation(x: Float64Array): number {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
}

/**
 * Measured-style accelerations: each component plus Gaussian noise of standard deviation
 * `relative` × its own standard deviation, from a seeded xoroshiro128+ (Box–Muller pairs).
 */
export function withAccelerationNoise(
  qdd: readonly Float64Array[],
  relative: number,
  seed: number,
): Float64Array[] {
  const gaussian = gaussianSource(seed);
  return qdd.map((component) => {
    const sigma = relative * standardDeviation(component);
    return component.map((v) => v + sigma * gaussian());
  });
}

/** Standard normal draws from a seeded xoroshiro128+ (Box–Muller). */
export function gaussianSource(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => {
    const u = 1 - uniformFloat64(rng); // (0, 1]: log(u) stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniformFloat64(rng));
  };
}
