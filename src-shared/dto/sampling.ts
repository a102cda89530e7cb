import { z } from 'zod';

const finite = z.number().finite();

/** An interval as [min, max] or as centre ± width/2 (widths down to 1e-4 and below work). */
export const intervalSchema = z.union([
  z
    .object({ min: finite, max: finite })
    .strict()
    .refine((b) => b.min < b.max, { message: 'min must be below max', path: ['min'] }),
  z
    .object({ centre: finite, width: finite })
    .strict()
    .refine((b) => b.width > 0, { message: 'the width must be positive', path: ['width'] }),
]);
export type Interval = z.infer<typeof intervalSchema>;

const restriction = z
  .object({ i: z.number().int().min(0), j: z.number().int().min(0), epsilon: finite.min(0) })
  .strict();

export const samplingWindowSchema = z
  .object({
    /** One interval per coordinate. */
    q: z.array(intervalSchema).min(1).max(8),
    /** One interval per velocity. */
    qd: z.array(intervalSchema).min(1).max(8),
    /** Drop samples with |q_i − q_j| < epsilon (the report's band where Coulomb forces blow up). */
    exclusionBands: z.array(restriction).max(16).optional(),
    /** Keep only samples with q_j > q_i + epsilon (one side of the q_i = q_j line). */
    halfPlanes: z.array(restriction).max(16).optional(),
  })
  .strict();
export type SamplingWindow = z.infer<typeof samplingWindowSchema>;

export const samplingSchema = z
  .object({
    window: samplingWindowSchema,
    count: z.number().int().min(1).max(5_000_000),
    seed: z.number().int(),
    /**
     * 'accepted' (default): draw until `count` samples pass the restrictions.
     * 'drawn': draw `count` samples, then drop the rejected ones (the report's and BENCH-1's way).
     */
    countMode: z.enum(['accepted', 'drawn']).optional(),
    /**
     * Gaussian noise added to q̈ (measured-style data): standard deviation `relative` × the
     * standard deviation of each q̈ component, from a seeded generator.
     */
    accelerationNoise: z
      .object({ relative: finite.min(0).max(10), seed: z.number().int() })
      .strict()
      .optional(),
  })
  .strict();
export type SamplingSpec = z.infer<typeof samplingSchema>;

export function bounds(interval: Interval): { min: number; max: number } {
  if ('centre' in interval)
    return { min: interval.centre - interval.width / 2, max: interval.centre + interval.width / 2 };
  return { min: interval.min, max: interval.max };
}
