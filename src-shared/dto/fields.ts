import type { ModelSpec } from './model-spec';
import type { SystemDefinition } from './system';

export interface DatasetPreview {
  readonly n: number;
  readonly drawn: number;
  readonly rejected: number;
  readonly q: number[][];
  readonly qd: number[][];
  readonly qdd: number[][];
}

/** One axis of a field grid: a coordinate's index and its range, both ends included. */
export interface GridAxis {
  readonly coordinate: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** A regular grid over two coordinates, the other coordinates and all velocities held fixed. */
export interface FieldGrid {
  readonly x: GridAxis;
  readonly y: GridAxis;
}

export interface FieldRequest {
  readonly system: SystemDefinition;
  readonly trueParameters?: Record<string, number>;
  /** A fitted model to compare with the truth. */
  readonly model?: ModelSpec;
  readonly parameters?: number[];
  readonly grid: FieldGrid & {
    readonly q?: number[];
    readonly qd?: number[];
  };
}

export interface FieldResponse {
  readonly xValues: number[];
  readonly yValues: number[];
  /** q̈ of the true system on the grid, per component (row-major, y outer). NaN where singular. */
  readonly truth: number[][];
  readonly fit?: number[][];
  readonly absolute?: number[];
  readonly relative?: number[];
}
