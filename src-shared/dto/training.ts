/*
 * How a model is trained, as a study states it: the optimizer and its learning-rate schedule, the
 * stopping rules and the loss. The schemas validate studies at the boundary; the engine's types
 * are inferred from them.
 */
import { z } from 'zod';

const finite = z.number().finite();
const lr = finite.positive();

/** Learning-rate schedules. 'loss-adaptive' is the report's: the rate grows as the loss falls. */
const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }).strict(),
  z
    .object({ kind: z.literal('step'), every: z.number().int().min(1), factor: finite.positive() })
    .strict(),
  z
    .object({ kind: z.literal('loss-adaptive'), power: finite.min(0), maxFactor: finite.min(1) })
    .strict(),
]);

const schedule = scheduleSchema.optional();

export const optimizerSchema = z.discriminatedUnion('algorithm', [
  z.object({ algorithm: z.literal('gd'), learningRate: lr, schedule }).strict(),
  z
    .object({
      algorithm: z.literal('momentum'),
      learningRate: lr,
      momentum: finite.min(0).max(1).optional(),
      nesterov: z.boolean().optional(),
      schedule,
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('adam'),
      learningRate: lr,
      beta1: finite.min(0).max(1).optional(),
      beta2: finite.min(0).max(1).optional(),
      epsilon: finite.positive().optional(),
      schedule,
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('adagrad'),
      learningRate: lr,
      initialAccumulator: finite.min(0).optional(),
      epsilon: finite.positive().optional(),
      schedule,
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('rmsprop'),
      learningRate: lr,
      decay: finite.min(0).max(1).optional(),
      epsilon: finite.positive().optional(),
      schedule,
    })
    .strict(),
]);
export type OptimizerSpec = z.infer<typeof optimizerSchema>;

export const stoppingSchema = z
  .object({
    maxSteps: z.number().int().min(1).max(100_000_000),
    /** Stop when the loss falls to or below this. */
    lossTolerance: finite.min(0).optional(),
    /** Stop when no parameter moves by more than this (relative to 1 + |θ|) in a step. */
    parameterTolerance: finite.min(0).optional(),
    /**
     * Divergence: the loss exceeds this multiple of the initial loss (default 1e6), or is not
     * finite.
     */
    divergenceFactor: finite.min(1).optional(),
  })
  .strict();
export type StoppingRules = z.infer<typeof stoppingSchema>;

/** The squared q̈ error, summed over components; 'mean' divides by the number of points. */
export const lossSchema = z
  .object({
    reduction: z.enum(['sum', 'mean']),
    /** Divide each point's error by |q̈_data|² (points with q̈_data = 0 get weight 0). */
    relative: z.boolean().optional(),
  })
  .strict();
export type LossSpec = z.infer<typeof lossSchema>;
