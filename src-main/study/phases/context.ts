import type { Landscape } from '../../engine/analysis/landscape';
import type { CompiledModel } from '../../engine/models/model';
import type { LossSpec } from '../../../src-shared/dto/training';
import type { PhaseSamples } from '../../engine/training/samples';
import type { TrainResult } from '../../engine/training/train';
import type { StudyPhase, StudyResults, TypedGrid } from '../../../src-shared/dto/results';
import type { StudySpec } from '../../../src-shared/study/study-schema';

/** The data a fit used, with how many points were drawn and dropped. */
export type StudyDataset = PhaseSamples & {
  readonly n: number;
  readonly drawn: number;
  readonly rejected: number;
  readonly rejectedBy?: { readonly band: number; readonly halfPlane: number };
  readonly singularDropped: { readonly count: number };
};

/** A dense field a study produces (stored as a grid), typed by kind. */
export type StudyGrid = TypedGrid<Float64Array>;

/** Everything the analysis phases read: the study, its data, the model and the fit. */
export interface FitContext {
  readonly study: StudySpec;
  readonly dataset: StudyDataset;
  readonly model: CompiledModel;
  readonly loss: LossSpec;
  readonly fit: TrainResult;
  /** True parameter values: the system's, overridden by the study's trueParameters. */
  readonly truth: Readonly<Record<string, number>>;
  /** What earlier phases found (the exact optimum feeds the Hessian and the landscape zoom). */
  readonly results: Partial<StudyResults>;
  /** True once Cancel or Pause was pressed: long phases check it between units of work. */
  readonly shouldStop?: () => boolean;
  /** Fraction of the current phase done (0…1), reported between units of work. */
  readonly onProgress?: (fraction: number) => void;
}

/** What one phase adds: its slice of the results, and grids or a landscape to store. */
export interface PhaseOutput {
  readonly results?: Partial<StudyResults>;
  readonly grids?: readonly StudyGrid[];
  readonly landscape?: Landscape;
  readonly notes?: readonly string[];
}

/** One analysis phase after training: when it applies, and what it computes. */
export interface AnalysisPhase {
  readonly phase: StudyPhase;
  when(ctx: FitContext): boolean;
  run(ctx: FitContext): PhaseOutput;
}
