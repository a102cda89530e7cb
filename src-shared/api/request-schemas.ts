import { z } from 'zod';
import { intervalSchema, samplingSchema, samplingWindowSchema } from '../dto/sampling';
import { systemSchema } from '../dto/system';
import { fieldRequestSchema } from '../dto/fields';
import { studySchema } from '../study/study-schema';
import type { Channel } from './contract';
import { REPORT_STUDIES } from '../figures/report-figures';
import { SEQUENTIAL_COLOUR_MAPS } from '../charts/colormap';
import { FIGURE_FORMATS, FIGURE_STYLE_NAMES, type FigureStyleName } from '../figures/figure-style';

const finite = z.number().finite();
const id = z.object({ id: z.number().int().positive() }).strict();
const empty = z.object({}).strict();
/** A client-chosen name to follow or cancel a long request by. */
const ticket = z.string().min(1).max(64).optional();

/** How exported figures look: shared by the bundle and the report export. */
export const figureExportSettingsSchema = z
  .object({
    dpi: z.number().int().min(36).max(1200).optional(),
    /** screen (default), paper, paper-wide or slides. */
    style: z.enum(FIGURE_STYLE_NAMES as [FigureStyleName, ...FigureStyleName[]]).optional(),
    /** default svg, png, csv. */
    formats: z.array(z.enum(FIGURE_FORMATS)).min(1).max(4).optional(),
    /** Fields' colour map: viridis (default), cividis or magma. */
    colourMap: z.enum(SEQUENTIAL_COLOUR_MAPS).optional(),
  })
  .strict();
const figureExportSettings = figureExportSettingsSchema.shape;

/** What a native path dialog is for: its title, filters and kind (open, save or folder). */
export const pathPurposeSchema = z.enum(['export-folder', 'measured-csv', 'project-save-as']);

/**
 * One request schema per channel: every input is validated at the boundary, and its type is
 * the channel's request type (`RequestOf` in the contract).
 */
export const requestSchemas = {
  'app:info': empty,
  'presets:list': empty,
  'system:check': z.object({ system: systemSchema, ticket }).strict(),
  'system:fixed-points': z
    .object({
      system: systemSchema,
      window: z.array(intervalSchema).min(1).max(8),
      parameters: z.record(z.string(), finite).optional(),
      ticket,
    })
    .strict(),
  'dataset:preview': z
    .object({
      system: systemSchema,
      sampling: samplingSchema.refine(
        (s) => s.count <= 50_000,
        'a preview draws at most 50000 points',
      ),
      trueParameters: z.record(z.string(), finite).optional(),
      ticket,
    })
    .strict(),
  'sampling:check': z
    .object({
      system: systemSchema,
      window: samplingWindowSchema,
      trueParameters: z.record(z.string(), finite).optional(),
      ticket,
    })
    .strict(),
  'run:data': z
    .object({
      study: studySchema,
      maxPoints: z.number().int().min(1).max(100_000).optional(),
      /** With `parameters` (the fit's θ), the fit's q̈ at the same points comes back too. */
      parameters: z.array(finite).max(100_000).optional(),
      ticket,
    })
    .strict(),
  'analysis:field': fieldRequestSchema.extend({ ticket }).strict(),
  'task:cancel': z.object({ ticket: z.string().min(1).max(64) }).strict(),
  'project:open': z
    .object({
      path: z.string().min(1).max(4096),
      create: z.boolean().optional(),
      readOnly: z.boolean().optional(),
    })
    .strict(),
  'project:current': empty,
  'project:size': empty,
  'project:prune': z.object({ keepNewest: z.number().int().min(0).max(100_000) }).strict(),
  'runs:list': empty,
  'runs:get': id,
  'runs:start': z
    .object({ study: studySchema, name: z.string().min(1).max(200).optional() })
    .strict(),
  'runs:pause': id,
  'runs:resume': id,
  'runs:cancel': id,
  'runs:rename': z
    .object({ id: z.number().int().positive(), name: z.string().min(1).max(200) })
    .strict(),
  'runs:tags': z
    .object({ id: z.number().int().positive(), tags: z.array(z.string().min(1).max(50)).max(50) })
    .strict(),
  'runs:notes': z
    .object({ id: z.number().int().positive(), notes: z.string().max(100_000) })
    .strict(),
  'runs:delete': id,
  'jobs:list': empty,
  'project:recent': empty,
  'project:choose': z.object({ create: z.boolean() }).strict(),
  'project:save-as': z.object({ path: z.string().min(1).max(4096) }).strict(),
  'dialog:choose': z
    .object({
      purpose: pathPurposeSchema,
      defaultPath: z.string().max(4096).optional(),
    })
    .strict(),
  'file:save': z
    .object({
      name: z.string().min(1).max(255),
      // 96 MiB of base64 is a 72 MiB file: far beyond any figure at 600 dpi
      data: z.string().max(96 << 20),
      encoding: z.enum(['utf8', 'base64']),
    })
    .strict(),
  'studies:list': empty,
  'export:data': z
    .object({
      runIds: z.array(z.number().int().positive()).min(1).max(1000),
      dir: z.string().min(1).max(4096),
      formats: z
        .array(z.enum(['csv', 'tsv', 'npy', 'npz', 'tfevents', 'mlflow']))
        .min(1)
        .max(6),
      ticket,
    })
    .strict(),
  'logs:tail': z.object({ lines: z.number().int().min(1).max(5000).optional() }).strict(),
  'logs:reveal': empty,
  'report:reproduce': empty,
  'figures:pdf': z
    .object({
      // the page's SVG of one figure (fields embedded as PNG): well under the body limit
      svg: z
        .string()
        .min(1)
        .max(24 * 2 ** 20),
      widthIn: z.number().min(0.5).max(100),
      heightIn: z.number().min(0.5).max(100),
    })
    .strict(),
  'export:bundle': z
    .object({
      runIds: z.array(z.number().int().positive()).min(1).max(50),
      dir: z.string().min(1).max(4096),
      ...figureExportSettings,
      ticket,
    })
    .strict(),
  'report:export': z
    .object({
      // every report study file → its run
      runIds: z.object(
        Object.fromEntries(
          Object.values(REPORT_STUDIES).map((file) => [file, z.number().int().positive()]),
        ) as Record<string, z.ZodNumber>,
      ),
      dir: z.string().min(1).max(4096),
      ...figureExportSettings,
      ticket,
    })
    .strict(),
} satisfies Record<Channel, z.ZodType>;
