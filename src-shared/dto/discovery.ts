/*
 * Discovering a Lagrangian's closed form: L = Σ θ_i φ_i(q, q̇) over a library of candidate terms,
 * sparse in θ. The study settings (a model family) and what a discovery stores.
 */
import { z } from 'zod';
import { finiteOrNot } from './non-finite';

const finite = z.number().finite();

/** The library, composed from blocks over the system's coordinates q_i and velocities q̇_i. */
export const librarySchema = z
  .object({
    /** q̇_i² and q̇_i q̇_j. */
    kinetic: z.boolean().optional(),
    /** q_i² q̇_j² and cos(q_i − q_j) q̇_i q̇_j (configuration-dependent masses). */
    kineticCoupled: z.boolean().optional(),
    /** Monomials of q of total degree 1 … order. */
    polynomialOrder: z.number().int().min(0).max(8).optional(),
    /** Pairwise interactions 1/|q_i − q_j|, |q_i − q_j|, log|q_i − q_j|. */
    pairwise: z
      .array(z.enum(['inverse', 'abs', 'log']))
      .max(3)
      .optional(),
    /** cos q_i and sin q_i. */
    trigonometric: z.boolean().optional(),
    /** q_i cos q_j and q_i sin q_j, i ≠ j (e.g. the elastic pendulum's gravity r cos θ). */
    coordinateTrig: z.boolean().optional(),
    /**
     * Kinetic terms with angle-dependent masses: sin²q_i q̇_j², cos q_i q̇_j² and
     * cos(q_i − q_j) q̇_i q̇_j (spherical and double pendulums).
     */
    kineticTrig: z.boolean().optional(),
    /** Central potentials of r = |q|: 1/r, r², log r (Kepler, a harmonic trap, a vortex). */
    central: z
      .array(z.enum(['inverse', 'square', 'log']))
      .max(3)
      .optional(),
    /** Further terms as expressions in the coordinates and velocities, e.g. "q0*qd1". */
    custom: z.array(z.string().min(1).max(500)).max(64).optional(),
  })
  .strict();
export type LibrarySpec = z.infer<typeof librarySchema>;

export const discoveryModelSchema = z
  .object({
    family: z.literal('discovery'),
    library: librarySchema,
    /**
     * The gauge: L and c·L + dF/dt give the same motion, so one coefficient is fixed, e.g. the
     * term "qd0^2" at 0.5 (a unit mass). The term must be in the library.
     */
    normalisation: z.object({ term: z.string().min(1).max(500), coefficient: finite }).strict(),
    /** STLSQ (sequentially thresholded least squares) or an L1 path (LASSO). */
    solver: z.enum(['stlsq', 'lasso']).optional(),
    /** How the path's candidate is chosen: validation error (default) or BIC. */
    selection: z.enum(['validation', 'bic']).optional(),
  })
  .strict();
export type DiscoverySpec = z.infer<typeof discoveryModelSchema>;

export const termStatusSchema = z.enum(['candidate', 'normalisation', 'no-effect', 'dependent']);
export type TermStatus = z.infer<typeof termStatusSchema>;

/** One point of the sparsity path: a support, its fit and how well it predicts. */
export const candidateSchema = z.object({
  threshold: finiteOrNot,
  /** Indices into `terms` of the terms kept (the normalisation term is always in). */
  support: z.array(z.number().int()),
  /** One per term (0 outside the support; the normalisation term at its fixed value). */
  coefficients: z.array(finiteOrNot),
  /** Standard errors from the residual variance and (AᵀA)⁻¹ on the support. */
  standardErrors: z.array(finiteOrNot),
  /** Mean squared Euler–Lagrange residual on the training and validation data. */
  trainingError: finiteOrNot,
  validationError: finiteOrNot,
  aic: finiteOrNot,
  bic: finiteOrNot,
  /** Points (training and validation) where ∂²L/∂q̇² is not definite, of those checked. */
  indefinitePoints: z.number().int().optional(),
  checkedPoints: z.number().int().optional(),
});
export type DiscoveryCandidate = z.infer<typeof candidateSchema>;

export const discoveryResultsSchema = z.object({
  terms: z.array(
    z.object({
      name: z.string(),
      status: termStatusSchema,
      /** Why a term was not fitted, e.g. "its Euler–Lagrange term vanishes". */
      note: z.string().optional(),
    }),
  ),
  solver: z.enum(['stlsq', 'lasso']),
  selection: z.enum(['validation', 'bic']),
  path: z.array(candidateSchema),
  selected: z.number().int(),
  /** The selected Lagrangian as an expression (mathjs syntax), ready for a system definition. */
  lagrangian: z.string(),
  /**
   * The same Lagrangian with its free coefficients as parameters c1, c2, … (the normalisation
   * term keeps its number): an exact-form model for refinement, landscapes and rollouts.
   */
  exactForm: z.object({
    lagrangian: z.string(),
    parameters: z.array(z.object({ name: z.string(), value: finiteOrNot })),
  }),
  /** What the answer rests on (absent in runs stored before it was computed). */
  evidence: z
    .object({
      /** ∂²L/∂q̇² definite at every checked point (training and validation). */
      admissible: z.boolean(),
      indefinitePoints: z.number().int(),
      checkedPoints: z.number().int(),
      /** Eigenvalues of ∂²L/∂q̇² at the point where the smallest is least. */
      kineticEigenvalues: z.array(finiteOrNot),
      /** The family of Lagrangians the data admit beyond gauge (dimension 0: decided). */
      ambiguity: z.object({
        dimension: z.number().int(),
        /** σ² of the first decided direction over the noise level's (large: clearly decided). */
        gap: finiteOrNot,
        /** ΔL whose multiples can be added without changing the motion on these data. */
        directions: z.array(
          z.object({ lagrangian: z.string(), coefficients: z.array(finiteOrNot) }),
        ),
      }),
      /** Other candidates within the selection's bound, sparsest first (path indices). */
      alternatives: z.array(z.number().int()),
      /** The selected support refitted on q̈ (where the noise is): what the answer reports. */
      estimate: z.object({
        method: z.string(),
        coefficients: z.array(finiteOrNot),
        standardErrors: z.array(finiteOrNot),
        iterations: z.number().int(),
      }),
      /**
       * Trajectories: the refit repeated on the data filtered two orders higher; per term the
       * coefficient's move in standard errors (the filter's own smoothing error, not in the SE)
       */
      filterCheck: z
        .object({
          order: z.number().int(),
          shifts: z.array(finiteOrNot),
          /** The move over its own noise (Hausman): above 3 it is the filter's error. */
          significance: z.array(finiteOrNot),
        })
        .optional(),
      /** q̈ error of the answer against the data's noise level (null: unknown, measured data). */
      fit: z.object({
        validationError: finiteOrNot,
        noiseMeanSquare: finiteOrNot.nullable(),
        adequate: z.boolean().nullable(),
      }),
      /** Plain-language warnings: inadmissible, undecided, no fit. */
      warnings: z.array(z.string()),
    })
    .optional(),
  /** Rows of the regression (samples × coordinates) on training and validation data. */
  rows: z.number().int(),
  validationRows: z.number().int(),
});
export type DiscoveryResults = z.infer<typeof discoveryResultsSchema>;
