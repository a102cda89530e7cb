import { z } from 'zod';
import { precisionSchema } from '../dto/precision';
import { modelSchema } from '../dto/model-spec';
import { intervalSchema, samplingSchema } from '../dto/sampling';
import { systemSchema } from '../dto/system';
import { lossSchema, optimizerSchema, stoppingSchema } from '../dto/training';
import { AppError } from '../errors';
import type { ModelSpec } from '../dto/model-spec';

/*
 * The study format (docs/study-format.md): one JSON document that says everything a run needs —
 * the system, the sampling window, the model, the optimizer and what to analyse. Validated with
 * zod at every boundary (study files, the API, the HTTP bridge); the engine's own interfaces are
 * the inferred types.
 */

const finite = z.number().finite();

/** A landscape axis: a parameter's grid values, both ends included (200 on [0, 8]: step 8/199). */
export const landscapeAxisSchema = z
  .object({
    parameter: z.string().min(1).max(64),
    min: finite,
    max: finite,
    count: z.number().int().min(2).max(2000),
  })
  .strict();

export const studySchema = z
  .object({
    /** The JSON Schema editors validate the file against (resources/study.schema.json). */
    $schema: z.string().max(2000).optional(),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    /** Section of the weekly report this study reproduces, e.g. "1.1". */
    reportSection: z.string().max(50).optional(),
    /** The name of the study this run was started from (the runs list groups by it). */
    template: z.string().max(200).optional(),
    system: systemSchema,
    /** Parameter values that generate the data (default: the system's own). */
    trueParameters: z.record(z.string(), finite).optional(),
    sampling: samplingSchema,
    model: modelSchema,
    optimizer: optimizerSchema,
    stopping: stoppingSchema,
    loss: lossSchema.optional(),
    route: z.enum(['auto', 'graph', 'design', 'gram']).optional(),
    landscape: z
      .object({
        x: landscapeAxisSchema,
        y: landscapeAxisSchema,
        path: z.enum(['auto', 'general', 'gram']).optional(),
        /**
         * Lanes of the general path's fused kernel: float32 (the report's route, default) or
         * float64 (exact to rounding, about 1.3× slower).
         */
        precision: precisionSchema.optional(),
        /**
         * Also compute the float32 general path against the float64 exact one, and a float32 zoom
         * on the optimum.
         */
        roughness: z.boolean().optional(),
      })
      .strict()
      .optional(),
    validation: z.object({ sampling: samplingSchema }).strict().optional(),
    /** Find the equilibria in the sampling window's q ranges. */
    /**
     * Find the equilibria: true searches the sampling window; { region } searches given intervals
     * (one per coordinate), e.g. to find an equilibrium just outside the data window.
     */
    fixedPoints: z
      .union([z.boolean(), z.object({ region: z.array(intervalSchema).min(1).max(8) }).strict()])
      .optional(),
    /**
     * Fit measured data from a CSV file instead of sampling the system (the system still names the
     * coordinates).
     */
    measured: z
      .union([
        z
          .object({
            file: z.string().min(1).max(4096),
            kind: z.literal('trajectory'),
            time: z.string().min(1),
            coordinates: z.array(z.string().min(1)).min(1).max(8),
            window: z.number().int().min(3).max(1001),
            order: z.number().int().min(1).max(10),
          })
          .strict(),
        z
          .object({
            file: z.string().min(1).max(4096),
            kind: z.literal('samples'),
            q: z.array(z.string().min(1)).min(1).max(8),
            qd: z.array(z.string().min(1)).min(1).max(8),
            qdd: z.array(z.string().min(1)).min(1).max(8),
          })
          .strict(),
      ])
      .optional(),
    /** Run the study once per combination of these settings (dotted paths into the study). */
    sweep: z
      .array(
        z
          .object({
            path: z.string().min(1).max(200),
            values: z
              .array(z.union([finite, z.string(), z.boolean()]))
              .min(1)
              .max(1000),
          })
          .strict(),
      )
      .max(4)
      .optional(),
    /**
     * Run the landscape and the rollout even when the fit diverged (they are skipped by default:
     * a diverged fit's rollout can crawl for minutes and says nothing about the model).
     */
    analyseDiverged: z.boolean().optional(),
    /** Set by a sweep on each of its runs: the swept settings' values (for plots against them). */
    sweepPoint: z.record(z.string(), z.union([finite, z.string(), z.boolean()])).optional(),
    /** Integrate the learned and the true equations of motion from one initial state. */
    rollout: z
      .object({
        q0: z.array(finite).min(1).max(8),
        qd0: z.array(finite).min(1).max(8),
        duration: finite.positive().max(1e6),
        method: z.enum(['rk4', 'rk45']).optional(),
        dt: finite.positive().optional(),
        tolerance: finite.positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine(checkRecordKeys);

/** A dotted path into the study (sweep paths, sweepPoint keys), e.g. `optimizer.learningRate`. */
const DOTTED_PATH = /^[A-Za-z$][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_]{1,64}){0,15}$/;

/**
 * The keys of the study's free records are names, never free text: trueParameters names the
 * system's parameters, model.initial the model's, sweepPoint the swept paths. Keys become file
 * names and labels downstream (MLflow params, CSV headers), so a key like `x/../../.bashrc` is
 * refused here, where the user (or a shared file) typed it (docs/security.md).
 */
function checkRecordKeys(
  study: {
    system: { parameters: Array<{ name: string }> };
    trueParameters?: Record<string, unknown> | undefined;
    model: ModelSpec;
    sweepPoint?: Record<string, unknown> | undefined;
    sweep?: Array<{ path: string }> | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const systemNames = new Set(study.system.parameters.map((p) => p.name));
  const shown = (k: string) => JSON.stringify(k.length > 60 ? `${k.slice(0, 60)}…` : k);
  const list = (names: Set<string>) => [...names].slice(0, 12).join(', ') || 'none';
  for (const k of Object.keys(study.trueParameters ?? {}))
    if (!systemNames.has(k))
      ctx.addIssue({
        code: 'custom',
        path: ['trueParameters', k],
        message: `${shown(k)} is not a parameter of the system (its parameters: ${list(systemNames)})`,
      });
  if (study.model.family === 'exact-form' && study.model.initial) {
    const modelNames = new Set(
      study.model.expression
        ? study.model.expression.parameters.map((p) => p.name)
        : [...systemNames],
    );
    for (const k of Object.keys(study.model.initial))
      if (!modelNames.has(k))
        ctx.addIssue({
          code: 'custom',
          path: ['model', 'initial', k],
          message: `${shown(k)} is not a parameter of the model (its parameters: ${list(modelNames)})`,
        });
  }
  for (const k of Object.keys(study.sweepPoint ?? {}))
    if (!DOTTED_PATH.test(k))
      ctx.addIssue({
        code: 'custom',
        path: ['sweepPoint', k],
        message: `${shown(k)} is not a study setting (a dotted path, e.g. optimizer.learningRate)`,
      });
  study.sweep?.forEach((s, i) => {
    if (!DOTTED_PATH.test(s.path))
      ctx.addIssue({
        code: 'custom',
        path: ['sweep', i, 'path'],
        message: `${shown(s.path)} is not a study setting (a dotted path, e.g. optimizer.learningRate)`,
      });
  });
}

export type StudySpec = z.infer<typeof studySchema>;
export type LandscapeAxis = z.infer<typeof landscapeAxisSchema>;

/**
 * Parse and validate; the error lists each problem with its path, e.g. "optimizer.learningRate: …".
 */
export function parseStudy(input: unknown): StudySpec {
  const r = studySchema.safeParse(input);
  if (r.success) return r.data;
  throw new StudyFormatError(
    r.error.issues.map((i) => `${i.path.join('.') || '(study)'}: ${i.message}`),
  );
}

export class StudyFormatError extends AppError {
  constructor(readonly problems: string[]) {
    super(
      'invalid-study',
      `The study is not valid:\n- ${problems.slice(0, 20).join('\n- ')}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'StudyFormatError';
  }
}
