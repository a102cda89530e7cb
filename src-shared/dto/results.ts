/*
 * What a finished study stores: its results and its dense grids. These schemas are the one place
 * persisted JSON is read (by the store, at its edge); everything else gets typed records.
 */
import { z } from 'zod';
import { discoveryResultsSchema } from './discovery';
import { fixedPointSchema } from './fixed-point';
import { finiteOrNot } from './non-finite';
import { precisionSchema } from './precision';

export const studyPhaseSchema = z.enum([
  'dataset',
  'compile',
  'training',
  'exact-solve',
  'landscape',
  'validation',
  'fixed-points',
  'admissibility',
  'rollout',
  'done',
]);
export type StudyPhase = z.infer<typeof studyPhaseSchema>;

export const trainStatusSchema = z.enum(['completed', 'converged', 'diverged', 'cancelled']);
export type TrainStatus = z.infer<typeof trainStatusSchema>;

const num = finiteOrNot;
const vector = z.array(num);
const matrix = z.array(vector);

export const errorSummarySchema = z.object({
  /** Mean of |q̈_fit − q̈_true|² over points (the training loss's 'mean' form). */
  meanSquared: num,
  meanAbsolute: num,
  maxAbsolute: num,
  meanRelative: num,
  medianRelative: num,
});
export type ErrorSummary = z.infer<typeof errorSummarySchema>;

/** A landscape's summary (its grid is stored apart, as a `landscape` grid). */
export const landscapeSummarySchema = z.object({
  x: z.string(),
  y: z.string(),
  path: z.enum(['general', 'gram']),
  precision: precisionSchema,
  minimum: z.object({ ix: z.number(), iy: z.number(), x: num, y: num, loss: num }),
  elapsedMs: num,
  /** The general path's kernel: 'fused' WebAssembly, or 'tensor' (tfjs) when it fell back. */
  kernel: z.enum(['fused', 'tensor']).optional(),
});

export const studyResultsSchema = z.object({
  backend: z.string(),
  dataset: z.object({
    n: z.number(),
    drawn: z.number(),
    rejected: z.number(),
    singularDropped: z.number(),
    /** Dropped points by cause (absent in results saved before it was recorded). */
    dropped: z
      .object({
        exclusionBand: z.number(),
        halfPlane: z.number(),
        singularMass: z.number(),
      })
      .optional(),
  }),
  model: z.object({
    family: z.string(),
    parameterNames: z.array(z.string()),
    route: z.string(),
    linear: z.boolean(),
  }),
  training: z.object({
    status: trainStatusSchema,
    message: z.string(),
    steps: z.number(),
    parameters: vector,
    finalLoss: num,
    bestLoss: num,
    msPerStep: num,
    elapsedMs: num,
  }),
  /** Fitted/true per parameter the true system shares with the model (exact form). */
  ratios: z.record(z.string(), num).optional(),
  exact: z
    .object({
      parameters: vector,
      loss: num,
      conditionNumber: num,
      effectiveConditionNumber: num,
      rank: z.number(),
    })
    .optional(),
  identifiability: z
    .object({
      eigenvalues: vector,
      conditionNumber: num,
      maxStableLearningRate: num,
      stiffDirection: vector,
      sloppyDirection: vector,
    })
    .optional(),
  landscape: landscapeSummarySchema.optional(),
  /** float32 general path against the float64 exact path: relative differences over the grid. */
  roughness: z
    .object({
      maxRelativeDifference: num,
      medianRelativeDifference: num,
      zoomSpan: num,
    })
    .optional(),
  validation: z
    .object({ training: errorSummarySchema, validation: errorSummarySchema, ratio: num })
    .optional(),
  fixedPoints: z.array(fixedPointSchema).optional(),
  /** Equilibria of the learned Lagrangian in the same region (every model family). */
  fixedPointsFit: z.array(fixedPointSchema).optional(),
  /** Wall time per phase (dataset, compile, training, each analysis) and in all, in ms. */
  timings: z.record(z.string(), num).optional(),
  rollout: z
    .object({
      maxDeviation: num,
      finalDeviation: num,
      energyDriftFit: num,
      energyDriftTruth: num,
      t: vector,
      qFit: matrix,
      qTrue: matrix,
      qdFit: matrix,
      qdTrue: matrix,
      energyFit: vector,
      energyTrue: vector,
      /**
       * max |T| along each trajectory: the scale of its energy (a learned L is defined up to a
       * factor and an additive constant, so only (E − E₀)/max|T| compares across Lagrangians).
       */
      kineticScaleFit: num.optional(),
      kineticScaleTrue: num.optional(),
      /** Where a trajectory blew up (it is kept up to there), with the reason. */
      fitFailure: z.object({ time: num, reason: z.string() }).optional(),
      truthFailure: z.object({ time: num, reason: z.string() }).optional(),
    })
    .optional(),
  discovery: discoveryResultsSchema.optional(),
  /** ∂²L/∂q̇² of the learned L: points where it is not definite, of those checked. */
  admissibility: z
    .object({ indefinitePoints: z.number().int(), checkedPoints: z.number().int() })
    .optional(),
  /** The analysis phase a stop request ended the study in (the fit itself completed). */
  cancelledIn: studyPhaseSchema.optional(),
  /** Why an optional analysis was skipped (e.g. a rollout that left finite values). */
  notes: z.array(z.string()).optional(),
  /** For measured data: rows read and used, units, bad rows by line. */
  imported: z
    .object({
      rows: z.number(),
      used: z.number(),
      segments: z.number(),
      units: z.record(z.string(), z.string()),
      bad: z.array(z.object({ line: z.number(), reason: z.string() })),
      badCount: z.number(),
    })
    .optional(),
});
export type StudyResults = z.infer<typeof studyResultsSchema>;

const gridAxesSchema = z.object({
  x: z.string(),
  y: z.string(),
  xValues: vector,
  yValues: vector,
});

/** Grid metadata, a union on the grid's kind. */
export const gridMetaSchemas = {
  landscape: gridAxesSchema.extend(landscapeSummarySchema.partial().shape).extend({
    x: z.string(),
    y: z.string(),
  }),
  'landscape-difference': gridAxesSchema,
  'landscape-zoom': gridAxesSchema.extend({ precision: precisionSchema }),
} as const;
export type GridKind = keyof typeof gridMetaSchemas;
export type GridMeta<K extends GridKind = GridKind> = z.infer<(typeof gridMetaSchemas)[K]>;

/** A stored grid with typed metadata; `data` is row-major, y outer. */
export type TypedGrid<D> = {
  [K in GridKind]: {
    readonly kind: K;
    readonly meta: GridMeta<K>;
    readonly nx: number;
    readonly ny: number;
    readonly data: D;
  };
}[GridKind];

export function isGridKind(kind: string): kind is GridKind {
  return Object.hasOwn(gridMetaSchemas, kind);
}

/** The first grid of a kind, typed by that kind. */
export function findGrid<D, K extends GridKind>(
  grids: readonly TypedGrid<D>[],
  kind: K,
): Extract<TypedGrid<D>, { kind: K }> | undefined {
  return grids.find((g): g is Extract<TypedGrid<D>, { kind: K }> => g.kind === kind);
}
