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

export interface FieldRequest {
  readonly system: SystemDefinition;
  readonly trueParameters?: Record<string, number>;
  /** A fitted model to compare with the truth. */
  readonly model?: ModelSpec;
  readonly parameters?: number[];
  readonly grid: {
    readonly x: {
      readonly coordinate: number;
      readonly min: number;
      readonly max: number;
      readonly count: number;
    };
    readonly y: {
      readonly coordinate: number;
      readonly min: number;
      readonly max: number;
      readonly count: number;
    };
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
