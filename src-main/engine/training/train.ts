import { EngineError } from '../errors';
import { TrainingHistory, type HistorySnapshot } from './history';
import type { Objective } from './objective';
import {
  initialOptimizerState,
  optimizerStep,
  validateOptimizer,
  type OptimizerState,
} from './optimizers';
import type { OptimizerSpec, StoppingRules } from '../../../src-shared/dto/training';
import type { TrainStatus } from '../../../src-shared/dto/results';

export interface TrainProgress {
  readonly step: number;
  readonly maxSteps: number;
  readonly loss: number;
  readonly parameters: Float64Array;
  readonly elapsedMs: number;
}

export interface TrainControl {
  /**
   * Checked between steps; true ends the run as 'cancelled' (a pause is a cancel that keeps its
   * checkpoint).
   */
  shouldStop?(): boolean;
  onProgress?(p: TrainProgress): void;
  /** Minimum time between progress callbacks. */
  readonly progressIntervalMs?: number;
  /** Yield to the event loop this often so messages (cancel, pause) arrive. */
  readonly yieldIntervalMs?: number;
  /** Called every `checkpointIntervalMs` with what a resume needs (the job layer stores it). */
  onCheckpoint?(c: CheckpointUpdate): void;
  readonly checkpointIntervalMs?: number;
}

/** Everything needed to continue a run exactly where it stopped. */
/**
 * A periodic checkpoint as sent to the store: `history` holds only the records since the previous
 * checkpoint (`TrainingHistory.delta()`), so writing one costs O(new steps), not O(all steps).
 */
export type CheckpointUpdate = TrainCheckpoint;

export interface TrainCheckpoint {
  readonly step: number;
  readonly parameters: number[];
  readonly optimizer: OptimizerState;
  readonly history: HistorySnapshot;
  readonly bestLoss: number;
  readonly bestParameters: number[];
}

export interface TrainResult {
  readonly status: TrainStatus;
  /** e.g. "diverged at step 37: loss 3.2e+14 exceeds 1e6 × the initial loss". */
  readonly message: string;
  readonly steps: number;
  /** Final parameters (the last good ones when diverged). */
  readonly parameters: Float64Array;
  readonly finalLoss: number;
  readonly bestLoss: number;
  readonly bestParameters: Float64Array;
  readonly history: HistorySnapshot;
  readonly checkpoint: TrainCheckpoint;
  readonly elapsedMs: number;
  readonly msPerStep: number;
}

export interface TrainOptions {
  readonly optimizer: OptimizerSpec;
  readonly stopping: StoppingRules;
  readonly initial: Float64Array;
  readonly historyCapacity?: number;
  readonly resumeFrom?: TrainCheckpoint;
  /**
   * The loss of predicting q̈ = 0 on the data: divergence is judged against the larger of it and
   * the initial loss, an absolute scale (a fit started at its optimum, loss 10⁻²⁶, whose first
   * Adam step reaches 10⁻⁹ has not diverged).
   */
  readonly referenceLoss?: number;
}

const now = () => performance.now();

/**
 * Gradient-based training of θ on an objective; async so a worker can receive cancel between steps.
 */
export async function train(
  objective: Objective,
  options: TrainOptions,
  control: TrainControl = {},
): Promise<TrainResult> {
  validateOptimizer(options.optimizer);
  const { stopping } = options;
  if (!Number.isInteger(stopping.maxSteps) || stopping.maxSteps < 1)
    throw new EngineError(
      'invalid-stopping',
      `The step budget must be a whole number ≥ 1, not ${stopping.maxSteps}`,
    );
  const p = objective.p;
  const resume = options.resumeFrom;
  const theta = Float64Array.from(resume ? resume.parameters : options.initial);
  if (theta.length !== p)
    throw new EngineError(
      'invalid-model',
      `The model has ${p} parameters but ${theta.length} initial values were given`,
    );
  const state = resume
    ? structuredClone(resume.optimizer)
    : initialOptimizerState(p, options.optimizer);
  const history = new TrainingHistory(options.historyCapacity ?? 2000, resume?.history);
  let bestLoss = resume?.bestLoss ?? Infinity;
  let bestParameters = Float64Array.from(resume?.bestParameters ?? theta);
  const divergenceFactor = stopping.divergenceFactor ?? 1e6;
  const progressInterval = control.progressIntervalMs ?? 100;
  const yieldInterval = control.yieldIntervalMs ?? 50;
  const start = now();
  let lastProgress = -Infinity;
  let lastCheckpoint = start;
  const checkpointInterval = control.checkpointIntervalMs ?? 2000;
  let lastYield = start;
  let step = resume?.step ?? 0;
  const firstStep = step;
  let status: TrainStatus = 'completed';
  let message = '';
  let finalLoss = NaN;
  let lastGood = Float64Array.from(theta);
  let lastGoodLoss = NaN;
  let lastGradient: Float64Array = new Float64Array(p);

  while (step < stopping.maxSteps) {
    if (control.shouldStop?.()) {
      status = 'cancelled';
      message = `cancelled at step ${step}`;
      break;
    }
    const { loss, gradient } = objective.evaluate(theta);
    const initialLoss = state.initialLoss ?? loss;
    const bad = !Number.isFinite(loss) || gradient.some((g) => !Number.isFinite(g));
    const scale = Math.max(initialLoss, options.referenceLoss ?? 0, Number.MIN_VALUE);
    if (bad || loss > divergenceFactor * scale) {
      status = 'diverged';
      const against =
        scale === initialLoss
          ? `the initial loss ${initialLoss.toExponential(3)}`
          : `the loss of predicting q̈ = 0, ${scale.toExponential(3)}`;
      message = bad
        ? `diverged at step ${step}: the loss or its gradient is not finite (NaN or Inf); kept the parameters of step ${Math.max(step - 1, 0)}`
        : `diverged at step ${step}: loss ${loss.toExponential(3)} exceeds ${divergenceFactor.toExponential(0)} × ${against}; kept the parameters of step ${Math.max(step - 1, 0)}`;
      if (step === firstStep) lastGood = Float64Array.from(theta);
      break;
    }
    lastGood = Float64Array.from(theta);
    lastGoodLoss = loss;
    lastGradient = gradient;
    finalLoss = loss;
    if (loss < bestLoss) {
      bestLoss = loss;
      bestParameters = Float64Array.from(theta);
    }
    history.record(step, loss, theta, gradient);
    if (stopping.lossTolerance !== undefined && loss <= stopping.lossTolerance) {
      status = 'converged';
      message = `converged at step ${step}: loss ${loss.toExponential(3)} ≤ ${stopping.lossTolerance}`;
      break;
    }
    const before = stopping.parameterTolerance !== undefined ? Float64Array.from(theta) : null;
    optimizerStep(options.optimizer, state, theta, gradient, loss);
    step++;
    if (before) {
      let moved = 0;
      for (let i = 0; i < p; i++)
        moved = Math.max(moved, Math.abs(theta[i]! - before[i]!) / (1 + Math.abs(before[i]!)));
      if (moved <= stopping.parameterTolerance!) {
        status = 'converged';
        message = `converged at step ${step}: parameters moved at most ${moved.toExponential(2)} (tolerance ${stopping.parameterTolerance})`;
        break;
      }
    }
    const t = now();
    if (control.onProgress && t - lastProgress >= progressInterval) {
      lastProgress = t;
      control.onProgress({
        step,
        maxSteps: stopping.maxSteps,
        loss,
        parameters: theta,
        elapsedMs: t - start,
      });
    }
    if (control.onCheckpoint && t - lastCheckpoint >= checkpointInterval) {
      lastCheckpoint = t;
      control.onCheckpoint({
        step,
        parameters: Array.from(theta),
        optimizer: structuredClone(state),
        history: history.delta(),
        bestLoss,
        bestParameters: Array.from(bestParameters),
      });
    }
    if (t - lastYield >= yieldInterval) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = now();
    }
  }
  if (status === 'completed') message = `completed ${stopping.maxSteps} steps`;
  // The final state: for completed/converged/cancelled runs, θ after the last update.
  const parameters = status === 'diverged' ? lastGood : theta;
  if (status !== 'diverged' && status !== 'converged') {
    const last = objective.evaluate(parameters);
    if (Number.isFinite(last.loss)) {
      finalLoss = last.loss;
      lastGradient = last.gradient;
      if (last.loss < bestLoss) {
        bestLoss = last.loss;
        bestParameters = Float64Array.from(parameters);
      }
    }
  } else if (status === 'diverged') finalLoss = lastGoodLoss;
  if (Number.isFinite(finalLoss)) history.record(step, finalLoss, parameters, lastGradient, true);
  const elapsedMs = now() - start;
  const done = Math.max(step - firstStep, 1);
  const snapshot = history.snapshot();
  return {
    status,
    message,
    steps: step,
    parameters,
    finalLoss,
    bestLoss,
    bestParameters,
    history: snapshot,
    checkpoint: {
      step,
      parameters: Array.from(parameters),
      optimizer: state,
      history: snapshot,
      bestLoss,
      bestParameters: Array.from(bestParameters),
    },
    elapsedMs,
    msPerStep: elapsedMs / done,
  };
}
