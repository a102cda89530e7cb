import { z } from 'zod';
import { discoveryModelSchema } from './discovery';
import { identifierSchema } from './system';

const finite = z.number().finite();
const hidden = z.array(z.number().int().min(1).max(1024)).min(1).max(8);
const activation = z.enum(['tanh', 'softplus', 'sin']);

/** A model Lagrangian family and its settings, as stored in a study (JSON). */
export const modelSchema = z.discriminatedUnion('family', [
  z
    .object({
      family: z.literal('exact-form'),
      /** Parameters of the system's own expression that are learned; the rest keep their values. */
      learnable: z.array(identifierSchema).min(1).max(64),
      /** Starting values (default: 1 for each learnable parameter). */
      initial: z.record(z.string(), finite).optional(),
      /**
       * The model's own Lagrangian and parameters when it is not the system's (e.g. one found by
       * a discovery run); the system still generates the data.
       */
      expression: z
        .object({
          lagrangian: z.string().min(1).max(20_000),
          parameters: z.array(z.object({ name: identifierSchema, value: finite }).strict()).max(64),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /**
   * The report's eq. (1)–(2): ½q̇² + Σ_{(m,n)∈{(0,0),(0,1),(1,1)}} Σ_{i,j=1..N} c_mnij q_m^i q_n^j.
   */
  z.object({ family: z.literal('polynomial'), order: z.number().int().min(1).max(12) }).strict(),
  /** The report's eq. (4): ½q̇² − ½k q² − Σ_{i,j=0..N} c_ij q0^i q1^j, with k fixed. */
  z
    .object({
      family: z.literal('coupling-polynomial'),
      order: z.number().int().min(1).max(12),
      k: finite,
    })
    .strict(),
  /** An MLP L(q, q̇) (Lagrangian neural network); q̈ by autodiff. */
  z.object({ family: z.literal('neural'), hidden, activation, seed: z.number().int() }).strict(),
  /**
   * Deep Lagrangian Networks: L = ½q̇ᵀM(q)q̇ − V(q), M = LLᵀ + εI with L(q) lower triangular
   * (positive diagonal) from one MLP of q and V(q) from another; M positive definite.
   */
  z
    .object({
      family: z.literal('structured-neural'),
      hidden,
      activation,
      seed: z.number().int(),
      /** ε, default 1e-3. */
      massFloor: finite.positive().optional(),
      /** q̈ from the structure (default) or by autodiff of L (the slower reference). */
      route: z.enum(['structure', 'autodiff']).optional(),
    })
    .strict(),
  discoveryModelSchema,
]);
export type ModelSpec = z.infer<typeof modelSchema>;
