import { z } from 'zod';
import { modelSchema } from './model-spec';
import { systemSchema } from './system';

export interface DatasetPreview {
  readonly n: number;
  readonly drawn: number;
  readonly rejected: number;
  readonly q: number[][];
  readonly qd: number[][];
  readonly qdd: number[][];
}

const finite = z.number().finite();

/** One axis of a field grid: a coordinate's index and its range, both ends included. */
export const gridAxisSchema = z
  .object({
    coordinate: z.number().int().min(0).max(7),
    min: finite,
    max: finite,
    count: z.number().int().min(2).max(400),
  })
  .strict();
export type GridAxis = z.infer<typeof gridAxisSchema>;

/**
 * q̈ of the true system (and of a fitted model, to compare) on a regular grid over two
 * coordinates, the other coordinates (`q`) and all velocities (`qd`) held fixed.
 */
export const fieldRequestSchema = z
  .object({
    system: systemSchema,
    trueParameters: z.record(z.string(), finite).optional(),
    /** A fitted model to compare with the truth. */
    model: modelSchema.optional(),
    parameters: z.array(finite).max(100_000).optional(),
    grid: z
      .object({
        x: gridAxisSchema,
        y: gridAxisSchema,
        q: z.array(finite).max(8).optional(),
        qd: z.array(finite).max(8).optional(),
      })
      .strict(),
  })
  .strict();
export type FieldRequest = z.infer<typeof fieldRequestSchema>;
/** A regular grid over two coordinates, the other coordinates and all velocities held fixed. */
export type FieldGrid = Pick<FieldRequest['grid'], 'x' | 'y'>;

export interface FieldResponse {
  readonly xValues: number[];
  readonly yValues: number[];
  /** q̈ of the true system on the grid, per component (row-major, y outer). NaN where singular. */
  readonly truth: number[][];
  readonly fit?: number[][];
  readonly absolute?: number[];
  readonly relative?: number[];
}
