import { z } from 'zod';
import { finiteOrNot } from './non-finite';

export const stabilitySchema = z.enum(['stable', 'asymptotically stable', 'unstable']);
export type Stability = z.infer<typeof stabilitySchema>;

export const fixedPointSchema = z.object({
  /** Equilibrium configuration, q̈(q, q̇ = 0) = 0. */
  q: z.array(finiteOrNot),
  /** |∂L/∂q| at the point (zero up to rounding). */
  residual: finiteOrNot,
  /** Eigenvalues of the linearised dynamics d(δq, δq̇)/dt = J (δq, δq̇). */
  eigenvalues: z.array(z.object({ re: finiteOrNot, im: finiteOrNot })),
  stability: stabilitySchema,
});
export type FixedPoint = z.infer<typeof fixedPointSchema>;
